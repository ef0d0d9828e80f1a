"""Kind ``register_instruction``: a client's processing order goes into the processor
register (art. 28(3)(a), 30(2)), with a receipt and, when fields are missing, a question.

Only a registered client contact may change the register; the classifier already says so,
and ``prepare`` checks again before anything is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import RequestStatus
from mailbot.draft.dates import long_date
from mailbot.handle.context import HandlerContext
from mailbot.register import history
from mailbot.register.export import transfers_text
from mailbot.register.parse_order import NONE, order_key, parse_order
from mailbot.register.vocabulary import Vocabulary, vocabulary
from mailbot.store.models import Client, Draft, RegisterEntry, Request

# The fields a receipt lists, in this order.
RECEIPT_FIELDS = ("processing", "data_subjects", "personal_data", "transfers", "security",
                  "start", "end", "dpo")


class RegisterInstructionHandler:
    kind = RequestKind.REGISTER_INSTRUCTION
    needs_verification = False  # the sender must be a registered client contact instead
    repeatable = False

    def prepare(self, ctx: HandlerContext, request: Request) -> None:
        contact = ctx.repo.clients.contact_for(request.sender)
        if contact is None:
            ctx.event(request, "register_refused",
                      {"reason": "the sender is not a contact of a registered client",
                       "sender": request.sender})
            ctx.set_status(request, RequestStatus.TRIAGE,
                           "processing order from an address that is no client contact; "
                           "the register was not changed")
            return
        client = contact.client
        text, subject = ctx.mail_text(request), request.subject or ""
        order = parse_order(text, subject, request.language)
        if not order.fields:
            ctx.event(request, "register_unreadable", {"client": client.name})
            ctx.set_status(request, RequestStatus.TRIAGE,
                           "nothing of a processing order could be read from the mail")
            return
        key = (history.find_key(ctx.repo, client.id, order, subject=subject, text=text)
               or order_key(request.reference or f"request {request.id}"))
        entry = history.record(ctx.repo, client_id=client.id, key=key, order=order,
                               contact_email=request.sender, request_id=request.id,
                               now=ctx.now)
        if entry is None:
            ctx.event(request, "register_order_not_found",
                      {"client": client.name, "order_key": key, "intent": order.intent})
            ctx.set_status(request, RequestStatus.TRIAGE,
                           f"an ending of order {key!r}, which is not in the register")
            return
        request.details = {**(request.details or {}), "register": {
            "entry_id": entry.id, "client": client.name, "order_key": key,
            "version": entry.version, "change": entry.change, "status": entry.status,
            "missing": list(entry.missing), "found": sorted(order.fields),
            "labelled": sorted(order.labelled)}}
        ctx.event(request, "register_recorded",
                  {"entry_id": entry.id, "client": client.name, "order_key": key,
                   "version": entry.version, "change": entry.change, "intent": order.intent,
                   "missing": list(entry.missing)})
        self._receipt(ctx, request, client, entry)
        if entry.missing:
            self._ask_missing(ctx, request, entry)

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None  # the register was written when the order came in

    def _receipt(self, ctx: HandlerContext, request: Request, client: Client,
                 entry: RegisterEntry) -> None:
        language = ctx.renderer.language_for("register_receipt", request.language)
        words = vocabulary(language)
        ctx.draft(request, template="register_receipt", purpose="register_receipt",
                  language=language, auto_submitted=True,
                  context={**_common(request, entry, words),
                           "client": client.name, "version": entry.version,
                           "change": entry.change,
                           "rows": _rows(entry, client, words),
                           "valid_from": entry.valid_from, "valid_to": entry.valid_to})

    def _ask_missing(self, ctx: HandlerContext, request: Request,
                     entry: RegisterEntry) -> None:
        language = ctx.renderer.language_for("register_missing", request.language)
        words = vocabulary(language)
        ctx.draft(request, template="register_missing", purpose="register_missing",
                  language=language, context=_common(request, entry, words))


def _common(request: Request, entry: RegisterEntry, words: Vocabulary) -> dict[str, Any]:
    return {"reference": request.reference, "order": entry.fields.get("order_key",
                                                                      entry.order_key),
            "order_label": words.names["order_key"],
            "missing": [words.names[field] for field in entry.missing]}


def _rows(entry: RegisterEntry, client: Client, words: Vocabulary) -> list[dict[str, str]]:
    """What the receipt says was recorded, in the contact's language."""
    fields = entry.fields
    rows = []
    for field in RECEIPT_FIELDS:
        value: str | None
        if field == "transfers":
            value = transfers_text(fields)
            if value is not None and value.split(" (")[0] == NONE:
                value = words.values[NONE] + value[len(NONE):]
        elif field in ("start", "end"):
            value = long_date(date.fromisoformat(fields[field]), words.language) \
                if fields.get(field) else None
        elif field == "dpo":
            value = fields.get("dpo") or client.dpo
        else:
            value = fields.get(field)
        if value is None and field not in entry.missing:
            continue
        rows.append({"name": words.names[field], "value": value or words.values["missing"]})
    return rows
