"""Staff decisions on drafts: approve, reject, edit. A draft is named by its id or by the
reference of its request (which must then have exactly one draft waiting)."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.domain.staff import Role
from mailbot.domain.states import DraftStatus
from mailbot.errors import NotFound, Stale, WorkflowError
from mailbot.handle import drafts
from mailbot.service.base import Service
from mailbot.store.models import Draft
from mailbot.store.repository import Repository


@dataclass(frozen=True, slots=True)
class DraftOutcome:
    draft_id: int
    reference: str | None
    recipient: str
    status: str
    version: int
    request_status: str
    by: str


def _outcome(draft: Draft, by: str) -> DraftOutcome:
    return DraftOutcome(draft.id, draft.request.reference, draft.recipient, draft.status,
                        draft.version, draft.request.status, by)


def find(repo: Repository, ident: str | int, *, waiting: bool = True) -> Draft:
    """The draft with this id; or, for a reference, the request's draft that waits for
    approval (``waiting``: it must be the only one), else its latest draft."""
    text = str(ident).strip()
    if text.isdigit():
        draft = repo.drafts.get(int(text))
        if draft is None:
            raise NotFound(f"no draft {text}")
        return draft
    request = repo.requests.find(text)
    pending = [d for d in request.drafts if d.status == DraftStatus.PENDING_APPROVAL]
    if len(pending) > 1 and waiting:
        raise WorkflowError(f"request {request.reference} has {len(pending)} drafts waiting "
                            f"(ids {', '.join(str(d.id) for d in pending)}): name one by id")
    if pending:
        return pending[0]
    if waiting or not request.drafts:
        raise NotFound(f"request {request.reference} has no draft waiting for approval")
    return request.drafts[-1]


def approve(service: Service, ident: str | int, *, by: str,
            version: int | None = None) -> DraftOutcome:
    """Approve a waiting draft: it goes to the outbox and what it confirms is applied.
    ``version``: the version the approver read (a later edit makes the approval stale)."""
    with service.acting(by, Role.APPROVER) as act:
        draft = find(act.repo, ident)
        if version is not None and version != draft.version:
            raise Stale(f"draft {draft.id} changed since you read it (now version "
                        f"{draft.version}): read it again")
        drafts.approve(act.ctx, draft.id)
        return _outcome(draft, act.by)


def reject(service: Service, ident: str | int, reason: str, *, by: str) -> DraftOutcome:
    """Reject a waiting draft; the request goes back to a person (triage)."""
    with service.acting(by, Role.APPROVER) as act:
        draft = find(act.repo, ident)
        drafts.reject(act.ctx, draft.id, reason)
        return _outcome(draft, act.by)


def edit(service: Service, ident: str | int, text: str, *, by: str) -> DraftOutcome:
    """Replace a waiting draft's text (a first line ``Subject: ...`` replaces the subject)."""
    with service.acting(by, Role.APPROVER) as act:
        draft = find(act.repo, ident)
        drafts.edit(act.ctx, draft.id, text)
        return _outcome(draft, act.by)
