"""Request kinds and inbound dispositions. The request states are in ``domain/states.py``
(re-exported here for the code that looks for them beside the kinds)."""

from __future__ import annotations

from enum import StrEnum

from mailbot.domain.states import CLOSED_STATUSES, OPEN_STATUSES, RequestStatus

__all__ = ["CLOSED_STATUSES", "OPEN_STATUSES", "Disposition", "RequestKind", "RequestStatus"]


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
    PENDING = "pending"  # recorded raw and marked on the server; a worker handles it next

    @property
    def answered(self) -> bool:
        return self is Disposition.REQUEST
