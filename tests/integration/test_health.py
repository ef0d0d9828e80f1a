"""`mailbot health` and /healthz tell the truth: a daemon that beats but cannot read its
mailbox, cannot deliver, or has mail stuck in the outbox is unhealthy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.health import check_health
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import question
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot


def mailbot_health(config: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "health",
                           "--json"], capture_output=True, text=True, env=clean, timeout=60,
                          check=False)


@pytest.fixture
def running(tmp_path: Path, dovecot, smtp_sink, app_factory) -> Iterator:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             mailbox={"poll_interval": 0.5},
                             health={"mailbox_polls": 4, "outbox_stuck_after": 2})
    app = app_factory(settings)
    thread = threading.Thread(target=app.daemon.run_forever, daemon=True)
    thread.start()
    yield app
    app.daemon.stop.set()
    thread.join(timeout=15)
    assert not thread.is_alive()


def health(app) -> tuple[bool, dict]:
    return check_health(app.settings, app.database)


def test_health_turns_unhealthy_when_dovecot_stops_and_healthy_again(
        running, dovecot, tmp_path: Path) -> None:
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(running.settings) + "[health]\nmailbox_polls = 4\n",
                      encoding="utf-8")
    wait_for(lambda: (r := health(running))[0] and r[1]["mailbox"]["last_read_age"] is not None,
             timeout=10, message="a healthy daemon that read its mailbox")
    done = mailbot_health(config)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "ok" and report["mailbox"]["last_read_age"] < 5

    dovecot.stop()
    try:
        _, report = wait_for(lambda: (r := health(running)) and not r[0] and r,
                                   timeout=15, message="the mailbox to turn unhealthy")
        assert any(p.startswith("mailbox: not read for") for p in report["problems"])
        assert report["mailbox"]["last_error"]  # why: the connection was refused
        done = mailbot_health(config)
        assert done.returncode == 1
        assert json.loads(done.stdout)["status"] == "unhealthy"
    finally:
        dovecot.start()
    wait_for(lambda: health(running)[0], timeout=15, message="healthy again")


def test_smtp_down_and_a_stuck_outbox_are_unhealthy(running, dovecot, smtp_sink) -> None:
    wait_for(lambda: health(running)[0], timeout=10, message="a healthy daemon")
    smtp_sink.stop()
    try:
        dovecot.append(question())
        _, report = wait_for(lambda: (r := health(running)) and not r[1]["smtp"]["ok"] and r,
                             timeout=10, message="SMTP to turn unhealthy")
        assert report["smtp"]["last_error"] and report["smtp"]["last_failure_age"] is not None
        assert report["outbox"]["backlog"] == 1
        _, report = wait_for(lambda: (r := health(running)) and not r[1]["outbox"]["ok"] and r,
                             timeout=10, message="the outbox to count as stuck")
        assert any(p.startswith("outbox: 1 mail(s) waiting") for p in report["problems"])
    finally:
        smtp_sink.start()
    smtp_sink.wait_for_count(1, timeout=15)
    _, report = wait_for(lambda: (r := health(running)) and r[0] and r, timeout=10,
                               message="healthy once delivered")
    assert report["outbox"]["backlog"] == 0 and report["smtp"]["last_delivery_age"] < 10
