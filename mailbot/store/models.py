"""Tables. Mail text, raw messages, subjects, evidence and outgoing messages are sealed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from mailbot.domain.states import (
    DRAFTS,
    EXTENSIONS,
    OUTBOX,
    REQUESTS,
    STEPS,
    VERIFICATIONS,
    DraftStatus,
    ExtensionStatus,
    GrantStatus,
    Machine,
    OutboxStatus,
    RequestStatus,
    StepStatus,
    VerificationKind,
    VerificationStatus,
)
from mailbot.store.crypto import SealedBytes, SealedJSON, SealedText
from mailbot.store.types import StateColumn, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class HasStates:
    """A record whose ``status`` follows one of the state machines of domain/states.py."""

    machine: ClassVar[Machine[Any]]

    def can_move(self, target: str) -> bool:
        return self.machine.allows(getattr(self, "status"), target)  # noqa: B009

    def move(self, target: Any) -> None:
        """Go to ``target``; IllegalTransition when the machine does not allow it."""
        ident = getattr(self, "id", None)
        what = f"{self.machine.name} {ident}" if ident else self.machine.name
        self.status = self.machine.move(getattr(self, "status"), target, what)  # noqa: B009


class InboundMail(Base):
    """One mail as it came from the mailbox, whatever became of it."""

    __tablename__ = "inbound_mail"
    __table_args__ = (UniqueConstraint("mailbox", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(500))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[str] = mapped_column(String(255))
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    # SHA-256 of the Message-ID (or of the raw bytes when there is none); NULL for duplicates,
    # so the unique index lets a mail be recorded from several places but handled once.
    dedup_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    raw_sha256: Mapped[str] = mapped_column(String(64), index=True)
    raw_size: Mapped[int] = mapped_column(Integer)
    body_text: Mapped[str | None] = mapped_column(SealedText)
    subject: Mapped[str | None] = mapped_column(SealedText)
    sender: Mapped[str | None] = mapped_column(String(320), index=True)
    sender_name: Mapped[str | None] = mapped_column(SealedText)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    internaldate: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disposition: Mapped[str] = mapped_column(String(20), index=True)
    disposition_rule: Mapped[str | None] = mapped_column(String(100))
    disposition_reason: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    classification: Mapped[Any] = mapped_column(SealedJSON, nullable=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # content gone (retention)
    # Special categories of data found in the mail (art. 9, 10, 87): the categories, the
    # passages (for staff only) and the subject and text with each passage replaced by a
    # marker, which is what replies and forwards quote unless staff chose to include them.
    special: Mapped[Any] = mapped_column(SealedJSON, nullable=True)
    special_included: Mapped[bool] = mapped_column(default=False, server_default=false())

    requests: Mapped[list[Request]] = relationship(back_populates="inbound",
                                                   order_by="Request.id")
    # The mail as it came (up to mailbox.max_size), in a row of its own (RawMail).
    raw_mail: Mapped[RawMail | None] = relationship(cascade="all, delete-orphan",
                                                    passive_deletes=True)

    @property
    def raw(self) -> bytes | None:
        raw_mail = self.raw_mail
        if raw_mail is None:
            return None
        if "raw" not in raw_mail.__dict__ and RawMail.loader is not None:
            RawMail.loader(raw_mail)
        return raw_mail.raw

    @raw.setter
    def raw(self, value: bytes | None) -> None:
        if value is None:
            self.raw_mail = None  # the row goes at the next flush
        elif self.raw_mail is None:
            self.raw_mail = RawMail(raw=value)
        else:
            self.raw_mail.raw = value

    def forget_content(self, placeholder: str | None = None) -> None:
        """Drop what the mail said (raw bytes, text, subject, name, classification), keeping
        the record that it came: for erasure (with a placeholder) and retention purges."""
        self.raw = None
        self.body_text = placeholder
        self.subject = placeholder
        self.sender_name = None
        self.classification = None
        self.special = None


class RawMail(Base):
    """A mail's raw bytes, sealed, apart from its record: handling a mail updates its record
    many times, and SQLite rewrites a whole row to update it."""

    __tablename__ = "raw_mail"

    id: Mapped[int] = mapped_column(ForeignKey("inbound_mail.id", ondelete="CASCADE"),
                                    primary_key=True)
    # Last (see store/blobs.py); loaded when asked for, a large one in pieces.
    raw: Mapped[bytes] = mapped_column(SealedBytes, deferred=True)
    # Loads ``raw`` (store/blobs.py sets it: on SQLite from the blob, in pieces); None: as
    # the column loads.
    loader: ClassVar[Callable[[RawMail], None] | None] = None


class Request(HasStates, Base):
    """One GDPR request; a mail may hold several."""

    __tablename__ = "request"
    machine = REQUESTS
    __table_args__ = (UniqueConstraint("inbound_id", "kind"),
                      Index("ix_request_status_due", "status", "due_at"),
                      Index("ix_request_due_id", "due_at", "id"),  # the list's order
                      # the retention purge looks for closed requests not yet purged
                      Index("ix_request_purged_closed", "purged_at", "closed_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(32), unique=True)
    inbound_id: Mapped[int] = mapped_column(ForeignKey("inbound_mail.id"))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[RequestStatus] = mapped_column(StateColumn(RequestStatus, 32))
    language: Mapped[str] = mapped_column(String(8))
    sender: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str | None] = mapped_column(SealedText)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[date] = mapped_column(Date)
    confidence: Mapped[float] = mapped_column(Float)
    triage: Mapped[bool] = mapped_column(default=False)
    evidence: Mapped[Any] = mapped_column(SealedJSON, nullable=True)
    details: Mapped[Any] = mapped_column(SealedJSON, nullable=True)  # what the handler found
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verification_method: Mapped[str | None] = mapped_column(String(20))
    child: Mapped[bool] = mapped_column(default=False, server_default=false())
    # its mail holds special categories of data (art. 9): staff see the flag in every list
    special: Mapped[bool] = mapped_column(default=False, server_default=false())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # digest: new
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The internal target (deadlines.target_working_days before due_at), kept current by the
    # deadline scan; the first due date once extended, the months added and why.
    target_at: Mapped[date | None] = mapped_column(Date)
    original_due_at: Mapped[date | None] = mapped_column(Date)
    extended_months: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extension_reason: Mapped[str | None] = mapped_column(Text)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # content gone (retention)
    assigned_to: Mapped[str | None] = mapped_column(String(100), index=True)  # a staff name

    inbound: Mapped[InboundMail] = relationship(back_populates="requests")
    drafts: Mapped[list[Draft]] = relationship(back_populates="request", order_by="Draft.id")
    steps: Mapped[list[Step]] = relationship(back_populates="request",
                                             order_by="Step.position")


class Verification(HasStates, Base):
    """A proof of control of an address: a code to send back, or a one-time link."""

    __tablename__ = "verification"
    machine = VERIFICATIONS
    # the deadline scan looks for pending codes that run out
    __table_args__ = (Index("ix_verification_status_expires", "status", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    address: Mapped[str] = mapped_column(String(320), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    status: Mapped[VerificationStatus] = mapped_column(StateColumn(VerificationStatus, 16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # VerificationKind: the sender's own address, or a new address a correction asks for
    kind: Mapped[str] = mapped_column(String(20), default=VerificationKind.SENDER,
                                      server_default=VerificationKind.SENDER.value)


class Draft(HasStates, Base):
    """A reply as staff see it before it leaves; approval turns it into an outbox message."""

    __tablename__ = "draft"
    machine = DRAFTS
    # the deadline scan looks for refusals on their way
    __table_args__ = (Index("ix_draft_purpose_status", "purpose", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(8))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(SealedText)
    body: Mapped[str] = mapped_column(SealedText)
    status: Mapped[DraftStatus] = mapped_column(StateColumn(DraftStatus, 20), index=True)
    needs_approval: Mapped[bool] = mapped_column()
    personal_data: Mapped[bool] = mapped_column(default=False)
    auto_submitted: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), index=True)
    # An answer built from the outcome: {step position: the result its text states}.
    mentions: Mapped[Any] = mapped_column(JSON, nullable=True)

    request: Mapped[Request] = relationship(back_populates="drafts")
    # set when the draft is queued: a message not written yet gives outbox_id at the flush
    outbox: Mapped[OutboxMessage | None] = relationship(foreign_keys=[outbox_id])


class Step(HasStates, Base):
    """One step of a request's outcome (search, erase, forward, notify, a manual step...)
    with its recorded result: who recorded it, when, and a note."""

    __tablename__ = "request_step"
    machine = STEPS
    __table_args__ = (UniqueConstraint("request_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, ... within the request
    action: Mapped[str] = mapped_column(String(32))  # domain.steps.StepAction
    target: Mapped[str] = mapped_column(String(200))  # a source, client, recipient, mailbox
    status: Mapped[StepStatus] = mapped_column(StateColumn(StepStatus, 16), index=True)
    # What the step does (values, addresses) and what came of it: may describe the person.
    detail: Mapped[Any] = mapped_column(SealedJSON, nullable=True)
    instruction: Mapped[str | None] = mapped_column(SealedText)  # for staff, a manual step
    result: Mapped[str | None] = mapped_column(SealedText)  # what happened, for staff
    note: Mapped[str | None] = mapped_column(SealedText)  # staff's note on ticking it off
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id"), index=True)  # forward
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"),
                                                  index=True)  # a mail it sent
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    request: Mapped[Request] = relationship(back_populates="steps")

    @property
    def open(self) -> bool:
        return self.status in (StepStatus.PLANNED, StepStatus.PENDING, StepStatus.WAITING)


class OptOut(Base):
    """An objection to one purpose of processing (art. 21), kept as a suppression entry."""

    __tablename__ = "optout"
    __table_args__ = (UniqueConstraint("email", "purpose"), UniqueConstraint("phone", "purpose"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # The identifier the objection holds for: an e-mail address, or a phone number in
    # international form (+31612345678) for the calls and texts that reach a phone.
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RegisterEntry(Base):
    """One version of a processing order in the processor register (art. 30(2))."""

    __tablename__ = "register_entry"
    __table_args__ = (UniqueConstraint("client_id", "order_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"), index=True)
    order_key: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # active, superseded, ended
    change: Mapped[str] = mapped_column(String(16))  # new, amended, ended
    fields: Mapped[Any] = mapped_column(JSON)
    missing: Mapped[Any] = mapped_column(JSON)
    contact_email: Mapped[str] = mapped_column(String(320))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("register_entry.id"))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class OutboxMessage(HasStates, Base):
    """A message waiting to leave, or that left. Written with the change that caused it."""

    __tablename__ = "outbox"
    machine = OUTBOX
    __table_args__ = (UniqueConstraint("purpose", "inbound_id"),
                      Index("ix_outbox_status_next", "status", "next_attempt_at"),
                      # the per-sender rate limit counts recent mail of one purpose
                      Index("ix_outbox_recipient_purpose_created", "recipient", "purpose",
                            "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    purpose: Mapped[str] = mapped_column(String(40))
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    envelope_from: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    message: Mapped[bytes | None] = mapped_column(SealedBytes)
    status: Mapped[OutboxStatus] = mapped_column(StateColumn(OutboxStatus, 16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # on its way to the server now, or about to be: if its claim runs out so, it is UNCERTAIN
    sending: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Event(Base):
    """The audit trail: who did what, when."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    inbound_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_mail.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"), index=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    detail: Mapped[Any] = mapped_column(SealedJSON, nullable=True)


