"""Crash safety: the daemon, killed with SIGKILL at several points while it works through
200 mails, loses nothing, records nothing twice and sends nothing twice: a message on its way
at a kill waits for a person, who marks it arrived or sends it again."""

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
    plain = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "users", "add",
                    "Crash Test", "--role", "approver", "--password",
                    "a long enough password"], check=True, capture_output=True, env=plain)
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
        # A message on its way to the server when its worker was killed may have left or not:
        # once its claim (2 x smtp.timeout + 5 s, and smtp.timeout more) has run out it is held
        # as uncertain, never sent again by itself; everything else is sent.
        wait_for(lambda: recorded() >= MAILS
                 and count("SELECT count(*) FROM outbox WHERE status = 'pending'") == 0
                 and count("SELECT count(*) FROM outbox WHERE status IN ('sent', 'uncertain')")
                 >= MAILS,
                 timeout=120, message="every mail recorded, and acknowledged or held")
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=20) == 0, log.read_text()

    with database.connect() as connection:
        rows = connection.execute(text(
            "SELECT message_id, disposition FROM inbound_mail")).all()
        requests = connection.execute(text("SELECT count(*) FROM request")).scalar_one()
        uncertain = connection.execute(text(
            "SELECT id, recipient FROM outbox WHERE status = 'uncertain'")).all()
    assert len(rows) == MAILS
    assert len({r.message_id for r in rows}) == MAILS
    assert {r.disposition for r in rows} == {"request"}
    assert requests == MAILS
    assert len(uncertain) <= kills  # at most the one on its way at each kill

    by_recipient = collections.Counter(m.rcpt_tos[0] for m in smtp_sink.messages)
    assert set(by_recipient.values()) == {1}  # nothing sent twice
    # The way forward: a person marks what the server has as arrived, and sends the rest.
    for outbox_id, recipient in uncertain:
        decision = "arrived" if recipient in by_recipient else "send-again"
        subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "outbox",
                        decision, str(outbox_id), "--by", "Crash Test"], check=True,
                       capture_output=True, env=plain)
    subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "run", "--once"],
                   check=True, capture_output=True, env=plain)
    with database.connect() as connection:
        outbox = connection.execute(text(
            "SELECT count(*), count(DISTINCT inbound_id) FROM outbox WHERE status = 'sent'"
        )).one()
    database.dispose()
    assert tuple(outbox) == (MAILS, MAILS)

    ids_by_recipient: dict[str, set[str]] = collections.defaultdict(set)
    for message in smtp_sink.messages:
        ids_by_recipient[message.rcpt_tos[0]].add(message_from_bytes(message.data)["Message-ID"])
    assert len(ids_by_recipient) == MAILS
    assert all(len(ids) == 1 for ids in ids_by_recipient.values())
    assert len(smtp_sink.messages) == MAILS  # each person one acknowledgement, once
    for uid in dovecot.uids():
        assert "$MailbotSeen" in dovecot.flags(uid)

