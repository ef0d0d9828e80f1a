"""Issue 10, breaks 1, 5 and 6, through Dovecot, the SMTP sink and the database (SQLite and
PostgreSQL): an answer to the verification mail counts by its own text only, a "no, I did
not ask for this" disputes the requests, an unthreaded mail never fails anyone's checks,
and the code cannot be recovered from the database alone."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import select

from mailbot.console.app import create_app
from mailbot.console.server import ConsoleServer
from mailbot.store.models import Verification
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail
from tests.integration.test_verification_flow import (
    SANNE,
    code_of,
    received,
    reply_to,
    state,
    text_of,
)
from tests.unit.console_support import APPROVER, Clock, add_staff, signed_in

pytestmark = pytest.mark.dovecot

STAFF_ADDRESS = "privacy-team@example.org"
ERASE = "Verwijder al mijn gegevens uit jullie systemen."


@pytest.fixture
def app(tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> Any:
    settings = make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url,
        verification={"trusted_authserv_ids": ["mx.example.org"], "max_attempts": 3},
        acknowledge={"rate_limit_count": 100},
        deadlines={"staff_address": STAFF_ADDRESS, "digest_time": "off"})
    return app_factory(settings)


def spoofed(app: Any, dovecot: Any, smtp_sink: Any, body: str = ERASE) -> tuple[int, Any]:
    """A request in Sanne's name from someone else: no DMARC pass, so she gets a code."""
    before = len(smtp_sink.messages)
    dovecot.append(mail(body, subject="Verwijderen"))
    app.daemon.run_once()
    smtp_sink.wait_for_count(before + 2)
    with app.uow() as uow:
        request_id = max(r.id for r in uow.repo.requests.list())
    codes = [m for m in received(smtp_sink)[before:] if "Bevestig" in m["Subject"]]
    assert len(codes) == 1
    return request_id, codes[0]


def quoting(verification: EmailMessage, own: str) -> str:
    """A reply as mail clients write it: the person's words above our mail, quoted."""
    quoted = "\n".join("> " + line for line in text_of(verification).splitlines())
    return f"{own}\n\nOp 1 december 2026 schreef privacy@example.org:\n{quoted}\n"


def test_no_i_did_not_ask_disputes_the_request_and_alerts_staff(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    request_id, verification = spoofed(app, dovecot, smtp_sink)
    assert re.search(r"\d{8}", text_of(verification))  # the code is in what she quotes
    dovecot.append(reply_to(verification, quoting(
        verification, "Ik heb dit NIET aangevraagd! Verwijder niets.")))
    app.daemon.run_once()

    now = state(app, request_id)
    assert now["status"] == "disputed"
    assert now["verified_at"] is None
    assert "verification_disputed" in now["events"]
    assert "verification_confirmed" not in now["events"]
    with app.uow() as uow:
        [found] = uow.session.scalars(select(Verification)).all()
        assert found.status == "disputed"
    messages = smtp_sink.wait_for_count(3)
    to_sanne = [m for m in messages if SANNE in m.rcpt_tos]
    assert len(to_sanne) == 2  # the acknowledgement and the code: nothing confirms anything
    [alert] = [m for m in received(smtp_sink) if m["To"] == STAFF_ADDRESS]
    assert "BETWIST" in alert["Subject"]
    assert "niet aangevraagd" in text_of(alert)


def test_staff_read_the_answer_on_the_request_page_and_in_the_cli(
        app: Any, dovecot: Any, smtp_sink: Any, tmp_path: Path) -> None:
    request_id, verification = spoofed(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, quoting(
        verification, "Dit was ik niet. Wie heeft dit gestuurd?")))
    app.daemon.run_once()
    add_staff(app)
    with app.uow() as uow:
        reference = uow.repo.requests.get(request_id).reference
    clock = Clock(datetime.now(UTC))
    page = signed_in(app, clock, APPROVER).get(f"/requests/{reference}").text
    answers = page.split('id="answers"')[1].split("</section>")[0]
    shown = re.findall(r'<pre class="mail-text">(.*?)</pre>', answers, re.S)
    assert shown == ["Dit was ik niet. Wie heeft dit gestuurd?"]  # her words, no quote
    assert 'way-close' in page and 'way-verify' in page  # a way forward
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    shown_cli = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(config), "requests", "show",
         reference], capture_output=True, text=True, env=env, timeout=60, check=True).stdout
    assert "Answer to the verification mail" in shown_cli
    assert "  | Dit was ik niet. Wie heeft dit gestuurd?" in shown_cli
    assert "mailbot requests close" in shown_cli.split("What you can do:")[1]


