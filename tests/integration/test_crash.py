"""Crash safety: the daemon, killed with SIGKILL at several points while it works through
200 mails, loses nothing and records nothing twice."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.harness.app import make_settings, toml_for
from tests.harness.mails import question
from tests.harness.wait import wait_for

pytestmark = [pytest.mark.dovecot, pytest.mark.slow]
MAILS = 200


def start_daemon(config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(config), "run"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)


def test_sigkill_at_several_points_loses_nothing_and_doubles_nothing(
    tmp_path: Path, dovecot, smtp_sink
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             acknowledge={"rate_limit_count": 1000},
                             mailbox={"poll_interval": 1})
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    for number in range(MAILS):
        dovecot.append(question(number, tag="persoon"))
    database = create_engine(settings.database_url)
    log = tmp_path / "daemon.log"

    def count(sql: str) -> int:
        try:
            with database.connect() as connection:
                return connection.execute(text(sql)).scalar_one()
        except Exception:  # the schema may not exist yet
            return 0

    def recorded() -> int:
        return count("SELECT count(*) FROM inbound_mail")

    kills = 0
    # Kill while recording, twice at different depths, then while sending.
    for condition in (lambda: recorded() >= 40, lambda: recorded() >= 120,
                      lambda: len(smtp_sink.messages) >= 60,
                      lambda: len(smtp_sink.messages) >= 150):
        daemon = start_daemon(config, log)
        try:
            wait_for(condition, timeout=60, interval=0.01, message="the daemon's progress")
        finally:
            daemon.send_signal(signal.SIGKILL)
            daemon.wait(timeout=10)
            kills += 1

    daemon = start_daemon(config, log)
    try:
        # A message that reached the server just before a kill is sent again once its
        # sending lease (2 x smtp.timeout + 5 s) has run out, and only then marked sent.
        wait_for(lambda: recorded() >= MAILS and _distinct_acks(smtp_sink) >= MAILS
                 and count("SELECT count(*) FROM outbox WHERE status = 'sent'") >= MAILS,
                 timeout=120, message="every mail recorded, acknowledged and marked sent")
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0, log.read_text()

    with database.connect() as connection:
        rows = connection.execute(text(
            "SELECT message_id, disposition FROM inbound_mail")).all()
        requests = connection.execute(text("SELECT count(*) FROM request")).scalar_one()
        outbox = connection.execute(text(
            "SELECT count(*), count(DISTINCT inbound_id) FROM outbox WHERE status = 'sent'"
        )).one()
    database.dispose()
    assert len(rows) == MAILS
    assert len({r.message_id for r in rows}) == MAILS
    assert {r.disposition for r in rows} == {"request"}
    assert requests == MAILS
    assert tuple(outbox) == (MAILS, MAILS)

    by_recipient = collections.Counter(m.rcpt_tos[0] for m in smtp_sink.messages)
    ids_by_recipient: dict[str, set[str]] = collections.defaultdict(set)
    for message in smtp_sink.messages:
        ids_by_recipient[message.rcpt_tos[0]].add(message_from_bytes(message.data)["Message-ID"])
    assert len(by_recipient) == MAILS
    # Each person got one acknowledgement: one Message-ID. A kill in the instant between the
    # SMTP server's "250 OK" and our commit can make the same message (same Message-ID,
    # which receivers fold together) arrive a second time: at most once per kill.
    assert all(len(ids) == 1 for ids in ids_by_recipient.values())
    duplicates = sum(count - 1 for count in by_recipient.values())
    assert duplicates <= kills
    for uid in dovecot.uids():
        assert "$MailbotSeen" in dovecot.flags(uid)


def _distinct_acks(sink) -> int:
    return len({m.rcpt_tos[0] for m in sink.messages})
