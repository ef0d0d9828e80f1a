"""Erasing what mailbot itself holds about an address (art. 17), except the minimal record
that each request was handled: reference, kind, dates, status, who decided. Opt-outs stay:
the suppression list must remember who objected.

Mail that is still to leave (a pending outbox message and its draft, such as the erasure's
own confirmation) and drafts that still wait for a staff decision are left as they are and
named in the result, so staff can see them.

The requests' decided steps keep their action, target, status, who decided and when, and
mailbot's own counts; the person's address, staff's notes and instructions go
(``scrub_step``). A step still open keeps what staff or mailbot need to carry it out, and is
scrubbed once its result is recorded (handle/steps.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from mailbot.domain.states import DraftStatus, OutboxStatus
from mailbot.store.models import Draft, Request, Step
from mailbot.store.repository import Repository

PLACEHOLDER = "[erased]"
PURGED = "[purged]"  # what the retention purge leaves (deadlines/retention.py)
# Keys of request details and event details whose values say nothing about the person.
SAFE_KEYS = frozenset({
    "kind", "purposes", "purpose", "draft_id", "version", "needs_approval", "from", "to",
    "method", "outbox_id", "bounced_outbox_id", "due", "confidence", "rule", "status", "of",
    "rows", "done", "source", "sources", "count", "child", "for_child", "step", "action",
    "erased_at",
})
_SCALARS = (str, int, float, bool, type(None))
# Keys of a step's details that say nothing about the person: what the answer is rebuilt
# from (the legal reason a source keeps data, the client named, the step a person took
# over) and mailbot's own counts and mail ids.
STEP_SAFE_KEYS = SAFE_KEYS | frozenset({
    "reason", "client", "named", "instead_of", "whose", "mails", "erased", "deletions",
    "inbound", "requests", "drafts", "outbox", "events", "kept_drafts", "outcome",
    "mailbox", "uidvalidity", "uid", "removed_from", "found_by", "right"})
# Results mailbot writes that hold nothing about the person; any other text goes.
_SAFE_RESULT = re.compile(r"\d+ records?|(?:sent|in the outbox) as <[^<>@\s]+@[^<>\s]+>|"
                          r"(?:approved|recorded) by [^@\n]{1,80}|the content of the person's "
                          r"mail and records was erased")


@dataclass(frozen=True, slots=True)
class Erased:
    """How many records lost their personal content, and the drafts left as they were."""

    inbound: int = 0
    requests: int = 0
    drafts: int = 0
    outbox: int = 0
    events: int = 0
    kept_drafts: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        result = asdict(self)
        result["kept_drafts"] = list(self.kept_drafts)
        return result


def scrub(values: Any) -> Any:
    """A details mapping with every value that could describe the person replaced."""
    if not isinstance(values, dict):
        return None if values is None else PLACEHOLDER
    return {key: value if key in SAFE_KEYS and _plain(value) else PLACEHOLDER
            for key, value in values.items()}


def erased(request: Request) -> str | None:
    """The placeholder of ``request`` when its personal content was erased or purged (a step
    decided later is scrubbed at once), else None."""
    if request.purged_at is not None:
        return PURGED
    return PLACEHOLDER if request.subject == PLACEHOLDER else None


def scrub_step(step: Step, placeholder: str = PLACEHOLDER) -> None:
    """A decided step keeps what it was (action, target, status), who decided and when,
    and mailbot's own counts; the person's address and any words about them go from its
    details, instruction, result and staff's note."""
    step.detail = _scrub_nested(step.detail, placeholder)
    if step.instruction:
        step.instruction = placeholder
    if step.note:
        step.note = placeholder
    if step.result and not _SAFE_RESULT.fullmatch(step.result):
        step.result = placeholder


def _scrub_nested(values: Any, placeholder: str) -> Any:
    if isinstance(values, dict):
        return {key: _scrub_nested(value, placeholder) if key in STEP_SAFE_KEYS
                else placeholder for key, value in values.items()}
    if isinstance(values, list):
        return [_scrub_nested(v, placeholder) for v in values]
    return values if isinstance(values, _SCALARS) else placeholder


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, _SCALARS) for v in value)
    return isinstance(value, _SCALARS)


def _leaving(repo: Repository, draft: Draft) -> bool:
    if draft.outbox_id is None:
        return False
    outbox = repo.outbox.get(draft.outbox_id)
    return outbox is not None and outbox.status == OutboxStatus.PENDING


def erase_address(repo: Repository, email: str, *,
                  keep_draft_ids: Iterable[int] = ()) -> Erased:
    """Erase the personal content of every mail from ``email`` and of every request, draft,
    sent message and audit event about it. Safe to run more than once."""
    email = email.lower()
    mails = repo.inbound.from_sender(email)
    mail_ids = {m.id for m in mails}
    requests = repo.requests.of_sender_or_mails(email, mail_ids)
    request_ids = {r.id for r in requests}
    for mail in mails:
        mail.forget_content(PLACEHOLDER)
    for request in requests:
        request.subject = PLACEHOLDER
        request.evidence = None
        request.details = scrub(request.details)
        for step in request.steps:
            if not step.open:  # an open step is staff's or mailbot's work still to do
                scrub_step(step)
    keep = set(keep_draft_ids)
    kept, erased_drafts = [], 0
    for request in requests:
        for draft in request.drafts:
            if (draft.id in keep or draft.status == DraftStatus.PENDING_APPROVAL
                    or _leaving(repo, draft)):
                kept.append(draft.id)
                continue
            draft.subject = draft.body = PLACEHOLDER
            if draft.reason:
                draft.reason = PLACEHOLDER
            erased_drafts += 1
    sent = repo.outbox.left_for(email, request_ids, mail_ids)
    for message in sent:
        message.message = None
    events = repo.events.about(request_ids, mail_ids)
    for event in events:
        event.detail = scrub(event.detail)
    repo.flush()
    return Erased(inbound=len(mails), requests=len(requests), drafts=erased_drafts,
                  outbox=len(sent), events=len(events), kept_drafts=tuple(sorted(kept)))