class Client(Base):
    """A business for which the organisation is a processor."""

    __tablename__ = "client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    address: Mapped[str | None] = mapped_column(Text)
    dpo: Mapped[str | None] = mapped_column(String(320))  # the client's DPO or representative
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    contacts: Mapped[list[ClientContact]] = relationship(back_populates="client",
                                                         cascade="all, delete-orphan")


class ClientContact(Base):
    __tablename__ = "client_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id"))
    email: Mapped[str] = mapped_column(String(320), unique=True)

    client: Mapped[Client] = relationship(back_populates="contacts")


class StaffUser(Base):
    """A person who signs in to the staff console (roles: viewer, approver, admin)."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffSession(Base):
    """A signed-in browser; the cookie holds the token, the table only its SHA-256."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"),
                                         index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    user: Mapped[StaffUser] = relationship()


class LoginAttempt(Base):
    """A failed or successful console login, keyed by a hash of the name or the client address
    (for slowing down guessing)."""

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    succeeded: Mapped[bool] = mapped_column()


class Notice(Base):
    """A reminder, escalation or other one-off mail about a request that must go out once.

    The unique key is the claim: whoever inserts the row first (one scan, one daemon) sends,
    in the same transaction as its outbox message; everybody else gets IntegrityError.
    """

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("request_id", "kind", "point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"))
    kind: Mapped[str] = mapped_column(String(32))  # target, due, overdue, verification
    point: Mapped[str] = mapped_column(String(64))  # which one, e.g. "2:2026-12-14"
    due_on: Mapped[date] = mapped_column(Date)  # the local day it became due
    recipient: Mapped[str] = mapped_column(String(320))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Digest(Base):
    """The daily digest for staff: one a day, whichever daemon sends it."""

    __tablename__ = "digest"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    counts: Mapped[Any] = mapped_column(JSON)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Extension(HasStates, Base):
    """An extension of a request's deadline (art. 12(3)): effective once its notice left
    before the first deadline; lapsed when that deadline passed first."""

    __tablename__ = "extension"
    machine = EXTENSIONS

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"), index=True)
    months: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ExtensionStatus] = mapped_column(StateColumn(ExtensionStatus, 16))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("draft.id"))
    original_due_at: Mapped[date] = mapped_column(Date)
    new_due_at: Mapped[date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OAuthToken(Base):
    """One OAuth2 account's tokens and standing (``account``: mailbox or smtp). The refresh
    token is the newest one the provider gave (a rotated one replaces the configured one);
    ``seed_hash`` fingerprints the configured refresh token the chain started from, so a new
    one put in the file is noticed. ``status`` refused: the provider refused the grant."""

    __tablename__ = "oauth_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(32), unique=True)
    provider: Mapped[str] = mapped_column(String(16))
    client_id: Mapped[str] = mapped_column(String(255))
    seed_hash: Mapped[str | None] = mapped_column(String(64))
    refresh_token: Mapped[str | None] = mapped_column(SealedText)
    access_token: Mapped[str | None] = mapped_column(SealedText)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[GrantStatus] = mapped_column(StateColumn(GrantStatus, 16))
    error: Mapped[str | None] = mapped_column(Text)
    refused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # staff told of refusal
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class MailboxLease(Base):
    """Who fetches a mailbox: on a shared database one worker at a time holds the lease,
    renews it while it works and loses it ``expires_at`` when it stops renewing."""

    __tablename__ = "mailbox_lease"

    mailbox: Mapped[str] = mapped_column(String(500), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WorkerBeat(Base):
    """A running worker and when it last said so: the live ones share the mailboxes."""

    __tablename__ = "worker_beat"

    holder: Mapped[str] = mapped_column(String(200), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
