"""Kind ``access`` (art. 15): gather what every source holds about the sender and draft the
answer. Controller data is shown with the art. 15(1) information; data found only in
processor sources is never shown: the request is forwarded to the client (a draft staff
approve, recorded as a step), and the answer, which waits for that step, says only that it
was passed on to the organisation responsible (naming it only if the person did)."""

from __future__ import annotations

import textwrap
from typing import Any

from mailbot.config import Source, Text, text_for
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import StepStatus
from mailbot.handle import processor
from mailbot.handle.context import HandlerContext
from mailbot.handle.outcome import Letter, mentions, results, write
from mailbot.sources.base import Found
from mailbot.sources.factory import recorded_failures
from mailbot.sources.own import beyond
from mailbot.store.models import Draft, Request

WIDTH = 76
# Art. 15(1) information an overview needs for each source; recipients may rightly be none.
REQUIRED_INFORMATION = ("purposes", "categories", "retention", "origin")


class AccessHandler:
    kind = RequestKind.ACCESS
    needs_verification = True
    repeatable = True

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        found, failures = _gather(ctx, request)
        controller = [f for f in found if not f.processor]
        clients = processor.clients(ctx, [f for f in found if f.processor])
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
        }
        if incomplete:
            summary["information_missing"] = incomplete
        request.details = {**(request.details or {}), **summary}
        ctx.event(request, "sources_searched", summary)
        for client in clients:
            processor.forward(ctx, request, client)
        write(ctx, request, self.letter(ctx, request, (found, failures)))

    def letter(self, ctx: HandlerContext, request: Request,
               gathered: tuple[list[Found], dict[str, str]] | None = None) -> Letter:
        found, failures = gathered or _gather(ctx, request)
        controller = [f for f in found if not f.processor]
        forwards = processor.told(results(request))
        language = ctx.renderer.language_for("access_overview", request.language)
        common = {
            "reference": request.reference,
            "name": request.inbound.sender_name or "",
            "email": request.sender,
            "received": ctx.local_date(request.received_at),
            # only the names: what went wrong is for staff (the timeline), never for the person
            "pending": sorted(failures),
            # a client is named only when the person named it; only forwards that left
            "clients": [{"name": f["client"], "forwarded": f["status"] == StepStatus.DONE}
                        for f in forwards],
        }
        said = mentions(request)
        if controller:
            return Letter("access_overview", {
                **common, "profiling": _text(ctx.settings.privacy.profiling, language, ctx),
                "sources": [_source(f, language, ctx) for f in controller]},
                purpose="reply", personal_data=True, mentions=said)
        if forwards:
            # That a client holds data about the person is itself personal data.
            return Letter("access_referral", common, purpose="reply", personal_data=True,
                          mentions=said)
        return Letter("access_none", common, purpose="reply", mentions=said,
                      needs_approval=None)

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None


def _gather(ctx: HandlerContext,
            request: Request) -> tuple[list[Found], dict[str, str]]:
    with recorded_failures(ctx.repo) as failures:
        found = ctx.sources.lookup(request.sender, ctx.repo)
    return _without_this_request(found, request), dict(failures)


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


def _text(value: Text, language: str, ctx: HandlerContext) -> str:
    return text_for(value, language, ctx.settings.organisation.language)


def _source(found: Found, language: str, ctx: HandlerContext) -> dict[str, Any]:
    settings = found.settings
    records = [fields for record in found.records
               if (fields := _fields(record, settings, language, ctx))]
    return {
        "name": settings.name,
        "own": settings.type == "own",
        "records": records,
        "purposes": [_text(t, language, ctx) for t in settings.purposes],
        "categories": [_text(t, language, ctx) for t in settings.categories],
        "recipients": [_text(t, language, ctx) for t in settings.recipients],
        "no_recipients": settings.no_recipients,
        "transfers": [{name: _text(getattr(t, name), language, ctx)
                       for name in ("country", "recipient", "safeguards")}
                      for t in settings.transfers],
        "no_transfers": settings.no_transfers,
        "retention": _text(settings.retention, language, ctx),
        "origin": _text(settings.origin, language, ctx),
    }


def _fields(record: dict[str, str], settings: Source, language: str,
            ctx: HandlerContext) -> list[dict[str, Any]]:
    """Each non-empty value with its label, wrapped to fit a ``  label: value`` line. A label
    from the source's configuration is used as it is; otherwise the template translates the
    column (``configured`` false, ``label`` its name made readable)."""
    fields = []
    for key, value in record.items():
        if not value.strip():
            continue
        configured = key in settings.labels
        label = _text(settings.labels[key], language, ctx) if configured else _label(key)
        fields.append({"key": key, "label": label, "configured": configured,
                       "value": _wrap(value, WIDTH - max(len(label), 26) - 4)})
    return fields


def _label(key: str) -> str:
    words = " ".join(key.replace("_", " ").split())
    return words[:1].upper() + words[1:] if words else key


def _wrap(value: str, width: int) -> str:
    lines = []
    for part in value.strip().splitlines() or [""]:
        lines += textwrap.wrap(part, width=max(width, 30), break_on_hyphens=False) or [""]
    return "\n    ".join(lines)
