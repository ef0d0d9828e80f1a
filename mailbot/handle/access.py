"""Kind ``access`` (art. 15): gather what every source holds about the sender and draft the
answer. Controller data is shown with the art. 15(1) information; data found only in
processor sources is never shown: the person is referred to that client and the request is
forwarded to the client's contact, each in a draft that waits for staff."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Any

from mailbot.domain.kinds import RequestKind
from mailbot.handle.context import HandlerContext
from mailbot.sources.base import Found
from mailbot.sources.factory import recorded_failures
from mailbot.sources.own import beyond
from mailbot.store.models import Draft, Request

WIDTH = 76
MAX_QUOTED_TEXT = 10_000
# Art. 15(1) information an overview needs for each source; recipients may rightly be none.
REQUIRED_INFORMATION = ("purposes", "categories", "retention", "origin")


@dataclass
class _ClientReferral:
    name: str
    address: str = ""
    dpo: str = ""
    contact: str | None = None
    sources: list[Found] = field(default_factory=list)


class AccessHandler:
    kind = RequestKind.ACCESS
    needs_verification = True
    repeatable = True

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        with recorded_failures(ctx.repo) as failures:
            found = ctx.sources.lookup(request.sender, ctx.repo)
        found = _without_this_request(found, request)
        controller = [f for f in found if not f.processor]
        clients = _clients(ctx, [f for f in found if f.processor])
        for name, reason in failures.items():
            ctx.event(request, "source_failed", {"source": name, "reason": reason})
        if failures:
            ctx.event(request, "search_again", {
                "sources": sorted(failures),
                "note": "the answer says the rest follows: once the sources work, search "
                        f"again (mailbot requests research {request.reference})"})
        incomplete = {f.name: missing for f in controller
                      if (missing := [k for k in REQUIRED_INFORMATION
                                      if not getattr(f.settings, k)])}
        answer = "overview" if controller else "referral" if clients else "none"
        summary: dict[str, Any] = {
            "answer": answer,
            "sources_searched": [s.name for s in ctx.sources.settings],
            "rows": {f.name: len(f.records) for f in found},
            "failed": dict(failures),
            "processor_clients": [c.name for c in clients],
            "forwarded_to_clients": [c.name for c in clients if c.contact],
        }
        if incomplete:
            summary["information_missing"] = incomplete
        request.details = {**(request.details or {}), **summary}
        ctx.event(request, "sources_searched", summary)
        for client in clients:
            if client.contact is None:
                ctx.event(request, "forward_manual", {
                    "client": client.name,
                    "why": "no contact registered for this client: forward the request by "
                           "hand (mailbot clients add NAME --contact EMAIL)"})

        common = {
            "reference": request.reference,
            "name": request.inbound.sender_name or "",
            "email": request.sender,
            "received": ctx.local_date(request.received_at),
            # only the names: what went wrong is for staff (the timeline), never for the person
            "pending": sorted(failures),
            "clients": [{"name": c.name, "address": c.address, "dpo": c.dpo,
                         "forwarded": c.contact is not None} for c in clients],
        }
        if controller:
            ctx.draft(request, template="access_overview", personal_data=True,
                      context={**common, "sources": [_source(f) for f in controller],
                               "automated_decisions":
                                   ctx.settings.access.automated_decisions.strip()})
        elif clients:
            # That a client holds data about the person is itself personal data.
            ctx.draft(request, template="access_referral", personal_data=True,
                      context=common)
        else:
            ctx.draft(request, template="access_none", context=common)
        for client in clients:
            if client.contact is not None:
                _forward(ctx, request, client)

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None


def _without_this_request(found: list[Found], request: Request) -> list[Found]:
    """Leave out mailbot's own records of this very request and the mail that carried it:
    the person knows them, and they alone are no reason to send an overview."""
    references = {r.reference for r in request.inbound.requests if r.reference}
    kept = []
    for f in found:
        records = beyond(f.records, references) if f.settings.type == "own" else f.records
        if records:
            kept.append(Found(f.settings, records))
    return kept


def _clients(ctx: HandlerContext, processor: list[Found]) -> list[_ClientReferral]:
    by_name: dict[str, _ClientReferral] = {}
    for f in processor:
        name = f.settings.client or f.name
        if name not in by_name:
            by_name[name] = _referral(ctx, name)
        by_name[name].sources.append(f)
    return list(by_name.values())


def _referral(ctx: HandlerContext, name: str) -> _ClientReferral:
    client = ctx.repo.clients.by_name(name)
    if client is None:
        return _ClientReferral(name)
    contact = ctx.repo.clients.first_contact(client)
    address = ", ".join(line.strip() for line in (client.address or "").splitlines()
                        if line.strip())
    return _ClientReferral(client.name, address, client.dpo or "", contact)


def _forward(ctx: HandlerContext, request: Request, client: _ClientReferral) -> None:
    text = ctx.mail_text(request).strip()
    if len(text) > MAX_QUOTED_TEXT:
        text = text[:MAX_QUOTED_TEXT] + "\n[...]"
    ctx.draft(
        request, template="forward_to_client", purpose="forward_to_client",
        recipient=client.contact, language=ctx.settings.organisation.language,
        needs_approval=True,
        context={
            "reference": request.reference,
            "client": client.name,
            "sender": request.sender,
            "sender_name": request.inbound.sender_name or "",
            "subject": request.subject or "",
            "received": ctx.local_date(request.received_at),
            "quoted": "\n".join(f"> {line}".rstrip() for line in text.splitlines()),
            "sources": [{"name": f.name, "rows": len(f.records)} for f in client.sources],
        })


def _source(found: Found) -> dict[str, Any]:
    settings = found.settings
    records = [fields for record in found.records if (fields := _fields(record))]
    return {
        "name": settings.name,
        "own": settings.type == "own",
        "records": records,
        "purposes": list(settings.purposes),
        "categories": list(settings.categories),
        "recipients": list(settings.recipients),
        "retention": settings.retention,
        "origin": settings.origin,
        "transfers": list(settings.transfers),
    }


def _fields(record: dict[str, str]) -> list[dict[str, str]]:
    """Each non-empty value with a readable label, wrapped to fit a ``  label: value`` line."""
    fields = []
    for key, value in record.items():
        if not value.strip():
            continue
        label = _label(key)
        fields.append({"key": key, "label": label,
                       "value": _wrap(value, WIDTH - len(label) - 4)})
    return fields


def _label(key: str) -> str:
    words = " ".join(key.replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else key


def _wrap(value: str, width: int) -> str:
    lines = []
    for part in value.strip().splitlines() or [""]:
        lines += textwrap.wrap(part, width=max(width, 30), break_on_hyphens=False) or [""]
    return "\n    ".join(lines)
