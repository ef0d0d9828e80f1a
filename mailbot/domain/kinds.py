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
    VERIFICATION = "verification"  # a person answering our verification mail
    FOLLOW_UP = "follow_up"  # a person asking after a request still open: linked to it
    QUARANTINED = "quarantined"  # could not be parsed, or too large

    @property
    def answered(self) -> bool:
        return self is Disposition.REQUEST


class RequestStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    AWAITING_VERIFICATION = "awaiting_verification"
    AWAITING_APPROVAL = "awaiting_approval"
    TRIAGE = "triage"  # a person must look: kind other, low confidence, a rejected draft
    DONE = "done"
    UNVERIFIED = "unverified"  # closed: the sender never proved control of the address
    REJECTED = "rejected"


OPEN_STATUSES = frozenset({RequestStatus.NEW, RequestStatus.ACKNOWLEDGED,
                           RequestStatus.AWAITING_VERIFICATION,
                           RequestStatus.AWAITING_APPROVAL, RequestStatus.TRIAGE})
CLOSED_STATUSES = frozenset(RequestStatus) - OPEN_STATUSES
_WORKING = frozenset({RequestStatus.AWAITING_VERIFICATION, RequestStatus.AWAITING_APPROVAL,
                      RequestStatus.TRIAGE, RequestStatus.DONE, RequestStatus.REJECTED})
ALLOWED_TRANSITIONS: dict[RequestStatus, frozenset[RequestStatus]] = {
    RequestStatus.NEW: _WORKING | {RequestStatus.ACKNOWLEDGED},
    RequestStatus.ACKNOWLEDGED: _WORKING,
    RequestStatus.AWAITING_VERIFICATION: _WORKING - {RequestStatus.AWAITING_VERIFICATION}
    | {RequestStatus.UNVERIFIED, RequestStatus.ACKNOWLEDGED},
    RequestStatus.AWAITING_APPROVAL: _WORKING,
    RequestStatus.TRIAGE: _WORKING - {RequestStatus.TRIAGE},
    RequestStatus.DONE: frozenset(),
    RequestStatus.UNVERIFIED: frozenset(),
    RequestStatus.REJECTED: frozenset(),
}


def can_transition(current: RequestStatus, target: RequestStatus) -> bool:
    return current == target or target in ALLOWED_TRANSITIONS[current]