def test_a_yes_above_the_quoted_code_or_the_code_alone_verifies(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    first, verification = spoofed(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, quoting(verification, "Ja, dat klopt.")))
    app.daemon.run_once()
    assert state(app, first)["verified_at"] is not None

    second, verification = spoofed(app, dovecot, smtp_sink,
                                   "Stuur me een overzicht van mijn gegevens.")
    dovecot.append(reply_to(verification, code_of(verification)))
    app.daemon.run_once()
    assert state(app, second)["verified_at"] is not None


def test_an_empty_reply_or_a_long_one_with_the_code_waits_for_a_person(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    first, verification = spoofed(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, quoting(verification, "")))
    app.daemon.run_once()
    assert state(app, first)["verified_at"] is None
    assert "verification_reply_unclear" in state(app, first)["events"]


def test_an_unthreaded_mail_full_of_codes_fails_nobodys_checks(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    waiting = [spoofed(app, dovecot, smtp_sink, body)[0] for body in (
        ERASE, "Stuur me een overzicht van mijn gegevens.",
        "Ik wil inzage in mijn persoonsgegevens.", "Wis al mijn persoonsgegevens alstublieft.")]
    sent_before = len(smtp_sink.messages)
    guesses = "\n".join(f"{n:04d} {n * 7 % 10000:04d}" for n in range(1000, 1010))
    dovecot.append(mail(guesses, subject="codes"))  # from Sanne's address, not a reply
    app.daemon.run_once()

    with app.uow() as uow:
        found = [(v.status, v.attempts)
                 for v in uow.session.scalars(select(Verification)).all()]
    assert found == [("pending", 0)] * 4
    later = received(smtp_sink)[sent_before:]
    assert not [m for m in later if "niet gelukt" in (m["Subject"] or "")]
    for request_id in waiting:
        assert state(app, request_id)["status"] == "awaiting_verification"


def test_the_code_cannot_be_found_from_the_database_alone(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    _, verification = spoofed(app, dovecot, smtp_sink)
    code = code_of(verification)
    with app.uow() as uow:
        [row] = uow.session.scalars(select(Verification)).all()
        values = [str(getattr(row, c.key)) for c in Verification.__table__.columns]
        stored = row.code_hash
    # Whatever the row holds, keyed over address and code, does not give what is stored:
    for salt in values:
        digest = hmac.new(salt.encode(), f"{SANNE}\0{code}".encode(), hashlib.sha256)
        assert digest.hexdigest() not in stored
        assert base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=") not in stored
    assert code not in stored


def test_the_database_and_its_directory_are_the_owners_only(
        tmp_path: Path, dovecot: Any, smtp_sink: Any, app_factory: Any) -> None:
    data = tmp_path / "fresh" / "data"
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=f"sqlite:///{data / 'mailbot.db'}")
    app = app_factory(settings)
    dovecot.append(mail(ERASE))
    app.daemon.run_once()
    files = sorted(data.glob("mailbot.db*"))
    assert {p.name for p in files} >= {"mailbot.db", "mailbot.db-wal"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for directory in (data, data.parent):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory


def test_six_clicks_on_one_link_at_once_verify_once(tmp_path: Path, dovecot: Any,
                                                    smtp_sink: Any, database_url: str,
                                                    app_factory: Any) -> None:
    """Break 10: the same link posted six times at once, over HTTP to the console as uvicorn
    serves it: one confirms, the others are told the link was used."""
    settings = make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url,
        verification={"trusted_authserv_ids": ["mx.example.org"],
                      "link_base_url": "https://mailbot.example.org"})
    app = app_factory(settings)
    request_id, verification = spoofed(app, dovecot, smtp_sink)
    path = re.search(r"https://mailbot\.example\.org(/verify/[A-Za-z0-9_-]+)",
                     text_of(verification))[1]  # type: ignore[index]
    server = ConsoleServer(create_app(app), "127.0.0.1:0")
    server.start()
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(
                lambda _: httpx2.post(f"{server.url}{path}", timeout=30), range(6)))
    finally:
        server.stop()
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [410] * 5, codes  # one confirms; five hear the link was used
    events = state(app, request_id)["events"]
    assert events.count("verification_confirmed") == 1
