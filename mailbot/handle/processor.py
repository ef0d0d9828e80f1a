"""Data we hold for a client (we are its processor): the request is forwarded to that client
(art. 28(3)(e)) through a draft staff approve, recorded as a step; nothing in its source is
changed by us. The person is told only that the request was passed to the organisation
responsible, and which one only when they named it themselves."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailbot.domain.states import StepStatus
from mailbot.domain.steps import StepAction
from mailbot.draft.quoting import quoted_subject
from mailbot.handle import steps
from mailbot.handle.context import HandlerContext
from mailbot.sources.base import Found
from mailbot.store.models import Request, Step

MAX_QUOTED_TEXT = 10_000


@dataclass
class Client:
    name: str
    address: str = ""
    dpo: str = ""
    contact: str | None = None
    sources: list[Found] = field(default_factory=list)


def clients(ctx: HandlerContext, processor: list[Found]) -> list[Client]:
    by_name: dict[str, Client] = {}
    for found in processor:
        name = found.settings.client or found.name
        if name not in by_name:
            by_name[name] = _client(ctx, name)
        by_name[name].sources.append(found)
    return list(by_name.values())


def _client(ctx: HandlerContext, name: str) -> Client:
    client = ctx.repo.clients.by_name(name)
    if client is None:
        return Client(name)
    contact = ctx.repo.clients.first_contact(client)
    address = ", ".join(line.strip() for line in (client.address or "").splitlines()
                        if line.strip())
    return Client(client.name, address, client.dpo or "", contact)


def named_by_person(ctx: HandlerContext, request: Request, client: str) -> bool:
    """Whether the person's own mail names ``client`` (only then may we name it)."""
    text = " ".join(f"{request.subject or ''} {ctx.mail_text(request)}".lower().split())
    return bool(client.strip()) and client.lower() in text


def forward(ctx: HandlerContext, request: Request, client: Client,
            extra: dict[str, Any] | None = None) -> Step:
    """A draft forwarding the request to the client's contact (staff approve it) and its
    step; without a contact, a manual step."""
    detail = {"client": client.name, "named": named_by_person(ctx, request, client.name),
              "sources": [f.name for f in client.sources]}
    if client.contact is None:
        return steps.manual(ctx, request, f"forward request {request.reference} to "
                            f"{client.name} by hand: no contact is registered for them "
                            "(mailbot clients add NAME --contact EMAIL)",
                            target=client.name, detail=detail, action=StepAction.FORWARD)
    text = ctx.mail_text(request).strip()
    if len(text) > MAX_QUOTED_TEXT:
        text = text[:MAX_QUOTED_TEXT] + "\n[...]"
    draft = ctx.draft(
        request, template="forward_to_client", purpose="forward_to_client",
        recipient=client.contact, language=ctx.settings.organisation.language,
        needs_approval=True,
        context={
            "kind": request.kind,
            "reference": request.reference,
            "client": client.name,
            "sender": request.sender,
            "sender_name": request.inbound.sender_name or "",
            "subject": quoted_subject(ctx.mail_subject(request)),
            "received": ctx.local_date(request.received_at),
            "quoted": "\n".join(f"> {line}".rstrip() for line in text.splitlines()),
            "sources": [{"name": f.name, "rows": len(f.records)} for f in client.sources],
            "changes": [], **(extra or {}),
        })
    step = steps.add(ctx, request, StepAction.FORWARD, client.name,
                     status=StepStatus.WAITING, detail=detail,
                     instruction=f"approve or reject the forward (draft {draft.id})")
    step.draft_id = draft.id
    return step


def told(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What an answer may say of each forward: done or not, and the client's name only
    when the person named it."""
    return [{"status": r["status"], "client": r["detail"].get("client", "")
             if r["detail"].get("named") else ""}
            for r in results if r["action"] == StepAction.FORWARD]
