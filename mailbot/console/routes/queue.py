"""The queue: open requests by due date, with filters, search and counts."""

from __future__ import annotations

from datetime import date

from starlette.responses import Response

from mailbot.console.web import Call, Pages
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import OPEN_STATUSES, OutboxStatus, RequestStatus
from mailbot.store.models import Request
from mailbot.store.requests import WEEK, QueueFilter

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
    mine = call.query("mine") == "1"
    wanted = QueueFilter(status=status, kind=kind, due=due, search=call.query("q")[:320],
                         assigned_to=call.me.name if mine else "")
    pager = call.page()
    found = pager.rows(call.repo.requests.queue(wanted, today, limit=pager.size + 1,
                                                offset=pager.offset))
    rows = [{"request": r, "marks": marks(r, today)} for r in found]
    counts = {**call.repo.requests.counts(today, me=call.me.name),
              "drafts_waiting": call.repo.drafts.count_waiting(),
              "quarantined": call.repo.inbound.count_quarantined(),
              "uncertain": call.repo.outbox.count(OutboxStatus.UNCERTAIN)}
    return call.render("queue.html", rows=rows, counts=counts, mine=mine, pager=pager,
                       wanted=wanted, statuses=[str(s) for s in RequestStatus],
                       kinds=[str(k) for k in RequestKind], today=today)


def marks(request: Request, today: date) -> list[str]:
    """What the queue flags on a request: overdue, due this week, triage; special
    categories of data in its mail, and a child's data."""
    found = []
    if request.status in OPEN_STATUSES:
        if request.due_at < today:
            found.append("overdue")
        elif request.due_at <= today + WEEK:
            found.append("week")
        if request.triage:
            found.append("triage")
    if request.special:
        found.append("special")
    if request.child:
        found.append("child")
    return found
