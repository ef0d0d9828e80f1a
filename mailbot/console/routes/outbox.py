"""What left, what waits to leave, what failed or bounced, what may have left (a person
sends it again or marks it arrived); and the bounces that came back."""

from __future__ import annotations

from starlette.responses import Response

from mailbot.console.auth import Role
from mailbot.console.web import Call, Pages
from mailbot.domain.kinds import Disposition
from mailbot.domain.states import OutboxStatus
from mailbot.service import outbox as actions
from mailbot.store import views

PAGES = Pages()
BOUNCES_SHOWN = 50


@PAGES.get("/outbox")
def listing(call: Call) -> Response:
    status = call.query("status")
    status = status if status in {str(s) for s in OutboxStatus} else ""
    pager = call.page()
    rows = pager.rows(views.outbox(call.repo, status=status or None, limit=pager.size + 1,
                                   offset=pager.offset, newest_first=True))
    bounces = call.repo.inbound.list(disposition=Disposition.BOUNCE, limit=BOUNCES_SHOWN,
                                     newest_first=True)
    uncertain = OutboxStatus.UNCERTAIN
    shown = status == uncertain or any(row["status"] == uncertain for row in rows)
    return call.render("outbox.html", rows=rows, wanted=status, pager=pager, bounces=bounces,
                       statuses=[str(s) for s in OutboxStatus], uncertain_shown=shown)


@PAGES.post("/outbox/{outbox_id:int}/send-again", role=Role.APPROVER)
def send_again(call: Call) -> Response:
    call.acting()
    actions.send_again(call.service, call.int_path("outbox_id"), by=call.by)
    return call.redirect("/outbox", status=OutboxStatus.UNCERTAIN.value, done="send_again")


@PAGES.post("/outbox/{outbox_id:int}/arrived", role=Role.APPROVER)
def arrived(call: Call) -> Response:
    call.acting()
    actions.arrived(call.service, call.int_path("outbox_id"), by=call.by)
    return call.redirect("/outbox", status=OutboxStatus.UNCERTAIN.value, done="arrived")
