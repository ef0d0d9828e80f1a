"""A member of staff in a real browser: signs in, opens the queue and a request, edits and
approves the reply, and the reply arrives at the SMTP server; a mail carrying script and
image payloads is shown inert."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mailbot.service import users
from tests.e2e.conftest import Tab, off_the_browser_loop
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]

NAME, PASSWORD = "Arie Approver", "a long enough password"
DMARC = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}
RECEIVED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SCRIPT, IMAGE = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"


def started(tmp_path: Path, dovecot: Any, smtp_sink: Any, app_factory: Any,
            raw: bytes) -> Any:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             verification={"trusted_authserv_ids": ["mx.example.org"]})
    app = app_factory(settings)
    users.add(app.service, NAME, "approver", PASSWORD, by=None)
    dovecot.append(raw, internaldate=RECEIVED)
    off_the_browser_loop(app.daemon.run_once)
    smtp_sink.wait_for_count(1)  # the acknowledgement; the reply waits for approval
    return app


def sign_in(tab: Tab, url: str) -> None:
    page = tab.page
    page.goto(f"{url}/queue")
    assert page.url.startswith(f"{url}/login?next=")
    page.fill("#name", NAME)
    page.fill("#password", PASSWORD)
    page.click("section.login button[type=submit]")
    page.wait_for_url(f"{url}/queue")


def test_staff_edit_and_approve_a_reply_that_then_reaches_the_sender(
        tmp_path: Path, dovecot, smtp_sink, app_factory,
        serve_console: Callable[[Any], str], tab: Tab) -> None:
    app = started(tmp_path, dovecot, smtp_sink, app_factory,
                  mail("Stuur mij een overzicht van mijn gegevens.", subject="Inzage",
                       headers=DMARC))
    url = serve_console(app)
    page = tab.page
    sign_in(tab, url)

    row = page.locator("table.queue tbody tr", has_text="sanne.jansen@example.org")
    assert "Waiting for approval" in row.inner_text()
    assert "1 Waiting for approval" in " ".join(page.locator("ul.counts").inner_text().split())
    row.locator("a").first.click()
    page.wait_for_url(re.compile(r"/requests/MB-\d{4}-\d{5}$"))
    assert "Stuur mij een overzicht van mijn gegevens." in page.inner_text("pre.mail-text")
    assert "access_phrase" in page.inner_text("section.classification")
    assert "Received + 30 days" in page.inner_text("section.due-box")

    draft = page.locator("article.draft").first
    draft.locator("summary", has_text="Edit").click()
    body = draft.locator("textarea[name=body]")
    body.fill(body.input_value().replace("Met vriendelijke groet,",
                                         "Bel ons gerust als u vragen heeft.\n\n"
                                         "Met vriendelijke groet,"))
    draft.locator("button", has_text="Save").click()
    assert "The draft has been saved." in page.inner_text("p.flash")
    assert "version 2" in page.locator("article.draft").first.inner_text()

    page.locator("article.draft").first.locator("button", has_text="Approve and send").click()
    assert "approved and is on its way" in page.inner_text("p.flash")
    assert "In the outbox" in page.locator("article.draft").first.inner_text()

    off_the_browser_loop(app.daemon.run_once)
    reply = smtp_sink.wait_for_count(2)[-1]
    assert list(reply.rcpt_tos) == ["sanne.jansen@example.org"]
    assert "Bel ons gerust als u vragen heeft." in \
        reply.message.get_body(("plain",)).get_content()

    page.goto(f"{url}/queue?status=all")
    assert "Done" in page.locator("table.queue tbody tr", has_text="sanne.jansen").inner_text()
    page.locator("header.top button", has_text="Sign out").click()
    page.wait_for_url(f"{url}/login")
    assert not tab.problems, tab.problems


def test_script_and_image_payloads_in_a_mail_are_shown_as_text(
        tmp_path: Path, dovecot, smtp_sink, app_factory,
        serve_console: Callable[[Any], str], tab: Tab) -> None:
    app = started(tmp_path, dovecot, smtp_sink, app_factory, mail(
        f"Stuur mij een overzicht van mijn gegevens. {SCRIPT} {IMAGE}",
        subject=f"Inzage {SCRIPT} {IMAGE}", headers=DMARC,
        sender=f'"Sanne {IMAGE}" <sanne.jansen@example.org>'))
    url = serve_console(app)
    page = tab.page
    sign_in(tab, url)

    row = page.locator("table.queue tbody tr", has_text="sanne.jansen@example.org")
    assert f"Inzage {SCRIPT} {IMAGE}" in row.inner_text()
    row.locator("a").first.click()
    page.wait_for_selector("pre.mail-text")
    assert SCRIPT in page.inner_text("pre.mail-text")
    assert IMAGE in page.inner_text("pre.mail-text")
    assert SCRIPT in page.inner_text("dd.subject")
    assert page.locator("script").count() == 0
    assert page.locator("img").count() == 0
    page.locator("article.draft summary", has_text="Edit").first.click()
    page.reload()
    assert not tab.problems, tab.problems
