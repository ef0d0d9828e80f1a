"""Read models: what the CLI and the console show, as plain dicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mailbot.domain.states import StepStatus
from mailbot.domain.steps import StepAction
from mailbot.store.models import (
    Draft,
    Event,
    InboundMail,
    OutboxMessage,
    Request,
    Step,
)
from mailbot.store.repository import Repository


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def request_view(r: Request) -> dict[str, Any]:
    return {
        "id": r.id, "reference": r.reference, "kind": r.kind, "status": r.status,
        "sender": r.sender, "language": r.language, "received_at": _iso(r.received_at),
        "due_at": r.due_at.isoformat(), "subject": r.subject, "confidence": r.confidence,
        "triage": r.triage, "inbound_id": r.inbound_id, "assigned_to": r.assigned_to,
        "child": r.child, "special": r.special,
    }


def inbound_view(m: InboundMail) -> dict[str, Any]:
    return {
        "id": m.id, "message_id": m.message_id, "sender": m.sender, "subject": m.subject,
        "disposition": m.disposition, "rule": m.disposition_rule,
        "reason": m.disposition_reason, "error": m.error, "language": m.language,
        "request_ids": [r.id for r in m.requests], "received_at": _iso(m.received_at),
        "mailbox": m.mailbox, "uidvalidity": m.uidvalidity, "uid": m.uid,
        "size": m.raw_size, "duplicate_of": m.duplicate_of_id,
    }


def outbox_view(o: OutboxMessage, reference: str | None = None) -> dict[str, Any]:
    return {
        "id": o.id, "message_id": o.message_id, "purpose": o.purpose, "status": o.status,
        "recipient": o.recipient, "inbound_id": o.inbound_id, "request_id": o.request_id,
        "reference": reference,
        "attempts": o.attempts, "next_attempt_at": _iso(o.next_attempt_at),
        "last_error": o.last_error, "created_at": _iso(o.created_at),
        "sent_at": _iso(o.sent_at),
    }


def requests(repo: Repository, *, status: str | None = None, kind: str | None = None,
             sender: str | None = None, assigned_to: str | None = None,
             limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    return [request_view(r) for r in repo.requests.list(status=status, kind=kind,
                                                        sender=sender,
                                                        assigned_to=assigned_to,
                                                        limit=limit, offset=offset)]


def inbound(repo: Repository, *, disposition: str | None = None) -> list[dict[str, Any]]:
    return [inbound_view(m) for m in repo.inbound.list(disposition=disposition)]


def outbox(repo: Repository, *, status: str | None = None, limit: int | None = None,
           offset: int = 0, newest_first: bool = False) -> list[dict[str, Any]]:
    rows = repo.outbox.list(status=status, limit=limit, offset=offset,
                            newest_first=newest_first)
    references = repo.requests.references({o.request_id for o in rows if o.request_id})
    return [outbox_view(o, references.get(o.request_id or 0)) for o in rows]


def clients(repo: Repository) -> list[dict[str, Any]]:
    return [{"id": c.id, "name": c.name, "contacts": [k.email for k in c.contacts]}
            for c in repo.clients.all()]


def draft_view(d: Draft) -> dict[str, Any]:
    return {
        "id": d.id, "request_id": d.request_id, "reference": d.request.reference,
        "kind": d.request.kind, "purpose": d.purpose, "status": d.status,
        "recipient": d.recipient, "language": d.language, "needs_approval": d.needs_approval,
        "personal_data": d.personal_data, "subject": d.subject, "version": d.version,
        "created_at": _iso(d.created_at), "decided_by": d.decided_by,
        "decided_at": _iso(d.decided_at), "reason": d.reason,
    }


def drafts(repo: Repository, *, status: str | None = None) -> list[dict[str, Any]]:
    return [draft_view(d) for d in repo.drafts.list(status=status)]


def event_view(e: Event) -> dict[str, Any]:
    return {"at": _iso(e.at), "actor": e.actor, "action": e.action, "detail": e.detail,
            "outbox_id": e.outbox_id}


def request_detail(repo: Repository, r: Request, zone: str,
                   target_working_days: int = 5) -> dict[str, Any]:
    """Everything staff need on one request, including how its dates were computed."""
    from mailbot.domain.calendar import due_computation, target_date

    return {
        **request_view(r),
        "verified_at": _iso(r.verified_at), "verification_method": r.verification_method,
        "closed_at": _iso(r.closed_at), "details": r.details,
        # art. 9 data in the mail: the categories (the passages stay in the mail's record)
        "special_categories": list((r.inbound.special or {}).get("categories", [])),
        "special_included": r.inbound.special_included,
        "evidence": r.evidence,
        "target_at": (r.target_at or target_date(r.due_at, target_working_days)).isoformat(),
        "original_due_at": r.original_due_at.isoformat() if r.original_due_at else None,
        "extended_months": r.extended_months,
        "due_computation": due_computation(
            r.received_at, zone, due=r.due_at, target_working_days=target_working_days,
            original_due=r.original_due_at, extended_months=r.extended_months,
            extension_reason=r.extension_reason),
        "drafts": [draft_view(d) for d in r.drafts],
        "steps": [step_view(s) for s in r.steps],
        "timeline": [event_view(e) for e in repo.events.of(request_id=r.id,
                                                            inbound_id=r.inbound_id)],
    }


def describe_step(step: Step) -> str:
    """The step in a few words for staff (never for the person)."""
    what = {StepAction.SEARCH: "search {}", StepAction.ERASE: "erase in {}",
            StepAction.RESTRICT: "restrict in {}", StepAction.CORRECT: "correct in {}",
            StepAction.FORWARD: "forward to {}", StepAction.NOTIFY: "notify {}",
            StepAction.DELETE_MAILBOX_COPY: "delete the copy in the {}",
            StepAction.OPT_OUT: "record the objection in {}",
            StepAction.MANUAL: "by hand: {}",
            StepAction.OTHER_RIGHT: "answer by hand: {}"}[StepAction(step.action)]
    return what.format(step.target)


def step_view(step: Step) -> dict[str, Any]:
    """What a template, the console and the evidence pack show of a step."""
    return {"position": step.position, "action": str(step.action), "target": step.target,
            "status": str(step.status), "what": describe_step(step),
            "waiting": step.status == StepStatus.WAITING,
            "instruction": step.instruction or "", "result": step.result or "",
            "note": step.note or "", "detail": step.detail or {},
            "by": step.decided_by or "",
            "at": step.decided_at.isoformat() if step.decided_at else "",
            "draft_id": step.draft_id, "outbox_id": step.outbox_id}
