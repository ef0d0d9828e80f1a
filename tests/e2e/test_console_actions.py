"""Staff in a real browser (Debian's Chromium), taking each way forward the console offers:
a reply of their own, closing what is no request, verifying a person another way, a new
verification mail, assigning and the "mine" filter, another kind, a refusal, searching the
sources again; and, as admin, users, opt-outs by hand, the outbox, a page that is not there;
a mail that may have left when its worker stopped, sent again.
Mail comes in through a Maildir and goes out to the SMTP sink."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.send.outbox import enqueue
from mailbot.send.transport import SmtpTransport
from mailbot.service import users
from tests.e2e.conftest import Tab, off_the_browser_loop
from tests.harness.mails import mail
from tests.unit.console_support import (
    ADMIN,
    APPROVER,
    DMARC,
    PASSWORD,
    STAFF,
    VIEWER,
    console_settings,
    deliver,
)

pytestmark = [pytest.mark.slow]
RECEIVED = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
ANNA = "Anna Smit <anna.smit@example.org>"


def started(tmp_path: Path, smtp_sink: Any, app_factory: Any, *mails: bytes,
            **sections: Any) -> App:
    settings = console_settings(tmp_path, smtp_sink.url)
    if "sources" in sections:
        settings = settings.model_copy(update={"sources": sections.pop("sources")})
    app = app_factory(settings)
    for name, role in STAFF.items():
        users.add(app.service, name, role, PASSWORD, by=None)
    for raw in mails:
        off_the_browser_loop(lambda raw=raw: deliver(app, raw, RECEIVED))
    return app


def sign_in(tab: Tab, url: str, name: str = APPROVER, password: str = PASSWORD) -> None:
    page = tab.page
    page.goto(f"{url}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("section.login button[type=submit]")
    page.wait_for_url(f"{url}/queue")


def open_request(tab: Tab, url: str, sender: str) -> None:
    page = tab.page
    page.goto(f"{url}/queue?status=all")
    page.locator("table.queue tbody tr", has_text=sender).locator("a").first.click()
    page.wait_for_selector("section.actions")


def status(tab: Tab) -> str:
    return tab.page.inner_text("h1 .status")


def flash(tab: Tab) -> str:
    return tab.page.inner_text("p.flash")


def test_a_question_is_answered_by_staff_and_another_closed(
        tmp_path: Path, smtp_sink, app_factory, serve_console: Callable[[Any], str],
        tab: Tab) -> None:
    app = started(tmp_path, smtp_sink, app_factory,
                  mail("Wie is bij jullie de functionaris gegevensbescherming?", subject="FG"),
                  mail("Mijn factuur van oktober klopt niet.", subject="Factuur", sender=ANNA))
    smtp_sink.wait_for_count(2)  # two acknowledgements
    url = serve_console(app)
    sign_in(tab, url)
    page = tab.page

    open_request(tab, url, "sanne.jansen@example.org")
    assert status(tab) == "Triage"
    page.locator("details.way-reply summary").click()
    page.fill("details.way-reply textarea[name=text]",
              "Beste Sanne,\n\nDat is Fenna Visser, fg@example.org.\n")
    page.locator("details.way-reply button[type=submit]").click()
    assert "Your reply is in the drafts" in flash(tab)
    assert status(tab) == "Waiting for approval"
    page.locator("article.draft", has_text="Reply by staff").locator(
        "button", has_text="Approve and send").click()
    assert status(tab) == "Done"
    off_the_browser_loop(app.daemon.run_once)
    reply = smtp_sink.wait_for_count(3)[-1]
    assert list(reply.rcpt_tos) == ["sanne.jansen@example.org"]
    assert "Dat is Fenna Visser" in reply.message.get_body(("plain",)).get_content()

    open_request(tab, url, "anna.smit@example.org")
    page.locator("details.way-close summary").click()
    page.fill("details.way-close textarea[name=reason]", "Een factuurvraag: naar de boekhouding.")
    page.locator("details.way-close button[type=submit]").click()
    assert "nothing was sent" in flash(tab)
    assert status(tab) == "Closed: not a request"
    assert page.locator("section.actions details.way-close").count() == 0
    off_the_browser_loop(app.daemon.run_once)
    assert len(smtp_sink.messages) == 3
    assert not tab.problems, tab.problems


def test_verifying_by_hand_a_new_code_and_my_requests(
        tmp_path: Path, smtp_sink, app_factory, serve_console: Callable[[Any], str],
        tab: Tab) -> None:
    app = started(tmp_path, smtp_sink, app_factory,
                  mail("Stuur mij een overzicht van mijn gegevens."),
                  mail("Stuur mij een overzicht van mijn gegevens.", sender=ANNA))
    smtp_sink.wait_for_count(4)  # two acknowledgements, two verification codes
    url = serve_console(app)
    sign_in(tab, url)
    page = tab.page

    open_request(tab, url, "sanne.jansen@example.org")
    assert status(tab) == "Waiting for verification"
    page.locator("details.way-verify summary").click()
    page.fill("details.way-verify textarea[name=reason]", "Teruggebeld op het bekende nummer")
    page.locator("details.way-verify button[type=submit]").click()
    assert "counts as verified" in flash(tab)
    assert status(tab) == "Waiting for approval"
    assert "Teruggebeld op het bekende nummer" in page.inner_text("section.timeline")

    open_request(tab, url, "anna.smit@example.org")
    page.locator("form.way-resend_verification button").click()
    assert "new verification mail" in flash(tab)
    off_the_browser_loop(app.daemon.run_once)
    assert list(smtp_sink.wait_for_count(5)[-1].rcpt_tos) == ["anna.smit@example.org"]

    page.select_option("form.way-assign select[name=to]", APPROVER)
    page.locator("form.way-assign button").click()
    assert "has been assigned" in flash(tab)
    assert page.inner_text("dd.assigned") == APPROVER
    page.goto(f"{url}/queue")
    page.check("input[name=mine]")
    page.locator("form.filters button[type=submit]").click()
    rows = page.locator("table.queue tbody tr")
    assert rows.count() == 1 and "anna.smit@example.org" in rows.first.inner_text()
    assert not tab.problems, tab.problems


def test_another_kind_a_refusal_and_a_search_that_failed_run_again(
        tmp_path: Path, smtp_sink, app_factory, serve_console: Callable[[Any], str],
        tab: Tab) -> None:
    crm = tmp_path / "crm.csv"  # not there yet: the first search fails
    source = Source(name="CRM", type="csv", path=crm, delimiter=";",
                    purposes=("our newsletter",), categories=("name",),
                    retention="until you unsubscribe", origin="you")
    app = started(tmp_path, smtp_sink, app_factory,
                  mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
                  mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC,
                       sender=ANNA), sources=(source,))
    url = serve_console(app)
    sign_in(tab, url)
    page = tab.page

    open_request(tab, url, "sanne.jansen@example.org")
    draft = page.locator("article.draft").first
    assert "CRM" in draft.inner_text() and "not found" not in draft.inner_text()
    crm.write_text("email;name\nsanne.jansen@example.org;Sanne Jansen\n", encoding="utf-8")
    page.locator("form.way-research button").click()
    assert "searched again" in flash(tab)
    waiting = page.locator("article.draft", has_text="Waiting for approval")
    assert waiting.count() == 1 and "Sanne Jansen" in waiting.inner_text()
    assert page.locator("article.draft", has_text="Rejected").count() == 1  # the old one

    open_request(tab, url, "anna.smit@example.org")
    page.select_option("form.way-change_kind select[name=kind]", "erasure")
    page.locator("form.way-change_kind button").click()
    assert "handled as the chosen kind" in flash(tab)
    assert "Erasure" in page.inner_text("h1")
    page.locator("details.way-refuse summary").click()
    page.fill("details.way-refuse textarea[name=reason]", "Wij bewaren deze gegevens wettelijk.")
    page.locator("details.way-refuse button[type=submit]").click()
    assert "refusal is in the drafts" in flash(tab)
    refusal = page.locator("article.draft", has_text="Refusal")
    assert "Autoriteit Persoonsgegevens" in refusal.inner_text()
    assert not tab.problems, tab.problems


def test_an_admin_manages_users_opt_outs_and_reads_the_outbox(
        tmp_path: Path, smtp_sink, app_factory, serve_console: Callable[[Any], str],
        tab: Tab) -> None:
    app = started(tmp_path, smtp_sink, app_factory,
                  mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC))
    smtp_sink.wait_for_count(1)
    url = serve_console(app)
    sign_in(tab, url, ADMIN)
    page = tab.page

    page.click("header.top nav a[href='/users']")
    row = page.locator("tr", has_text=VIEWER)
    row.locator("select[name=role]").select_option("approver")
    row.locator("button", has_text="Set role").click()
    assert "signed out" in flash(tab)
    row = page.locator("tr", has_text=VIEWER)
    assert row.locator("td.role").inner_text() == "approver"
    row.locator("summary", has_text="New password").click()
    row.locator("input[name=password]").fill("a brand new password")
    row.locator("button", has_text="Set password").click()
    page.locator("tr", has_text=VIEWER).locator("button", has_text="Disable").click()
    assert page.locator("tr", has_text=VIEWER).locator("td.state").inner_text() == "disabled"
    assert "Password reset" in page.inner_text("section.user-changes")

    page.click("header.top nav a[href='/optouts']")
    page.fill("section.add-optout input[name=email]", "kees.devries@example.org")
    page.check("input[name=purpose_sales_calls]")
    page.fill("section.add-optout input[name=note]", "aan de telefoon")
    page.locator("section.add-optout button").click()
    assert "has been recorded" in flash(tab)
    assert "kees.devries@example.org" in page.inner_text("table.optouts")
    page.fill("form.filters input[name=q]", "nobody-like-this")
    page.locator("form.filters button").click()
    assert page.locator("table.optouts").count() == 0
    page.goto(f"{url}/optouts?q=kees")
    page.locator("table.optouts summary", has_text="Remove").click()
    page.fill("table.optouts input[name=reason]", "per abuis")
    page.locator("table.optouts button", has_text="Remove the objection").click()
    assert "has been removed" in flash(tab)

    page.click("header.top nav a[href='/outbox']")
    sent = page.locator("table.outbox tbody tr", has_text="Acknowledgement")
    assert "Sent" in sent.inner_text() and "sanne.jansen@example.org" in sent.inner_text()

    assert not tab.problems, tab.problems
    response = page.goto(f"{url}/requests/MB-1999-99999")
    assert response is not None and response.status == 404
    assert "That does not exist" in page.inner_text("p.error")
    header = page.locator("header.top")
    assert header.evaluate("e => getComputedStyle(e).display") == "flex"  # styled
    assert len(tab.problems.console_errors) == 1  # the page itself; its stylesheet loaded


def test_a_mail_that_may_have_left_is_sent_again_from_the_outbox(
        tmp_path: Path, smtp_sink, app_factory, serve_console: Callable[[Any], str],
        tab: Tab) -> None:
    settings = console_settings(tmp_path, smtp_sink.url)
    dying = app_factory(settings, transport=StopsAfterHandingOver(SmtpTransport(settings.smtp)))
    with dying.uow() as uow:
        held = enqueue(uow.repo, settings, purpose="test.0", id_purpose="test", key="0",
                       to="anna.smit@example.org", subject="Uw verzoek", body="Tekst\n",
                       language="nl", now=datetime.now(UTC), inbound_id=None,
                       request_id=None)
        uow.commit()
    with pytest.raises(WorkerStopped):
        off_the_browser_loop(dying.outbox.deliver_due)
    later = datetime.now(UTC) + timedelta(hours=1)  # the stopped worker's claim ran out
    app = app_factory(settings, clock=lambda: later)
    for name, role in STAFF.items():
        users.add(app.service, name, role, PASSWORD, by=None)
    off_the_browser_loop(app.outbox.deliver_due)
    url = serve_console(app)
    sign_in(tab, url, APPROVER)
    page = tab.page

    page.click("ul.counts a[href='/outbox?status=uncertain']")
    row = page.locator("table.outbox tbody tr", has_text="anna.smit@example.org")
    assert "May have left" in row.inner_text()
    assert "may have left or not" in page.inner_text("p.uncertain-intro")
    row.locator("button", has_text="Send again").click()
    assert "sent again in the next delivery round" in flash(tab)
    assert page.locator("table.outbox tbody tr").count() == 0
    assert off_the_browser_loop(app.outbox.deliver_due).sent == [held.id]
    copies = [m for m in smtp_sink.wait_for_count(2)
              if m.message["Message-ID"] == held.message_id]
    assert len(copies) == 2  # once when the worker stopped, once as the approver decided
    page.goto(f"{url}/outbox")
    assert "Sent" in page.locator("table.outbox tbody tr",
                                  has_text="anna.smit@example.org").inner_text()
    page.goto(f"{url}/queue")
    assert page.locator("ul.counts a[href='/outbox?status=uncertain']").count() == 0
    assert not tab.problems, tab.problems


class WorkerStopped(BaseException):
    pass


class StopsAfterHandingOver:
    """The real SMTP server; the worker stops right after the server took the first message,
    before it could record that."""

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport

    def send_sync(self, message: bytes, *, sender: str, recipients: list[str]) -> str:
        self.transport.send_sync(message, sender=sender, recipients=recipients)
        raise WorkerStopped
