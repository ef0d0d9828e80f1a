"""Issue 10, break 11: the log names requests and mails by id or reference, never by address.

A whole flow through the real parts (Dovecot → ingest → acknowledgement and code through the
SMTP sink → the code answered → drafts → staff approval → sent), with every log record of the
run captured at DEBUG as mailbot's own logging lets it through, twice: as the records are
(what any handler an operator adds would write) and as mailbot writes them. Neither holds
any address used, nor its local part."""

from __future__ import annotations

import io
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from mailbot.config import Source
from mailbot.logsetup import CHATTY, TEXT_FORMAT, RedactingText
from mailbot.service import drafts, users
from mailbot.store import views
from tests.harness.app import make_settings
from tests.harness.mails import mail
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot

TRUSTED_PASS = "mx.example.org; dmarc=pass (p=reject) header.from=example.org"
# a local part with eight digits in a row: no machine made it
KEES = "k.jansen19850312@example.org"
ELS = "els.bakker@example.org"
JAN = "jan.de.vries@example.org"
STAFF_ADDRESS = "privacy-team@example.org"
STAFF = "Fenna Visser"
PEOPLE = (KEES, ELS, JAN, STAFF_ADDRESS)
T = TypeVar("T")


class Captured(logging.Handler):
    """Every record, kept as mailbot's handler would write it and as it is."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.written = io.StringIO()
        self.plain: list[str] = []
        self.shown = RedactingText(TEXT_FORMAT)
        self.bare = logging.Formatter("%(levelname)s %(name)s: %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        self.plain.append(self.bare.format(record))
        self.written.write(self.shown.format(record) + "\n")


@pytest.fixture
def captured() -> Iterator[Captured]:
    """The levels mailbot's logging sets (DEBUG; protocol traces at WARNING), one handler."""
    root = logging.getLogger()
    handler = Captured()
    levels = {name: logging.getLogger(name).level for name in CHATTY}
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def crm(directory: Path) -> Source:
    path = directory / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (name TEXT, street TEXT, email TEXT)")
        connection.execute("INSERT INTO customers VALUES ('Kees Jansen', 'Dorpsstraat 12', ?)",
                           (KEES,))
    connection.close()
    return Source(name="CRM", type="sql", url=f"sqlite:///{path}",
                  query="SELECT name, street FROM customers WHERE lower(email) = lower(:email)",
                  purposes=["customer administration"], categories=["name", "address"],
                  retention="2 years", origin="you", no_recipients=True, no_transfers=True)


def delivered(app: Any, check: Callable[[], T]) -> Callable[[], T]:
    """``check``, after delivering what is due (retries come due in a moment)."""
    def deliver_then_check() -> T:
        app.daemon.deliver()
        return check()
    return deliver_then_check


def code_in(message: Any) -> str:
    text = str(message.get_body(("plain",)).get_content()).replace("\r\n", "\n")
    found = re.search(r"^ {4}(\d{8})$", text, re.MULTILINE)
    assert found
    return found[1]


def test_the_log_of_a_whole_flow_holds_no_address(
        captured: Captured, tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    settings = make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url,
        verification={"trusted_authserv_ids": ["mx.example.org"]},
        privacy={"profiling": "Wij nemen geen geautomatiseerde besluiten."},
        deadlines={"staff_address": STAFF_ADDRESS}, sources=[crm(tmp_path)])
    app = app_factory(settings)
    users.add(app.service, STAFF, "approver", "a long enough password", by=None)
    dovecot.append(mail("Welke gegevens hebben jullie van mij? Stuur me een overzicht.",
                        sender=f"Kees Jansen <{KEES}>",
                        headers={"Authentication-Results": TRUSTED_PASS}))
    dovecot.append(mail("Verwijder al mijn gegevens.", sender=f"Els Bakker <{ELS}>",
                        subject="Verwijderen"))
    dovecot.append(mail("Haal me van de nieuwsbrief af.", sender=f"Jan de Vries <{JAN}>",
                        subject="Afmelden"))
    # The server turns Kees's acknowledgement away at first, naming him in its answer.
    smtp_sink.refuse(450, f"4.2.0 <{KEES}>: mailbox busy", at="RCPT", recipients=[KEES])
    app.daemon.run_once()
    smtp_sink.accept()
    to_els = wait_for(delivered(app, lambda: [
        m for m in smtp_sink.messages
        if m.rcpt_tos == (ELS,) and "Bevestig" in m.message["Subject"]]),
        message="the verification mail to Els")
    verification = to_els[0].message
    dovecot.append(mail(f"Ja, dat was ik.\n\n{code_in(verification)}",
                        sender=f"Els Bakker <{ELS}>", subject="Re: " + verification["Subject"],
                        headers={"In-Reply-To": verification["Message-ID"],
                                 "References": verification["Message-ID"]}))
    app.daemon.run_once()
    with app.uow() as uow:
        waiting = [d["id"] for d in views.drafts(uow.repo, status="pending_approval")]
    assert len(waiting) == 2  # Kees's overview and Els's erasure
    for draft_id in waiting:
        drafts.approve(app.service, draft_id, by=STAFF)
    app.daemon.run_once()

    def sent() -> bool:
        with app.uow() as uow:
            return all(d["status"] == "sent" for d in views.drafts(uow.repo)
                       if d["id"] in waiting)

    wait_for(delivered(app, sent), message="the approved answers sent")

    written = captured.written.getvalue()
    assert "mail" in written and len(captured.plain) > 5  # it did log
    assert any("failed" in line and "mailbox busy" in line for line in captured.plain)
    for address in PEOPLE:
        local = address.split("@")[0]
        leaks = [line for line in captured.plain if local in line]
        assert not leaks, f"{address} in the log records: {leaks}"
        assert local not in written, f"{address} in mailbot's log output"
