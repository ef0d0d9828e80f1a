"""Kind ``register_instruction``: a client's processing order for the processor register
(art. 28(3)(a), 30(2)), with a receipt and, when fields are missing, a question.

Only a registered client contact may change the register, and only once proven and
reviewed: the sender proves the contact address like any sender (DMARC or a code), then
``prepare`` reads the order and plans the version it would add, without writing it. A
receipt goes out at once saying the order was received and awaits review (never that the
register changed); the order waits (``awaiting_approval``, review ``pending``) until staff
approve it (:func:`approve`: only then is it recorded, and the client told which version it
became) or reject it (:func:`reject`: the register stays as it was). A transfer outside the
EEA without safeguards is flagged for staff on the way.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import ORDER_REVIEWS, OrderReview, RequestStatus
from mailbot.draft.dates import long_date
from mailbot.errors import WorkflowError
from mailbot.handle import order_review
from mailbot.handle.context import HandlerContext
from mailbot.register import history
from mailbot.register.export import transfers_text
from mailbot.register.parse_order import NONE, ParsedOrder, order_key, parse_order
from mailbot.register.transfers import unsafe_transfer
from mailbot.register.vocabulary import Vocabulary, vocabulary
from mailbot.store.models import Client, Draft, RegisterEntry, Request

# The fields a receipt lists, in this order.
RECEIPT_FIELDS = ("processing", "data_subjects", "personal_data", "transfers", "security",
                  "start", "end", "dpo")


class RegisterInstructionHandler:
    kind = RequestKind.REGISTER_INSTRUCTION
    needs_verification = True  # the contact address is proven like any sender's
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
        entry = history.plan(ctx.repo, client_id=client.id, key=key, order=order)
        if entry is None:
            ctx.event(request, "register_order_not_found",
                      {"client": client.name, "order_key": key, "intent": order.intent})
            ctx.set_status(request, RequestStatus.TRIAGE,
                           f"an ending of order {key!r}, which is not in the register")
            return
        flag = unsafe_transfer(entry.fields)
        request.details = {**(request.details or {}), order_review.KEY: {
            "review": OrderReview.PENDING.value, "client": client.name,
            "client_id": client.id, "order_key": key, "version": entry.version,
            "change": entry.change, "fields": dict(entry.fields),
            "missing": list(entry.missing), "found": sorted(order.fields),
            "labelled": sorted(order.labelled), "flags": [flag] if flag else [],
            "order": {"intent": order.intent, "fields": order.fields,
                      "labelled": sorted(order.labelled), "missing": list(order.missing),
                      "language": order.language}}}
        ctx.event(request, "register_order_received",
                  {"client": client.name, "order_key": key, "would_be_version": entry.version,
                   "change": entry.change, "intent": order.intent,
                   "missing": list(entry.missing), "flags": [flag] if flag else [],
                   "why": "the register changes only once staff approve the order"})
        if flag:
            ctx.event(request, "register_transfer_flagged", {"flag": flag})
        self._received(ctx, request, client, entry)
        if entry.missing:
            self._ask_missing(ctx, request, entry)
        ctx.set_status(request, RequestStatus.AWAITING_APPROVAL,
                       "the processing order waits for staff to approve it into the register")

    def on_approved(self, ctx: HandlerContext, request: Request, draft: Draft) -> None:
        return None  # the order itself is approved on its own (:func:`approve`)

    def _received(self, ctx: HandlerContext, request: Request, client: Client,
                  entry: RegisterEntry) -> None:
        language = ctx.renderer.language_for("register_received", request.language)
        words = vocabulary(language)
        ctx.draft(request, template="register_received", purpose="register_received",
                  language=language, auto_submitted=True, needs_approval=False,
                  context={**_common(request, entry, words), "client": client.name,
                           "change": entry.change, "rows": _rows(entry, client, words)})

    def _ask_missing(self, ctx: HandlerContext, request: Request,
                     entry: RegisterEntry) -> None:
        language = ctx.renderer.language_for("register_missing", request.language)
        words = vocabulary(language)
        ctx.draft(request, template="register_missing", purpose="register_missing",
                  language=language, context=_common(request, entry, words))


def approve(ctx: HandlerContext, request: Request) -> RegisterEntry:
    """Staff approve the order: it is recorded in the register now (as it stands now: an
    order approved in between is built on), and the client gets the receipt saying so."""
    found = _pending(request)
    if request.verified_at is None:
        raise WorkflowError(f"request {request.reference}: the sender is not verified")
    contact = ctx.repo.clients.contact_for(request.sender)
    if contact is None or contact.client_id != found["client_id"]:
        raise WorkflowError(f"{request.sender} is no longer a contact of {found['client']}: "
                            "the order cannot be recorded")
    saved = found["order"]
    order = ParsedOrder(saved["intent"], dict(saved["fields"]), frozenset(saved["labelled"]),
                        tuple(saved["missing"]), saved["language"])
    entry = history.record(ctx.repo, client_id=contact.client_id, key=found["order_key"],
                           order=order, contact_email=request.sender, request_id=request.id,
                           now=ctx.now)
    if entry is None:
        raise WorkflowError(f"order {found['order_key']!r} is no longer in the register: "
                            "nothing to end; reject the order")
    flag = unsafe_transfer(entry.fields)
    _set(request, found, OrderReview.APPROVED, {
        "entry_id": entry.id, "version": entry.version, "change": entry.change,
        "status": entry.status, "fields": dict(entry.fields), "missing": list(entry.missing),
        "flags": [flag] if flag else [], "decided_by": ctx.actor,
        "decided_at": ctx.now.isoformat()})
    ctx.event(request, "register_recorded",
              {"entry_id": entry.id, "client": found["client"], "order_key": entry.order_key,
               "version": entry.version, "change": entry.change, "by": ctx.actor,
               "missing": list(entry.missing), "flags": [flag] if flag else []})
    language = ctx.renderer.language_for("register_receipt", request.language)
    words = vocabulary(language)
    ctx.draft(request, template="register_receipt", purpose="register_receipt",
              language=language, auto_submitted=True, needs_approval=False,
              context={**_common(request, entry, words), "client": contact.client.name,
                       "version": entry.version, "change": entry.change,
                       "rows": _rows(entry, contact.client, words),
                       "valid_from": entry.valid_from, "valid_to": entry.valid_to})
    if request.status in (RequestStatus.AWAITING_APPROVAL, RequestStatus.TRIAGE):
        ctx.set_status(request, RequestStatus.ACKNOWLEDGED,
                       f"the order was approved into the register by {ctx.actor}")
    return entry


def reject(ctx: HandlerContext, request: Request, reason: str) -> None:
    """Staff reject the order: the register stays as it was; a person answers the client."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("a rejection needs a reason: it is recorded")
    found = _pending(request)
    _set(request, found, OrderReview.REJECTED, {"decided_by": ctx.actor,
                                                "decided_at": ctx.now.isoformat(),
                                                "reason": reason})
    ctx.withdraw((d for d in request.drafts if d.purpose == "register_missing"),
                 f"the order was rejected by {ctx.actor}")
    ctx.event(request, "register_order_rejected", {"reason": reason, "by": ctx.actor})
    ctx.set_status(request, RequestStatus.TRIAGE,
                   f"the order was rejected by {ctx.actor}: {reason}; the register was not "
                   "changed; reply to the client or close the request")


def _pending(request: Request) -> dict[str, Any]:
    found = order_review.order(request)
    if found is None or not found.get("review"):
        raise WorkflowError(f"request {request.reference} holds no processing order to review")
    ORDER_REVIEWS.move(found["review"], OrderReview.APPROVED,
                       f"the order of request {request.reference}")
    return found


def _set(request: Request, found: dict[str, Any], review: OrderReview,
         changes: dict[str, Any]) -> None:
    found = {**found, **changes, "review": ORDER_REVIEWS.move(
        found["review"], review, f"the order of request {request.reference}").value}
    request.details = {**(request.details or {}), order_review.KEY: found}


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
