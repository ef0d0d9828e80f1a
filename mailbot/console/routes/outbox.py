"""What left, what waits to leave, what failed or bounced; and the bounces that came back."""

from __future__ import annotations

from starlette.responses import Response

from mailbot.console.web import Call, Pages
from mailbot.domain.kinds import Disposition
from mailbot.domain.states import OutboxStatus
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
    return call.render("outbox.html", rows=rows, wanted=status, pager=pager, bounces=bounces,
                       statuses=[str(s) for s in OutboxStatus])
