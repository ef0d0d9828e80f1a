"""The retention purge: once a request has been closed for its kind's period
(``retention.<kind>`` days), the mail's text, raw message and subject, the reply texts, the
sent messages and the details of its timeline go. What stays is the minimal record that it
was handled: reference, kind, received, due, closed, status, and who approved what when
(drafts keep purpose, status and decider; events keep action, actor and time; steps keep
action, target, status, decider and time). The
requester's address goes too unless ``retention.keep_sender``.

Mail that held no request (auto-replies, bounces, list mail, quarantine, verification
answers) and staff digests go after ``retention.other_mail`` days.

The original of each purged mail is deleted from the mailbox too (``delete_original``), and
recorded as a step of its requests; a copy that could not be deleted is a step waiting for
a person, and the report says so.

On SQLite the purge runs with ``secure_delete`` and checkpoints the WAL afterwards, so the
old (encrypted) bytes do not linger in free pages or the log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from mailbot.config import Settings
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import StepStatus
from mailbot.domain.steps import StepAction
from mailbot.errors import MailboxError
from mailbot.handle.own_erasure import PLACEHOLDER as ERASED
from mailbot.handle.own_erasure import PURGED, scrub, scrub_step
from mailbot.mailbox.deletion import Deletion, DeletionOutcome, MailKey
from mailbot.mailbox.source import MailSource
from mailbot.store.models import (
    Event,
    InboundMail,
    Request,
    Step,
)
from mailbot.store.repository import Repository
from mailbot.store.uow import UnitOfWork


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
          dry_run: bool, mailbox: Callable[[], MailSource] | None = None) -> PurgeReport:
    """Purge what the retention periods say must go; commits unless ``dry_run``.
    ``mailbox`` opens the mailbox the originals are deleted from."""
    repo = uow.repo
    copies = _Copies(mailbox)
    report = PurgeReport(now, dry_run)
    retention = settings.retention
    if not dry_run:
        repo.erase_deleted_content()
    purged_requests: set[int] = set()
    by_kind = {str(k): now - timedelta(days=retention.days_for(k)) for k in RequestKind}
    for request in repo.requests.closed_unpurged(
            by_kind, now - timedelta(days=retention.special_categories)):
        days = retention.days_for_request(request.kind, bool(request.inbound.special))
        assert request.closed_at is not None
        if request.closed_at > now - timedelta(days=days):
            continue
        if repo.outbox.pending_for_request(request.id):
            report.kept.append(f"request {request.reference}: a message still waits to be "
                               "sent")
            continue
        parts = _purge_request(repo, request, retention.keep_sender, now, dry_run)
        report.items.append(PurgeItem("request", request.reference or str(request.id),
                                      request.closed_at, days, parts))
        purged_requests.add(request.id)
    if not dry_run:
        repo.flush()
    for mail, days in _mails_due(repo, settings, purged_requests, now):
        key = MailKey(mail.mailbox, mail.uidvalidity, mail.uid, mail.raw_sha256,
                      mail.message_id, mail.internaldate)
        parts = _purge_mail(repo, mail, retention.keep_sender, now, dry_run)
        if not dry_run and mail.uid:
            kept = _delete_copy(repo, copies, mail, key, now)
            if kept is None:
                parts.append("the mailbox copy")
            else:
                report.kept.append(kept)
        report.items.append(_mail_item(mail, days, parts))
    copies.close()
    for digest, outbox in repo.outbox.old_digests(now - timedelta(days=retention.other_mail)):
        report.items.append(PurgeItem("digest", digest.day.isoformat(), digest.created_at,
                                      retention.other_mail, ["the digest mail"]))
        if not dry_run:
            outbox.message = None
    if dry_run:
        uow.rollback()
        return report
    repo.flush()
    uow.commit()
    if report.items:
        uow.checkpoint()
    return report


def _purge_request(repo: Repository, request: Request, keep_sender: bool, now: datetime,
                   dry_run: bool) -> list[str]:
    sender = request.sender
    parts = ["subject", "evidence", "details"]
    drafts = [d for d in request.drafts if d.body != PURGED]
    outbox = repo.outbox.for_request(request.id)
    events = repo.events.with_detail(request_id=request.id)
    extensions = repo.extensions.of(request.id)
    verifications = repo.verifications.for_request(request.id)
    notices = repo.notices.of(request.id)
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
    for step in request.steps:
        if not step.open:
            scrub_step(step, PURGED)
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


def _mails_due(repo: Repository, settings: Settings, purged_now: set[int],
               now: datetime) -> list[tuple[InboundMail, int]]:
    """Mails whose time has come, with their period: every request a mail carried has been
    purged, or (without requests) it arrived ``retention.other_mail`` days ago."""
    retention = settings.retention
    carried, alone = repo.inbound.due_for_purge(
        purged_now, now - timedelta(days=retention.other_mail))
    found = [(m, max(retention.days_for_request(r.kind, bool(m.special)) for r in m.requests))
             for m in carried]
    return found + [(m, retention.other_mail) for m in alone]


def _mail_item(mail: InboundMail, days: int, parts: list[str]) -> PurgeItem:
    if mail.requests:
        references = ", ".join(r.reference or str(r.id) for r in mail.requests)
        return PurgeItem("request mail", f"{mail.id} ({references})", mail.received_at, days,
                         parts)
    return PurgeItem("other mail", f"{mail.id} ({mail.disposition})", mail.received_at, days,
                     parts)


def _purge_mail(repo: Repository, mail: InboundMail, keep_sender: bool, now: datetime,
                dry_run: bool) -> list[str]:
    parts = [f"raw message ({mail.raw_size} bytes)", "text", "subject", "sender name",
             "classification"]
    if not keep_sender and mail.sender:
        parts.append("the sender's address")
    own = [r.id for r in mail.requests]  # their messages go with the requests
    outbox = repo.outbox.about_mail_only(mail.id, own)
    events = repo.events.with_detail(inbound_id=mail.id)
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


def _scrub(values: Any) -> Any:
    """Details without anything that could describe the person (keys kept only when their
    value says nothing about them, as for an erasure)."""
    scrubbed = scrub(values)
    if not isinstance(scrubbed, dict):
        return None
    return {key: value for key, value in scrubbed.items() if value != ERASED} or None


class _Copies:
    """The mailbox, opened once for a purge run when a copy is to be deleted."""

    def __init__(self, opener: Callable[[], MailSource] | None) -> None:
        self.opener = opener
        self.source: MailSource | None = None

    def delete(self, key: MailKey) -> Deletion:
        if self.opener is None:
            return Deletion(key, DeletionOutcome.FAILED, "no mailbox to delete it from here")
        try:
            if self.source is None:
                source = self.opener()
                source.open()
                self.source = source
            return self.source.delete_original(key)
        except MailboxError as exc:
            return Deletion(key, DeletionOutcome.FAILED, str(exc), error=exc)

    def close(self) -> None:
        if self.source is not None:
            self.source.close()


def _delete_copy(repo: Repository, copies: _Copies, mail: InboundMail, key: MailKey,
                 now: datetime) -> str | None:
    """Delete ``mail``'s original, recorded as a step of each of its requests (an event for
    mail without one); None when it is gone, else what staff must do."""
    deletion = copies.delete(key)
    status = StepStatus.DONE if deletion.done else StepStatus.WAITING
    for request in mail.requests:
        request.steps.append(Step(
            request_id=request.id, position=len(request.steps) + 1,
            action=StepAction.DELETE_MAILBOX_COPY, target="mailbox", status=status,
            detail=deletion.as_dict(), result=deletion.detail,
            instruction=None if deletion.done else
            "the retention purge could not delete this mail from the mailbox: delete it by "
            "hand", decided_by="mailbot" if deletion.done else None,
            decided_at=now if deletion.done else None, created_at=now))
    repo.add(Event(at=now, actor="mailbot", action="mailbox_copy_deleted" if deletion.done
                   else "mailbox_copy_not_deleted", inbound_id=mail.id,
                   detail={"outcome": deletion.outcome.value}))
    if deletion.done:
        return None
    return (f"mail {mail.id}: its mailbox copy could not be deleted ({deletion.detail}); "
            "delete it by hand")
