"""The queue: open requests by due date, with filters, search and counts."""

from __future__ import annotations

from starlette.responses import Response

from mailbot.console import queries
from mailbot.console.web import Call, Pages
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import RequestStatus

PAGES = Pages()


@PAGES.get("/")
def home(call: Call) -> Response:
    return call.redirect("/queue")


@PAGES.get("/queue")
def queue(call: Call) -> Response:
    today = call.now.astimezone(call.console.zone).date()
    status = call.query("status") or "open"
    if status not in ("open", "all", *(str(s) for s in RequestStatus)):
        status = "open"
    kind = call.query("kind")
    kind = kind if kind in {str(k) for k in RequestKind} else ""
    due = call.query("due")
    due = due if due in ("overdue", "week") else ""
    wanted = queries.QueueFilter(status=status, kind=kind, due=due,
                                 search=call.query("q")[:320])
    found = queries.queue(call.repo, wanted, today)
    rows = [{"request": r, "marks": queries.marks(r, today)} for r in found]
    return call.render("queue.html", rows=rows, counts=queries.counts(call.repo, today),
                       wanted=wanted, statuses=[str(s) for s in RequestStatus],
                       kinds=[str(k) for k in RequestKind], limit=queries.LIMIT, today=today)
