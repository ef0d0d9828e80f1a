"""Mails that could not be parsed or were too large: look at them, replay or dismiss."""

from __future__ import annotations

from starlette.responses import Response

from mailbot.console.auth import Role
from mailbot.console.web import Call, Pages
from mailbot.service import quarantine as actions
from mailbot.store import views

PAGES = Pages()
SHOWN_BYTES = 64 * 1024  # of the raw message on its page


@PAGES.get("/quarantine")
def listing(call: Call) -> Response:
    dismissed = call.query("show") == "dismissed"
    mails = call.repo.inbound.quarantined(dismissed=dismissed)
    return call.render("quarantine.html", mails=mails, dismissed=dismissed)


@PAGES.get("/quarantine/{inbound_id:int}")
def show(call: Call) -> Response:
    mail = actions.quarantined(call.repo, call.int_path("inbound_id"))
    raw = mail.raw or b""
    timeline = [views.event_view(e) for e in call.repo.events.of(inbound_id=mail.id)]
    return call.render("quarantine_mail.html", mail=mail,
                       raw=raw[:SHOWN_BYTES].decode("utf-8", "replace"),
                       cut=len(raw) > SHOWN_BYTES, timeline=timeline,
                       dismissed=call.repo.inbound.is_dismissed(mail.id))


@PAGES.post("/quarantine/{inbound_id:int}/replay", role=Role.APPROVER)
def replay(call: Call) -> Response:
    inbound_id = call.int_path("inbound_id")
    call.acting()
    result = actions.replay(call.service, inbound_id, by=call.by)
    if result.error is not None:
        return call.redirect(f"/quarantine/{inbound_id}", done="replay_failed")
    if result.references:
        return call.redirect(f"/requests/{result.references[0]}", done="replayed")
    return call.redirect("/quarantine", done="replayed")


@PAGES.post("/quarantine/{inbound_id:int}/dismiss", role=Role.APPROVER)
def dismiss(call: Call) -> Response:
    inbound_id = call.int_path("inbound_id")
    call.acting()
    actions.dismiss(call.service, inbound_id, call.field("reason"), by=call.by)
    return call.redirect("/quarantine", done="dismissed")
