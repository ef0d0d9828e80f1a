"""Every state machine of mailbot: an enum of states and the moves allowed between them.

    request        new ─┬─> acknowledged ─┬─> awaiting_verification ─┬─> unverified
                        │                 │                          ├─> disputed
                        │                 │                          └─> (acknowledged)
                        │                 ├─> awaiting_approval <─> awaiting_steps ──> done
                        │                 ├─> triage (a person decides)
                        └─────────────────┴─> rejected (refused) | closed (not a request)
                   every open state after new ─> disputed (the address's owner says no)
    draft          pending_approval ─> approved ─> queued ─> sent ─> failed (bounced)
                                    └> rejected          └> failed
    outbox         pending ─> sent ─> bounced;  pending ─> failed | bounced
    verification   pending ─> verified | expired | failed | withdrawn | disputed
    order review   pending ─> approved | rejected
    extension      pending ─> applied | lapsed | withdrawn
    step           planned ─┬─> pending (mailbot carries it out) ─┬─> done | failed
                            ├─> waiting (for a person) ───────────┘
                            └─> done | failed | cancelled (every open step can be cancelled)
    oauth grant    ok <─> refused (a person re-granted consent or gave a new refresh token)

A machine answers whether a move is allowed and makes it (``move``), raising
:class:`~mailbot.errors.IllegalTransition` otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from mailbot.errors import IllegalTransition

S = TypeVar("S", bound=StrEnum)


class Machine(Generic[S]):
    """The states of one kind of record and the moves between them."""

    def __init__(self, name: str, states: type[S], moves: Mapping[S, Iterable[S]]) -> None:
        missing = set(states) - set(moves)
        if missing:
            raise ValueError(f"{name}: no moves given for {sorted(missing)}")
        self.name = name
        self.states = states
        self.moves: dict[S, frozenset[S]] = {s: frozenset(t) for s, t in moves.items()}

    def allows(self, current: str, target: str) -> bool:
        return self.states(target) in self.moves[self.states(current)]

    def move(self, current: str, target: S, what: str = "") -> S:
        """``target`` when the machine allows going there from ``current``; else
        IllegalTransition naming ``what`` (e.g. "draft 12")."""
        if not self.allows(current, target):
            raise IllegalTransition(f"{what or self.name} is {current}: it cannot become "
                                    f"{target}")
        return target

    def next_states(self, current: str) -> frozenset[S]:
        return self.moves[self.states(current)]

    @property
    def terminal(self) -> frozenset[S]:
        """The states nothing leaves."""
        return frozenset(s for s, targets in self.moves.items() if not targets)


class RequestStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"  # answered with an acknowledgement; the handler works on it
    AWAITING_VERIFICATION = "awaiting_verification"
    AWAITING_APPROVAL = "awaiting_approval"
    # a step of the outcome waits for a person (a manual step) or for mailbot (a mail to
    # leave, a mailbox copy to go); the confirmation cannot leave before
    AWAITING_STEPS = "awaiting_steps"
    TRIAGE = "triage"  # a person must look: kind other, low confidence, a rejected draft
    DONE = "done"  # every reply is on its way
    UNVERIFIED = "unverified"  # closed: the sender never proved control of the address
    # closed: the address's owner answered the verification mail that they did not ask
    DISPUTED = "disputed"
    REJECTED = "rejected"  # refused (art. 12(4)): the person was told why
    CLOSED = "closed"  # closed by staff without a formal answer: not a GDPR request


OPEN_STATUSES = frozenset({RequestStatus.NEW, RequestStatus.ACKNOWLEDGED,
                           RequestStatus.AWAITING_VERIFICATION,
                           RequestStatus.AWAITING_APPROVAL, RequestStatus.AWAITING_STEPS,
                           RequestStatus.TRIAGE})
CLOSED_STATUSES = frozenset(RequestStatus) - OPEN_STATUSES

_R = RequestStatus
_ENDS = {_R.REJECTED, _R.CLOSED}  # staff can refuse or close any open request
# The owner of the address answers our verification mail that they did not ask: before the
# proof, or after it (a link clicked by someone else), as long as the request is open.
_STOP = {_R.DISPUTED}
REQUESTS = Machine("request", RequestStatus, {
    _R.NEW: {_R.ACKNOWLEDGED, _R.AWAITING_VERIFICATION, _R.AWAITING_APPROVAL,
             _R.AWAITING_STEPS, _R.TRIAGE, _R.DONE} | _ENDS,
    _R.ACKNOWLEDGED: {_R.AWAITING_VERIFICATION, _R.AWAITING_APPROVAL, _R.AWAITING_STEPS,
                      _R.TRIAGE, _R.DONE} | _ENDS | _STOP,
    # verified (by the person, or by staff), or the kind changed: back to the handler
    _R.AWAITING_VERIFICATION: {_R.ACKNOWLEDGED, _R.TRIAGE, _R.UNVERIFIED} | _ENDS | _STOP,
    _R.AWAITING_APPROVAL: {_R.ACKNOWLEDGED, _R.AWAITING_STEPS, _R.TRIAGE,
                           _R.DONE} | _ENDS | _STOP,
    # every step has its result (a person ticked it off, the mail left): on to approval
    _R.AWAITING_STEPS: {_R.ACKNOWLEDGED, _R.AWAITING_APPROVAL, _R.TRIAGE,
                        _R.DONE} | _ENDS | _STOP,
    _R.TRIAGE: {_R.ACKNOWLEDGED, _R.AWAITING_VERIFICATION, _R.AWAITING_APPROVAL,
                _R.AWAITING_STEPS, _R.DONE} | _ENDS | _STOP,
    # staff verified the person another way, or a new code goes out: the request reopens
    _R.UNVERIFIED: {_R.ACKNOWLEDGED, _R.AWAITING_VERIFICATION},
    # staff checked with the person after all, ask again, or close it
    _R.DISPUTED: {_R.ACKNOWLEDGED, _R.AWAITING_VERIFICATION, _R.CLOSED},
    _R.DONE: set(),
    _R.REJECTED: set(),
    _R.CLOSED: set(),
})


class DraftStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"  # waits for staff (or for the workflow to queue it)
    APPROVED = "approved"
    QUEUED = "queued"  # in the outbox
    SENT = "sent"
    FAILED = "failed"  # the outbox gave up, or it bounced
    REJECTED = "rejected"  # rejected or withdrawn; never sent


_D = DraftStatus
# Handed to the outbox, whatever became of it there.
RELEASED_DRAFTS = frozenset({_D.QUEUED, _D.SENT, _D.FAILED})
DRAFTS = Machine("draft", DraftStatus, {
    _D.PENDING_APPROVAL: {_D.APPROVED, _D.QUEUED, _D.REJECTED},
    _D.APPROVED: {_D.QUEUED},
    _D.QUEUED: {_D.SENT, _D.FAILED, _D.REJECTED},  # rejected: withdrawn before it left
    _D.SENT: {_D.FAILED},
    _D.FAILED: set(),
    _D.REJECTED: set(),
})


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"  # the recipient's server sent it back
    # taken back before it left (the address's owner disputed the request); one that was
    # on its way to the server at that moment is recorded as sent after all
    WITHDRAWN = "withdrawn"
    # its worker stopped while it was on its way to the server: it may have left, so it is
    # not sent again unless a person says so (or marks it as arrived)
    UNCERTAIN = "uncertain"


_O = OutboxStatus
OUTBOX = Machine("outbox message", OutboxStatus, {
    _O.PENDING: {_O.SENT, _O.FAILED, _O.BOUNCED, _O.WITHDRAWN, _O.UNCERTAIN},
    _O.UNCERTAIN: {_O.PENDING, _O.SENT},
    _O.WITHDRAWN: {_O.SENT},
    _O.SENT: {_O.BOUNCED},
    _O.FAILED: set(),
    _O.BOUNCED: set(),
})


class VerificationStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    EXPIRED = "expired"
    FAILED = "failed"  # too many wrong codes, or the mail could not be sent
    WITHDRAWN = "withdrawn"  # replaced by a new code, or staff verified another way
    DISPUTED = "disputed"  # the address's owner answered that they did not ask


_V = VerificationStatus
VERIFICATIONS = Machine("verification", VerificationStatus, {
    _V.PENDING: {_V.VERIFIED, _V.EXPIRED, _V.FAILED, _V.WITHDRAWN, _V.DISPUTED},
    _V.VERIFIED: set(),
    _V.EXPIRED: set(),
    _V.FAILED: set(),
    _V.WITHDRAWN: set(),
    _V.DISPUTED: set(),
})


class VerificationKind(StrEnum):
    """Which address a verification proves, and for what."""

    SENDER = "sender"  # the From address of the request's mail
    NEW_ADDRESS = "new_address"  # the address a correction would send the person's data to


class OrderReview(StrEnum):
    """A client's processing order before it enters the register: staff review it first."""

    PENDING = "pending"
    APPROVED = "approved"  # recorded in the register
    REJECTED = "rejected"  # the register was not changed


