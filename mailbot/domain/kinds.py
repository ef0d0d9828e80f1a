"""Request kinds, inbound dispositions and request states with their allowed transitions."""

from __future__ import annotations

from enum import StrEnum


class RequestKind(StrEnum):
    ACCESS = "access"
    CORRECTION = "correction"
    UNSUBSCRIBE = "unsubscribe"
    ERASURE = "erasure"
    REGISTER_INSTRUCTION = "register_instruction"
    OTHER = "other"


class Disposition(StrEnum):
    """What became of an inbound mail."""

    REQUEST = "request"  # written by a person: one or more requests were recorded
    AUTO_REPLY = "auto_reply"  # out-of-office and other automatic replies
    BOUNCE = "bounce"  # delivery status notifications
    LIST = "list"  # list, bulk or newsletter mail
    LOOP = "loop"  # our own mail coming back
    DUPLICATE = "duplicate"  # the same Message-ID was recorded before from another place
    QUARANTINED = "quarantined"  # could not be parsed, or too large

    @property
    def answered(self) -> bool:
        return self is Disposition.REQUEST


class RequestStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DONE = "done"
    REJECTED = "rejected"


ALLOWED_TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.NEW: frozenset({RequestStatus.ACKNOWLEDGED, RequestStatus.DONE,
                                  RequestStatus.REJECTED}),
    RequestStatus.ACKNOWLEDGED: frozenset({RequestStatus.DONE, RequestStatus.REJECTED}),
    RequestStatus.DONE: frozenset(),
    RequestStatus.REJECTED: frozenset(),
}


def can_transition(current: RequestStatus, target: RequestStatus) -> bool:
    return target in ALLOWED_TRANSITIONS[current]
