"""One request: the mail, the classification and its evidence, the due date and how it was
computed, the drafts and the timeline; and what staff do about it, through the service
layer (the same functions the command line calls)."""

from __future__ import annotations

import json
from datetime import timedelta

from starlette.responses import Response

from mailbot.console.auth import Role
from mailbot.console.web import Call, Pages, Refused
from mailbot.domain.deadline import add_months, due_date
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import address_in_name
from mailbot.domain.states import OPEN_STATUSES, ExtensionStatus
from mailbot.errors import Stale
from mailbot.handle import order_review
from mailbot.handle.verify import answers as verification_answers
from mailbot.service import drafts as draft_actions
from mailbot.service import evidence
from mailbot.service import orders as order_actions
from mailbot.service import requests as actions
from mailbot.service.ways import ways_forward
from mailbot.store import views
from mailbot.store.models import Request

PAGES = Pages()
REASON_MAX = 2000
TEXT_MAX = 100_000


def due_explanation(call: Call, request: Request) -> list[str]:
    """How the due date came about, in the reader's language."""
    t, zone = call.t, call.console.zone
    local = request.received_at.astimezone(zone)
    day = local.date()
    base = due_date(day)
    lines = [t("due.received", when=local.strftime("%Y-%m-%d %H:%M"), zone=zone.key),
             t("due.rule", plus30=(day + timedelta(days=30)).isoformat(),
               next_month=add_months(day, 1).isoformat(), due=base.isoformat())]
    if request.extended_months:
        lines.append(t("due.extended", months=t.months(request.extended_months),
                       original=(request.original_due_at or base).isoformat(),
                       due=request.due_at.isoformat(), reason=request.extension_reason or "-"))
    elif request.due_at != base:
        lines.append(t("due.changed", base=base.isoformat(), due=request.due_at.isoformat()))
    for pending in call.repo.extensions.of(request.id, ExtensionStatus.PENDING):
        lines.append(t("due.extension_pending", months=t.months(pending.months),
                       due=pending.new_due_at.isoformat(), by=pending.requested_by))
    if request.target_at and request.status in OPEN_STATUSES:
        lines.append(t("due.target", target=request.target_at.isoformat()))
    return lines


@PAGES.get("/requests/{ident}")
def show(call: Call) -> Response:
    request = call.repo.requests.find(call.request.path_params["ident"])
    timeline = [views.event_view(e) for e in call.repo.events.of(
        request_id=request.id, inbound_id=request.inbound_id)]
    mail = request.inbound
    today = call.now.astimezone(call.console.zone).date()
    is_open = request.status in OPEN_STATUSES
    ways = ways_forward(request, today)
    details = dict(request.details or {})
    changes = details.pop("changes", None) if request.kind == RequestKind.CORRECTION else None
    email_change = details.pop("email_change", None)
    order = order_review.order(request)
    if order is not None:
        details.pop(order_review.KEY, None)
    return call.render(
        "request.html", request=request, timeline=timeline, mail=mail, drafts=request.drafts,
        due_lines=due_explanation(call, request), is_open=is_open,
        overdue=is_open and request.due_at < today,
        siblings=[r for r in mail.requests if r.id != request.id],
        classification=mail.classification or {},
        kinds=[str(k) for k in RequestKind], ways=ways,
        staff_names=[u.name for u in call.repo.staff.users() if u.active],
        can_extend="extend" in ways, changes=changes, findings=details,
        answers=verification_answers(call.repo, request),
        name_address=address_in_name(mail.sender_name, mail.sender), email_change=email_change,
        order=order,
        steps=[views.step_view(s) for s in request.steps])


@PAGES.get("/requests/{ident}/evidence.html")
def evidence_html(call: Call) -> Response:
    return _evidence(call, "html")


@PAGES.get("/requests/{ident}/evidence.json")
def evidence_json(call: Call) -> Response:
    return _evidence(call, "json")


def _evidence(call: Call, fmt: str) -> Response:
    request = call.repo.requests.find(call.request.path_params["ident"])
    data = evidence.collect(call.repo, request)
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str) if fmt == "json" \
        else evidence.html(data)
    name = f"evidence-{request.reference or request.id}.{fmt}"
    return Response(body, media_type="application/json" if fmt == "json" else "text/html",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@PAGES.post("/requests/{request_id:int}/steps", role=Role.APPROVER)
def step(call: Call) -> Response:
    """Tick off a step that waits for a person (form: position, result done|failed, note)."""
    note = _form_text(call, "note", actions.NOTE_MAX)
    result, position = call.field("result"), call.field("position")
    if result not in ("done", "failed") or not position.isdigit():
        raise Refused(400, "error.empty", field=call.t("field.note"))
    call.acting()
    return _back(call, actions.step(call.service, _ident(call), position, result == "done",
                                    note, by=call.by), done="step")


def _form_text(call: Call, name: str, limit: int = REASON_MAX) -> str:
    text = call.field(name).replace("\r\n", "\n").strip()
    if not text:
        raise Refused(400, "error.empty", field=call.t(f"field.{name}"))
    if len(text) > limit:
        raise Refused(400, "error.too_long", field=call.t(f"field.{name}"), limit=limit)
    return text


def _back(call: Call, outcome: actions.RequestOutcome | draft_actions.DraftOutcome,
          done: str) -> Response:
    reference = outcome.reference or ""
    return call.redirect(f"/requests/{reference}", done=done)


def _ident(call: Call) -> str:
    return str(call.int_path("request_id"))


@PAGES.post("/requests/{request_id:int}/note")
def note(call: Call) -> Response:
    text = _form_text(call, "note", actions.NOTE_MAX)
    call.acting()
    return _back(call, actions.note(call.service, _ident(call), text, by=call.by), done="note")


@PAGES.post("/requests/{request_id:int}/kind", role=Role.APPROVER)
def change_kind(call: Call) -> Response:
    call.acting()
    return _back(call, actions.change_kind(call.service, _ident(call), call.field("kind"),
                                           by=call.by), done="kind")


@PAGES.post("/requests/{request_id:int}/extend", role=Role.APPROVER)
def extend(call: Call) -> Response:
    months = call.field("months")
    if months not in ("1", "2"):
        raise Refused(400, "error.months")
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, actions.extend(call.service, _ident(call), int(months), reason,
                                      by=call.by), done="extended")


