"""Issue 10, break 4, for every CSV mailbot writes for people: the opt-out list and the
processor register, from the command line and downloaded from the console as uvicorn serves
it. Text that senders and client contacts wrote (addresses, order fields) starting like a
formula reaches the file inert: every cell of every file is read back as text and checked."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mailbot.console.app import create_app
from mailbot.console.server import ConsoleServer
from mailbot.service import orders
from tests.harness.mails import mail
from tests.integration.test_register_flow import CONTACT, PROVEN, mailbot, start

pytestmark = pytest.mark.dovecot

FORMULA = ("=", "+", "-", "@", "\t", "\r")
SENDERS = ("=2+5@example.org", "-3+2@example.org", "+31612345678@example.org")
HOSTILE = {"processing": '=HYPERLINK("https://evil.test/x","klik")',
           "subjects": "+cmd|' /C calc'!A0", "data": "-2+3+cmd|' /C calc'!A0",
           "security": "@SUM(1+1)*cmd|' /C calc'!A0"}
ORDER = f"""Dear privacy team,

Please find below our processing instruction.

Reference: NEWS-2027
Controller: Tuincentrum De Linde B.V.
Categories of processing: {HOSTILE["processing"]}
Categories of data subjects: {HOSTILE["subjects"]}
Categories of personal data: {HOSTILE["data"]}
Transfers outside the EEA: none
Security measures: {HOSTILE["security"]}
Start date: March 1st, 2027

Kind regards,
Marieke de Vries
"""


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def check_every_cell(text: str, expected: tuple[str, ...]) -> None:
    found = cells(text)
    assert not [c for c in found if c.startswith(FORMULA)], text
    for value in expected:  # kept, readable, and inert
        assert f"'{value}" in found or any(f"'{value}" in c for c in found), value


@pytest.fixture
def app(tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> Any:
    app = start(tmp_path, dovecot, smtp_sink, app_factory, database_url)
    for sender in SENDERS:
        dovecot.append(mail("Haal me van de nieuwsbrief af.", sender=sender,
                            subject="Afmelden"))
    dovecot.append(mail(ORDER, sender=f"Marieke de Vries <{CONTACT}>",
                        subject="Processing order - newsletter", headers=PROVEN))
    app.daemon.run_once()
    with app.uow() as uow:
        [order] = [r for r in uow.repo.requests.list() if r.kind == "register_instruction"]
        reference = order.reference
    orders.approve(app.service, reference, by="Staff")
    return app


@pytest.fixture
def console(app: Any) -> Iterator[httpx2.Client]:
    server = ConsoleServer(create_app(app), "127.0.0.1:0")
    server.start()
    try:
        with httpx2.Client(base_url=server.url, timeout=30) as client:
            page = client.get("/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            signed_in = client.post("/login", data={
                "name": "Staff", "password": "a long enough password", "next": "/queue",
                "csrf_token": token})
            assert signed_in.status_code == 303
            yield client
    finally:
        server.stop()


def test_the_command_line_exports_hold_no_formula(app: Any, tmp_path: Path) -> None:
    check_every_cell(mailbot(app, tmp_path, "optouts", "export", "--format", "csv"), SENDERS)
    register = mailbot(app, tmp_path, "register", "export", "--format", "csv")
    assert "NEWS-2027" in register  # the order is in it
    check_every_cell(register, ("=HYPERLINK(", "@SUM(1+1)"))


def test_the_console_downloads_hold_no_formula(console: httpx2.Client) -> None:
    optouts = console.get("/optouts/export", params={"format": "csv"})
    assert optouts.status_code == 200 and optouts.headers["content-type"].startswith("text/csv")
    check_every_cell(optouts.text, SENDERS)
    register = console.get("/register/export", params={"format": "csv"})
    assert register.status_code == 200
    assert "NEWS-2027" in register.text
    check_every_cell(register.text, ("=HYPERLINK(", "@SUM(1+1)"))