_OR = OrderReview
ORDER_REVIEWS = Machine("processing order", OrderReview, {
    _OR.PENDING: {_OR.APPROVED, _OR.REJECTED},
    _OR.APPROVED: set(),
    _OR.REJECTED: set(),
})


class ExtensionStatus(StrEnum):
    PENDING = "pending"  # the notice waits for approval or to leave
    APPLIED = "applied"
    LAPSED = "lapsed"  # the first deadline passed before the notice left
    WITHDRAWN = "withdrawn"  # the notice was rejected


_E = ExtensionStatus
EXTENSIONS = Machine("extension", ExtensionStatus, {
    _E.PENDING: {_E.APPLIED, _E.LAPSED, _E.WITHDRAWN},
    _E.APPLIED: set(),
    _E.LAPSED: set(),
    _E.WITHDRAWN: set(),
})


class StepStatus(StrEnum):
    """The recorded result of one step of a request's outcome."""

    PLANNED = "planned"  # mailbot carries it out when staff approve the answer
    PENDING = "pending"  # decided; mailbot is carrying it out (a mail waiting to leave)
    WAITING = "waiting"  # waits for a person: a manual step staff tick off
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"  # no longer needed: the request was searched again or closed


_S = StepStatus
OPEN_STEPS = frozenset({_S.PLANNED, _S.PENDING, _S.WAITING})
STEPS = Machine("step", StepStatus, {
    _S.PLANNED: {_S.PENDING, _S.WAITING, _S.DONE, _S.FAILED, _S.CANCELLED},
    # a mail that could not leave, a mailbox that refused: a person takes over
    _S.PENDING: {_S.DONE, _S.FAILED, _S.WAITING, _S.CANCELLED},
    # a forward staff approved: mailbot sends it
    _S.WAITING: {_S.PENDING, _S.DONE, _S.FAILED, _S.CANCELLED},
    _S.DONE: set(),
    _S.FAILED: set(),
    _S.CANCELLED: set(),
})


class GrantStatus(StrEnum):
    """Whether the token endpoint still honours mailbot's OAuth2 grant for an account."""

    OK = "ok"
    REFUSED = "refused"  # invalid_grant, consent revoked, wrong secret: a person must act


GRANTS: Machine[GrantStatus] = Machine("oauth grant", GrantStatus, {
    GrantStatus.OK: {GrantStatus.REFUSED},
    GrantStatus.REFUSED: {GrantStatus.OK},
})