@PAGES.post("/requests/{request_id:int}/refuse", role=Role.APPROVER)
def refuse(call: Call) -> Response:
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, actions.refuse(call.service, _ident(call), reason, by=call.by),
                 done="refused")


@PAGES.post("/requests/{request_id:int}/close", role=Role.APPROVER)
def close(call: Call) -> Response:
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, actions.close(call.service, _ident(call), reason, by=call.by),
                 done="closed")


@PAGES.post("/requests/{request_id:int}/reply", role=Role.APPROVER)
def reply(call: Call) -> Response:
    subject = " ".join(call.field("subject").split())
    text = _form_text(call, "text", TEXT_MAX)
    call.acting()
    outcome = actions.reply(call.service, _ident(call),
                            f"Subject: {subject}\n\n{text}" if subject else text, by=call.by)
    return _back(call, outcome, done="replied")


@PAGES.post("/requests/{request_id:int}/research", role=Role.APPROVER)
def research(call: Call) -> Response:
    call.acting()
    return _back(call, actions.research(call.service, _ident(call), by=call.by), done="research")


@PAGES.post("/requests/{request_id:int}/include-special", role=Role.APPROVER)
def include_special(call: Call) -> Response:
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, actions.include_special(call.service, _ident(call), reason,
                                               by=call.by), done="special_included")


@PAGES.post("/requests/{request_id:int}/resend-verification", role=Role.APPROVER)
def resend_verification(call: Call) -> Response:
    call.acting()
    return _back(call, actions.resend_verification(call.service, _ident(call), by=call.by),
                 done="verification_sent")


@PAGES.post("/requests/{request_id:int}/verify", role=Role.APPROVER)
def verify(call: Call) -> Response:
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, actions.verify(call.service, _ident(call), reason, by=call.by),
                 done="verified")


@PAGES.post("/requests/{request_id:int}/verify-new-address", role=Role.APPROVER)
def verify_new_address(call: Call) -> Response:
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, actions.verify_new_address(call.service, _ident(call), reason,
                                                  by=call.by), done="verified")


@PAGES.post("/requests/{request_id:int}/order/approve", role=Role.APPROVER)
def approve_order(call: Call) -> Response:
    call.acting()
    return _back(call, order_actions.approve(call.service, _ident(call), by=call.by),
                 done="order_approved")


@PAGES.post("/requests/{request_id:int}/order/reject", role=Role.APPROVER)
def reject_order(call: Call) -> Response:
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, order_actions.reject(call.service, _ident(call), reason, by=call.by),
                 done="order_rejected")


@PAGES.post("/requests/{request_id:int}/assign", role=Role.APPROVER)
def assign(call: Call) -> Response:
    to = call.field("to").strip()
    call.acting()
    return _back(call, actions.assign(call.service, _ident(call), to or None, by=call.by),
                 done="assigned")


@PAGES.post("/drafts/{draft_id:int}/edit", role=Role.APPROVER)
def edit_draft(call: Call) -> Response:
    subject = " ".join(call.field("subject").split())
    body = call.field("body").replace("\r\n", "\n")
    if not subject:
        raise Refused(400, "error.empty", field=call.t("field.subject"))
    call.acting()
    return _back(call, draft_actions.edit(call.service, call.int_path("draft_id"),
                                          f"Subject: {subject}\n\n{body}", by=call.by),
                 done="edited")


@PAGES.post("/drafts/{draft_id:int}/approve", role=Role.APPROVER)
def approve_draft(call: Call) -> Response:
    version = call.field("version")
    if version and not version.isdigit():
        raise Refused(400, "error.stale")
    call.acting()
    try:
        outcome = draft_actions.approve(call.service, call.int_path("draft_id"), by=call.by,
                                        version=int(version) if version else None)
    except Stale:
        raise Refused(409, "error.stale") from None
    return _back(call, outcome, done="approved")


@PAGES.post("/drafts/{draft_id:int}/reject", role=Role.APPROVER)
def reject_draft(call: Call) -> Response:
    reason = _form_text(call, "reason")
    call.acting()
    return _back(call, draft_actions.reject(call.service, call.int_path("draft_id"), reason,
                                            by=call.by), done="rejected")
