"""Issue 10, breaks 4 and 8, through Dovecot, the database and the command line: exported
CSV never starts a cell with a formula character, and `requests show` prints no escape
sequence or bidirectional override from a mail as it is."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mailbot.register.export import COLUMNS, to_csv
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

FORMULA = ("=", "+", "-", "@", "\t", "\r")
SENDERS = ("=2+5@example.org", "-3+2@example.org", "+31612345678@example.org")


def run(config: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


@pytest.fixture
def config(tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
           app_factory: Any) -> tuple[Any, Path]:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url)
    app = app_factory(settings)
    path = tmp_path / "mailbot.toml"
    path.write_text(toml_for(settings), encoding="utf-8")
    return app, path


def test_the_opt_out_export_holds_no_formula(config: tuple[Any, Path], dovecot: Any) -> None:
    app, path = config
    for sender in SENDERS:
        dovecot.append(mail("Haal me van de nieuwsbrief af.", sender=sender,
                            subject="Afmelden"))
    app.daemon.run_once()
    exported = run(path, "optouts", "export", "--format", "csv")
    found = cells(exported)
    for sender in SENDERS:
        assert f"'{sender}" in found  # kept, readable, and inert
    assert not [c for c in found if c.startswith(FORMULA)]


def test_the_register_export_holds_no_formula() -> None:
    row = {column: f"=HYPERLINK(\"https://evil.test/{column}\")" for column in COLUMNS}
    row["client"] = "@SUM(1+1)"
    row["processing"] = "\tcmd"
    found = cells(to_csv([row]))
    assert "'=HYPERLINK(\"https://evil.test/security\")" in found  # kept, and inert
    assert "'\tcmd" in found and "'@SUM(1+1)" in found
    assert not [c for c in found if c.startswith(FORMULA)]


def test_requests_show_prints_no_escape_sequence(config: tuple[Any, Path],
                                                 dovecot: Any) -> None:
    app, path = config
    hostile = "Inzage \x1b]0;owned\x07\x1b[2J\u202egpj.exe"
    dovecot.append(mail("Stuur me een overzicht van mijn gegevens.\x1b[31m rood",
                        subject=hostile))
    app.daemon.run_once()
    with app.uow() as uow:
        [request] = uow.repo.requests.list()
        reference = request.reference
    shown = run(path, "requests", "show", reference)
    listed = run(path, "requests", "list", "--wide")
    for out in (shown, listed):
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "[U+202E]gpj.exe" in shown
