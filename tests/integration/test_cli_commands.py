"""The command line as an operator types it: `run --once` delivers everything due, filters
take only values that exist, drafts are named by id or reference, every action names a staff
user, lists fit a terminal with local times."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from mailbot.bootstrap import App
from mailbot.send.outbox import enqueue
from mailbot.service import users
from tests.harness.app import toml_for
from tests.harness.mails import mail
from tests.unit.console_support import (
    ADMIN,
    APPROVER,
    DMARC,
    PASSWORD,
    VIEWER,
    console_settings,
    deliver,
)

ANNA = "Anna Smit <anna.smit@example.org>"
LONG_SUBJECT = "Inzage " + "in alles wat jullie over mij hebben opgeslagen " * 4


def run(config: Path, *args: str, user: str = "nobody-mapped",
        expect: int = 0) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env.update(USER=user, LOGNAME=user, COLUMNS="200")
    done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == expect, f"{args}: {done.stdout}{done.stderr}"
    return done


@pytest.fixture
def world(tmp_path: Path, smtp_sink: Any, app_factory: Any) -> tuple[App, Path]:
    app = app_factory(console_settings(tmp_path, smtp_sink.url))
    users.add(app.service, APPROVER, "approver", PASSWORD, by=None)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings) + '[staff]\nos_users = { arie = "'
                      + APPROVER + '" }\n', encoding="utf-8")
    return app, config


def test_run_once_delivers_everything_due(world: tuple[App, Path], smtp_sink: Any) -> None:
    app, config = world
    count = 57
    now = datetime.now(UTC)
    with app.uow() as uow:
        for i in range(count):
            enqueue(uow.repo, app.settings, purpose=f"test.{i}", id_purpose="test", key=str(i),
                    to=f"person{i}@example.org", subject=f"Bericht {i}", body="Hallo.\n",
                    language="nl", now=now, inbound_id=None, request_id=None)
        uow.commit()
    run(config, "run", "--once")
    assert len(smtp_sink.wait_for_count(count)) == count
    listed = json.loads(run(config, "outbox", "list", "--json", "--status", "pending").stdout)
    assert listed == []


def test_filters_take_only_values_that_exist(world: tuple[App, Path]) -> None:
    _, config = world
    wrong = run(config, "drafts", "list", "--status", "posted", expect=2)
    assert "'posted' is not one of" in wrong.stderr and "'sent'" in wrong.stderr
    assert "'gossip' is not one of" in run(config, "requests", "list", "--kind", "gossip",
                                           expect=2).stderr
    run(config, "inbound", "list", "--disposition", "bounce")
    run(config, "outbox", "list", "--status", "bounced")


def test_drafts_by_reference_and_actions_by_a_staff_user(world: tuple[App, Path],
                                                        smtp_sink: Any) -> None:
    app, config = world
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", subject=LONG_SUBJECT,
                      headers=DMARC), datetime.now(UTC) - timedelta(hours=2))
    [request] = json.loads(run(config, "requests", "list", "--json").stdout)
    reference = request["reference"]
    shown = run(config, "drafts", "show", reference).stdout
    assert shown.startswith("Draft #") and f"for {reference}" in shown

    refused = run(config, "drafts", "approve", reference, "--by", "Someone", expect=2)
    assert "'Someone' is no staff user" in refused.stderr
    unmapped = run(config, "drafts", "approve", reference, expect=2)
    assert "--by" in unmapped.stderr and "staff.os_users" in unmapped.stderr
    approved = run(config, "drafts", "approve", reference, user="arie").stdout
    assert f"approved by {APPROVER}" in approved  # the OS user arie acts as Arie Approver

    run(config, "run", "--once")
    smtp_sink.wait_for_count(2)
    sent = json.loads(run(config, "drafts", "list", "--json", "--status", "sent").stdout)
    assert [d["reference"] for d in sent] == [reference]

    lines = run(config, "outbox", "list").stdout.splitlines()
    reply = next(line for line in lines if "draft." in line)
    assert reference in reply
    assert re.search(r"\b\d{4}-\d\d-\d\d \d\d:\d\d\b", reply)  # when it was sent, local


def test_lists_fit_a_terminal_unless_wide(world: tuple[App, Path]) -> None:
    app, config = world
    received = (datetime.now(UTC) - timedelta(hours=2)).replace(second=0, microsecond=0)
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", subject=LONG_SUBJECT,
                      headers=DMARC), received)
    for listing in (["requests", "list"], ["inbound", "list"], ["outbox", "list"],
                    ["drafts", "list"]):
        text = run(config, *listing).stdout
        assert max(len(line) for line in text.splitlines()) <= 100, listing
        assert not re.search(r"\d\d:\d\d:\d\d|\+00:00", text)  # local, to the minute
    narrow = run(config, "requests", "list").stdout
    assert LONG_SUBJECT.strip() not in narrow and "…" in narrow
    wide = run(config, "requests", "list", "--wide").stdout
    assert LONG_SUBJECT.strip() in wide
    local = received.astimezone(ZoneInfo(app.settings.organisation.timezone))
    assert local.strftime("%Y-%m-%d %H:%M") in wide


def test_every_other_staff_action_on_the_command_line(world: tuple[App, Path],
                                                      smtp_sink: Any, tmp_path: Path) -> None:
    app, config = world
    users.add(app.service, ADMIN, "admin", PASSWORD, by=None)
    users.add(app.service, VIEWER, "viewer", PASSWORD, by=None)
    now = datetime.now(UTC) - timedelta(hours=3)
    deliver(app, mail("Mijn factuur klopt niet.", subject="Factuur"), now)
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", sender=ANNA), now)
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC,
                      sender="Kees <kees@example.org>"), now)
    deliver(app, b"\x00\x01 not a mail", now)
    smtp_sink.wait_for_count(4)  # three acknowledgements, one verification code
    found = {r["sender"]: r["reference"]
             for r in json.loads(run(config, "requests", "list", "--json").stdout)}
    billing, anna, kees = (found["sanne.jansen@example.org"], found["anna.smit@example.org"],
                           found["kees@example.org"])

    run(config, "requests", "note", billing, "--text", "Gebeld", "--by", VIEWER)
    run(config, "requests", "assign", billing, "--to", VIEWER, "--by", APPROVER)
    mine = json.loads(run(config, "requests", "list", "--json", "--assigned-to",
                          VIEWER).stdout)
    assert [r["reference"] for r in mine] == [billing]
    closed = run(config, "requests", "close", billing, "--reason", "Geen AVG-verzoek",
                 "--by", APPROVER).stdout
    assert "now closed" in closed
    run(config, "requests", "resend-verification", anna, "--by", APPROVER)
    run(config, "run", "--once")
    assert list(smtp_sink.wait_for_count(5)[-1].rcpt_tos) == ["anna.smit@example.org"]
    rejected = run(config, "drafts", "reject", kees, "--reason", "Eerst bellen", "--by",
                   APPROVER).stdout
    assert "rejected by" in rejected
    shown = json.loads(run(config, "requests", "show", kees, "--json").stdout)
    assert shown["status"] == "triage" and "reply" in shown["ways_forward"]

    [quarantined] = json.loads(run(config, "inbound", "list", "--json", "--disposition",
                                   "quarantined").stdout)
    still = run(config, "inbound", "replay", str(quarantined["id"]), "--by", APPROVER,
                expect=1)
    assert "still cannot be read" in still.stderr
    run(config, "inbound", "dismiss", str(quarantined["id"]), "--reason", "rommel",
        "--by", APPROVER)

    run(config, "optouts", "add", "Piet@example.org", "--purpose", "sales_calls",
        "--purpose", "statistics", "--note", "balie", "--by", APPROVER)
    assert "piet@example.org" in run(config, "optouts", "list", "--search", "piet").stdout
    run(config, "optouts", "remove", "piet@example.org", "--purpose", "statistics",
        "--reason", "per abuis", "--by", APPROVER, expect=2)  # admins only
    run(config, "optouts", "remove", "piet@example.org", "--purpose", "statistics",
        "--reason", "per abuis", "--by", ADMIN)
    left = json.loads(run(config, "optouts", "list", "--json").stdout)
    assert [(o["email"], o["purpose"]) for o in left] == [("piet@example.org", "sales_calls")]

    run(config, "clients", "add", "Klant B.V.", "--contact", "orders@klant.example.org",
        "--by", ADMIN)
    run(config, "clients", "remove-contact", "orders@klant.example.org", "--by", ADMIN)
    assert json.loads(run(config, "clients", "list", "--json").stdout)[0]["contacts"] == []

    run(config, "users", "role", VIEWER, "--role", "approver")
    run(config, "users", "reset-password", VIEWER, "--password-file", str(_secret(tmp_path)))
    run(config, "users", "disable", VIEWER)
    refused = run(config, "requests", "note", kees, "--text", "x", "--by", VIEWER, expect=2)
    assert "disabled" in refused.stderr
    run(config, "users", "enable", VIEWER)
    listed = {u["name"]: u for u in json.loads(run(config, "users", "list", "--json").stdout)}
    assert (listed[VIEWER]["role"], listed[VIEWER]["active"]) == ("approver", True)
    with app.uow() as uow:
        logged = [e.action for e in uow.repo.events.staff(limit=100)]
    for action in ("user_role_changed", "user_password_reset", "user_disabled",
                   "user_enabled", "optout_added", "optout_removed", "client_saved",
                   "client_contact_removed"):
        assert action in logged, action


def _secret(directory: Path) -> Path:
    path = directory / "password.txt"
    path.write_text("another long password\n", encoding="utf-8")
    return path
