"""The retention purge: once a request has been closed for its kind's period
(``retention.<kind>`` days), the mail's text, raw message and subject, the reply texts, the
sent messages and the details of its timeline go. What stays is the minimal record that it
was handled: reference, kind, received, due, closed, status, and who approved what when
(drafts keep purpose, status and decider; events keep action, actor and time). The
requester's address goes too unless ``retention.keep_sender``.

Mail that held no request (auto-replies, bounces, list mail, quarantine, verification
answers) and staff digests go after ``retention.other_mail`` days.

On SQLite the purge runs with ``secure_delete`` and checkpoints the WAL afterwards, so the
old (encrypted) bytes do not linger in free pages or the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, or_, select, text
from sqlalchemy.orm import Session, defer

from mailbot.config import Settings
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import CLOSED_STATUSES, OutboxStatus
from mailbot.handle.own_erasure import PLACEHOLDER as ERASED
from mailbot.handle.own_erasure import scrub
from mailbot.store.models import (
    Digest,
    Event,
    Extension,
    InboundMail,
    Notice,
    OutboxMessage,
    Request,
    Verification,
)
from mailbot.store.uow import UnitOfWork

PURGED = "[purged]"


@dataclass
class PurgeItem:
    what: str  # request, request mail, other mail or digest
    ident: str
    since: datetime  # closed (request), received (mail), sent (digest)
    days: int
    parts: list[str]

    def line(self) -> str:
        return (f"{self.what} {self.ident}, {self._since_word()} {self.since:%Y-%m-%d} "
                f"(kept {self.days} days): {', '.join(self.parts) or 'nothing left'}")

    def _since_word(self) -> str:
        return {"request": "closed", "digest": "sent"}.get(self.what, "received")


@dataclass
class PurgeReport:
    now: datetime
    dry_run: bool
    items: list[PurgeItem] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # due, but left for now, and why

    def listing(self) -> str:
        """What went (or, in a dry run, would go), readable."""
        counts = {w: sum(1 for i in self.items if i.what.endswith(w))
                  for w in ("request", "mail", "digest")}
        head = ("would purge" if self.dry_run else "purged") + (
            f" {counts['request']} request(s), {counts['mail']} mail(s), "
            f"{counts['digest']} digest(s)")
        lines = [head + (":" if self.items else "")]
        lines += [f"  {item.line()}" for item in self.items]
        if self.kept:
            lines.append("left for now:")
            lines += [f"  {why}" for why in self.kept]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {"dry_run": self.dry_run, "now": self.now.isoformat(),
                "items": [{"what": i.what, "ident": i.ident, "since": i.since.isoformat(),
                           "days": i.days, "parts": i.parts} for i in self.items],
                "kept": self.kept}


def purge(uow: UnitOfWork, settings: Settings, now: datetime, *,
          dry_run: bool) -> PurgeReport:
    """Purge what the retention periods say must go; commits unless ``dry_run``."""
    session = uow.session
    report = PurgeReport(now, dry_run)
    retention = settings.retention
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite and not dry_run:
        session.execute(text("PRAGMA secure_delete = ON"))
    purged_requests: set[int] = set()
    shortest = min(retention.days_for(k) for k in RequestKind)
    for request in _closed_unpurged(session, now - timedelta(days=shortest)):
        days = retention.days_for(request.kind)
        assert request.closed_at is not None
        if request.closed_at > now - timedelta(days=days):
            continue
        if _pending_outbox(session, request):
            report.kept.append(f"request {request.reference}: a message still waits to be "
                               "sent")
            continue
        parts = _purge_request(session, request, retention.keep_sender, now, dry_run)
        report.items.append(PurgeItem("request", request.reference or str(request.id),
                                      request.closed_at, days, parts))
        purged_requests.add(request.id)
    if not dry_run:
        session.flush()
    for mail, days in _mails_due(session, settings, purged_requests, now):
        parts = _purge_mail(session, mail, retention.keep_sender, now, dry_run)
        report.items.append(_mail_item(mail, days, parts))
    for digest, outbox in _old_digests(session, now - timedelta(days=retention.other_mail)):
        report.items.append(PurgeItem("digest", digest.day.isoformat(), digest.created_at,
                                      retention.other_mail, ["the digest mail"]))
        if not dry_run:
            outbox.message = None
    if dry_run:
        session.rollback()
        return report
    session.flush()
    uow.commit()
    if sqlite and report.items:
        with session.get_bind().connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return report


def _closed_unpurged(session: Session, before: datetime) -> list[Request]:
    return list(session.scalars(select(Request).where(
        Request.status.in_(CLOSED_STATUSES), Request.closed_at <= before,
        Request.purged_at.is_(None)).order_by(Request.closed_at, Request.id)))


def _pending_outbox(session: Session, request: Request) -> bool:
    return session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.request_id == request.id, OutboxMessage.status == OutboxStatus.PENDING)
        .limit(1)) is not None


def _purge_request(session: Session, request: Request, keep_sender: bool, now: datetime,
                   dry_run: bool) -> list[str]:
    sender = request.sender
    parts = ["subject", "evidence", "details"]
    drafts = [d for d in request.drafts if d.body != PURGED]
    outbox = list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.request_id == request.id)))
    events = list(session.scalars(select(Event).where(Event.request_id == request.id,
                                                      Event.detail.is_not(None))))
    extensions = list(session.scalars(select(Extension).where(
        Extension.request_id == request.id)))
    verifications = list(session.scalars(select(Verification).where(
        Verification.request_id == request.id)))
    notices = list(session.scalars(select(Notice).where(Notice.request_id == request.id)))
    if drafts:
        parts.append(f"{len(drafts)} draft text(s)")
    sent = [o for o in outbox if o.message is not None]
    if sent:
        parts.append(f"{len(sent)} sent message(s)")
    if events:
        parts.append(f"details of {len(events)} timeline event(s)")
    if extensions:
        parts.append("extension reason(s)")
    if not keep_sender:
        parts.append("the sender's address")
    if dry_run:
        return parts
    request.subject = None
    request.evidence = None
    request.details = _scrub(request.details)
    request.extension_reason = None
    for extension in extensions:
        extension.reason = PURGED
    for draft in drafts:
        draft.subject = draft.body = PURGED
        if draft.reason:
            draft.reason = PURGED
    for message in outbox:
        message.message = None
        message.last_error = None
    for event in events:
        event.detail = _scrub(event.detail)
    if not keep_sender:
        request.sender = ""
        for draft in request.drafts:
            if draft.recipient == sender:
                draft.recipient = ""
        for message in outbox:
            if message.recipient == sender:
                message.recipient = ""
        for verification in verifications:
            verification.address = ""
        for notice in notices:
            if notice.recipient == sender:
                notice.recipient = ""
    request.purged_at = now
    return parts


def _mails_due(session: Session, settings: Settings, purged_now: set[int],
               now: datetime) -> list[tuple[InboundMail, int]]:
    """Mails whose time has come, with their period: every request a mail carried has been
    purged, or (without requests) it arrived ``retention.other_mail`` days ago."""
    retention = settings.retention
    unpurged = (Request.inbound_id == InboundMail.id) & Request.purged_at.is_(None)
    if purged_now:
        unpurged &= Request.id.not_in(purged_now)
    lighter = (defer(InboundMail.body_text), defer(InboundMail.classification))
    carried = session.scalars(select(InboundMail).options(*lighter).where(
        InboundMail.purged_at.is_(None), InboundMail.requests.any(), ~exists().where(unpurged))
        .order_by(InboundMail.id)).all()
    alone = session.scalars(select(InboundMail).options(*lighter).where(
        InboundMail.purged_at.is_(None), ~InboundMail.requests.any(),
        InboundMail.received_at <= now - timedelta(days=retention.other_mail))
        .order_by(InboundMail.id)).all()
    found = [(m, max(retention.days_for(r.kind) for r in m.requests)) for m in carried]
    return found + [(m, retention.other_mail) for m in alone]


def _mail_item(mail: InboundMail, days: int, parts: list[str]) -> PurgeItem:
    if mail.requests:
        references = ", ".join(r.reference or str(r.id) for r in mail.requests)
        return PurgeItem("request mail", f"{mail.id} ({references})", mail.received_at, days,
                         parts)
    return PurgeItem("other mail", f"{mail.id} ({mail.disposition})", mail.received_at, days,
                     parts)


def _purge_mail(session: Session, mail: InboundMail, keep_sender: bool, now: datetime,
                dry_run: bool) -> list[str]:
    parts = [f"raw message ({mail.raw_size} bytes)", "text", "subject", "sender name",
             "classification"]
    if not keep_sender and mail.sender:
        parts.append("the sender's address")
    own = [r.id for r in mail.requests]  # their messages go with the requests
    outbox = list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.inbound_id == mail.id, OutboxMessage.message.is_not(None),
        or_(OutboxMessage.request_id.is_(None), OutboxMessage.request_id.not_in(own)))))
    events = list(session.scalars(select(Event).where(Event.inbound_id == mail.id,
                                                      Event.detail.is_not(None))))
    if outbox:
        parts.append(f"{len(outbox)} sent message(s)")
    if dry_run:
        return parts
    sender = mail.sender
    mail.forget_content()
    for message in outbox:
        message.message = None
        if not keep_sender and message.recipient == sender:
            message.recipient = ""
    for event in events:
        event.detail = _scrub(event.detail)
    if not keep_sender:
        mail.sender = None
    mail.purged_at = now
    return parts


def _old_digests(session: Session, before: datetime) -> list[tuple[Digest, OutboxMessage]]:
    rows = session.execute(select(Digest, OutboxMessage)
                           .join(OutboxMessage, OutboxMessage.id == Digest.outbox_id)
                           .where(Digest.created_at <= before,
                                  OutboxMessage.message.is_not(None),
                                  OutboxMessage.status != OutboxStatus.PENDING)).all()
    return [(digest, outbox) for digest, outbox in rows]


def _scrub(values: Any) -> Any:
    """Details without anything that could describe the person (keys kept only when their
    value says nothing about them, as for an erasure)."""
    scrubbed = scrub(values)
    if not isinstance(scrubbed, dict):
        return None
    return {key: value for key, value in scrubbed.items() if value != ERASED} or None
