"""One request: the mail, the classification and its evidence, the due date and how it was
computed, the drafts and the timeline; and what staff do about it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from starlette.responses import Response

from mailbot.console import actions
from mailbot.console.auth import Role
from mailbot.console.web import Call, Pages, Refused
from mailbot.domain.deadline import add_months, due_date
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import OPEN_STATUSES, ExtensionStatus
from mailbot.errors import NotFound
from mailbot.handle import drafts, extension
from mailbot.store import views
from mailbot.store.models import Draft, Extension, Request

PAGES = Pages()
REASON_MAX = 2000


def find_request(call: Call, ident: str) -> Request:
    repo = call.repo
    found = repo.request(int(ident)) if ident.isdigit() else repo.request_by_reference(ident)
    if found is None:
        raise NotFound(f"no request {ident}")
    return found


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
        lines.append(t("due.extended", months=request.extended_months,
                       original=(request.original_due_at or base).isoformat(),
                       due=request.due_at.isoformat(), reason=request.extension_reason or "-"))
    elif request.due_at != base:
        lines.append(t("due.changed", base=base.isoformat(), due=request.due_at.isoformat()))
    for pending in call.repo.session.scalars(select(Extension).where(
            Extension.request_id == request.id, Extension.status == ExtensionStatus.PENDING)):
        lines.append(t("due.extension_pending", months=pending.months,
                       due=pending.new_due_at.isoformat(), by=pending.requested_by))
    if request.target_at and request.status in OPEN_STATUSES:
        lines.append(t("due.target", target=request.target_at.isoformat()))
    return lines


@PAGES.get("/requests/{ident}")
def show(call: Call) -> Response:
    request = find_request(call, call.request.path_params["ident"])
    timeline = [views.event_view(e) for e in call.repo.events_for(
        request_id=request.id, inbound_id=request.inbound_id)]
    mail = request.inbound
    today = call.now.astimezone(call.console.zone).date()
    is_open = request.status in OPEN_STATUSES
    return call.render(
        "request.html", request=request, timeline=timeline, mail=mail, drafts=request.drafts,
        due_lines=due_explanation(call, request), is_open=is_open,
        overdue=is_open and request.due_at < today,
        siblings=[r for r in mail.requests if r.id != request.id],
        classification=mail.classification or {},
        kinds=[str(k) for k in RequestKind if k != request.kind],
        can_extend=extension.can_extend(request, today))


def _form_text(call: Call, name: str, limit: int = REASON_MAX) -> str:
    text = call.field(name).strip()
    if not text:
        raise Refused(400, "error.empty", field=call.t(f"field.{name}"))
    if len(text) > limit:
        raise Refused(400, "error.too_long", field=call.t(f"field.{name}"), limit=limit)
    return text


def _back(call: Call, request: Request, done: str) -> Response:
    return call.redirect(f"/requests/{request.reference or request.id}", done=done)


@PAGES.post("/requests/{request_id:int}/note")
def note(call: Call) -> Response:
    request = find_request(call, str(call.int_path("request_id")))
    actions.add_note(call.handler_context(), request,
                     _form_text(call, "note", actions.NOTE_MAX))
    call.uow.commit()
    return _back(call, request, "note")


@PAGES.post("/requests/{request_id:int}/kind", role=Role.APPROVER)
def change_kind(call: Call) -> Response:
    request = find_request(call, str(call.int_path("request_id")))
    new = actions.change_kind(call.handler_context(), request, call.field("kind"))
    call.uow.commit()
    return _back(call, new, "kind")


@PAGES.post("/requests/{request_id:int}/extend", role=Role.APPROVER)
def extend(call: Call) -> Response:
    request = find_request(call, str(call.int_path("request_id")))
    months = call.field("months")
    if months not in ("1", "2"):
        raise Refused(400, "error.months")
    extension.extend(call.handler_context(), request, int(months), _form_text(call, "reason"))
    call.uow.commit()
    return _back(call, request, "extended")


def _draft(call: Call) -> Draft:
    draft = call.repo.session.get(Draft, call.int_path("draft_id"))
    if draft is None:
        raise NotFound("no such draft")
    return draft


@PAGES.post("/drafts/{draft_id:int}/edit", role=Role.APPROVER)
def edit_draft(call: Call) -> Response:
    draft = _draft(call)
    subject = " ".join(call.field("subject").split())
    body = call.field("body").replace("\r\n", "\n")
    if not subject:
        raise Refused(400, "error.empty", field=call.t("field.subject"))
    drafts.edit(call.handler_context(), draft.id, f"Subject: {subject}\n\n{body}")
    call.uow.commit()
    return _back(call, draft.request, "edited")


@PAGES.post("/drafts/{draft_id:int}/approve", role=Role.APPROVER)
def approve_draft(call: Call) -> Response:
    draft = _draft(call)
    version = call.field("version")
    if version and version != str(draft.version):
        raise Refused(409, "error.stale")
    drafts.approve(call.handler_context(), draft.id)
    call.uow.commit()
    return _back(call, draft.request, "approved")


@PAGES.post("/drafts/{draft_id:int}/reject", role=Role.APPROVER)
def reject_draft(call: Call) -> Response:
    draft = _draft(call)
    drafts.reject(call.handler_context(), draft.id, _form_text(call, "reason"))
    call.uow.commit()
    return _back(call, draft.request, "rejected")
