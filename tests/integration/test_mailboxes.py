"""Several mailboxes (``[[mailboxes]]``), through real Dovecot mailboxes, the SMTP sink and
the databases: each mailbox's mail is recorded and acknowledged once, from that mailbox's
own address; on PostgreSQL two `mailbot run` workers take one mailbox each, and when one is
killed the other takes its mailbox over within the lease time, nothing lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from mailbot.bootstrap import App
from mailbot.config import Settings
from mailbot.mailbox.factory import source_name
from tests.harness.app import ORG_ADDRESS, make_settings, toml_for
from tests.harness.mails import question
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot
SALES = "sales-privacy@example.org"
LEASE = 3.0  # seconds: lease_time of the workers' mailboxes


def two_mailboxes(tmp_path: Path, first: Any, second: Any, sink: Any, database_url: str,
                  **more: Any) -> Settings:
    return make_settings(tmp_path, mailbox_url=first.url(), smtp_url=sink.url,
                         database_url=database_url, acknowledge={"rate_limit_count": 1000},
                         mailboxes=[{"name": "sales", "url": second.url(), "address": SALES,
                                     "poll_interval": 1, "timeout": 10,
                                     "reconnect_min_delay": 0.1, "reconnect_max_delay": 1,
                                     **more}],
                         mailbox={"poll_interval": 1, **more})


def senders(sink: Any) -> dict[str, str]:
    """Whom each person's acknowledgement came from: recipient -> From."""
    return {m.rcpt_tos[0]: message_from_bytes(m.data)["From"] for m in sink.messages}


def test_each_mailbox_is_read_and_answered_from_its_own_address(
        tmp_path: Path, dovecot_server: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    first, second = dovecot_server.mailbox(), dovecot_server.mailbox()
    app: App = app_factory(two_mailboxes(tmp_path, first, second, smtp_sink, database_url))
    first.append(question(1, tag="main"))
    second.append(question(2, tag="sales"))

    app.daemon.run_once()

    smtp_sink.wait_for_count(2)
    found = senders(smtp_sink)
    assert ORG_ADDRESS in found["main1@example.org"]
    assert SALES in found["sales2@example.org"]
    envelopes = {m.rcpt_tos[0]: m.mail_from for m in smtp_sink.messages}
    assert envelopes["sales2@example.org"] == SALES
    with app.uow() as uow:
        rows = uow.session.execute(text("SELECT mailbox FROM inbound_mail")).scalars().all()
    assert sorted(rows) == sorted([source_name(app.settings.mailbox),
                                   source_name(app.settings.mailboxes[0])])
    for box in (first, second):
        assert all("$MailbotSeen" in box.flags(uid) for uid in box.uids())


def test_the_daemon_waits_on_every_mailbox_at_once(
        tmp_path: Path, dovecot_server: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    first, second = dovecot_server.mailbox(), dovecot_server.mailbox()
    app: App = app_factory(two_mailboxes(tmp_path, first, second, smtp_sink, database_url))
    thread = threading.Thread(target=app.daemon.run_forever, daemon=True)
    thread.start()
    try:
        wait_for(lambda: (tmp_path / "var" / "heartbeat").exists(), timeout=30,
                 message="the daemon's first heartbeat")
        second.append(question(7, tag="sales"))  # IDLE on the second mailbox sees it
        wait_for(lambda: "sales7@example.org" in senders(smtp_sink), timeout=30,
                 message="the acknowledgement of the second mailbox's mail")
        first.append(question(8, tag="main"))
        wait_for(lambda: "main8@example.org" in senders(smtp_sink), timeout=30,
                 message="the acknowledgement of the first mailbox's mail")
    finally:
        app.daemon.stop.set()
        thread.join(timeout=20)
    assert not thread.is_alive()
    assert SALES in senders(smtp_sink)["sales7@example.org"]
    assert ORG_ADDRESS in senders(smtp_sink)["main8@example.org"]


def test_mail_of_our_other_mailbox_is_never_answered(
        tmp_path: Path, dovecot_server: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    first, second = dovecot_server.mailbox(), dovecot_server.mailbox()
    app: App = app_factory(two_mailboxes(tmp_path, first, second, smtp_sink, database_url))
    first.append(question(3, tag="loop").replace(b"loop3@example.org", SALES.encode()))
    app.daemon.run_once()
    with app.uow() as uow:
        (disposition,) = uow.session.execute(
            text("SELECT disposition FROM inbound_mail")).scalars().all()
    assert disposition != "request"
    assert smtp_sink.messages == []


def test_check_looks_at_every_mailbox(tmp_path: Path, dovecot_server: Any, smtp_sink: Any,
                                      database_url: str) -> None:
    first = dovecot_server.mailbox()
    settings = make_settings(tmp_path, mailbox_url=first.url(), smtp_url=smtp_sink.url,
                             database_url=database_url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings) + '[[mailboxes]]\nname = "sales"\n'
                      f'url = "imap://{first.user}:wrong@{first.host}:{first.port}/INBOX"\n',
                      encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "check"],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any(line.startswith("✓ IMAP login:") for line in lines), done.stdout
    failed = [line for line in lines if line.startswith("✗ IMAP login (sales):")]
    assert failed and "mailboxes[sales].username and mailboxes[sales].password" in failed[0]


# Two workers on PostgreSQL -------------------------------------------------------------


def start_worker(config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env["MAILBOT_CONSOLE__LISTEN"] = ""
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(config), "run"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for worker in started:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in started:
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def lease_pids(engine: Engine) -> dict[str, int]:
    """Each leased mailbox whose lease runs now, with the pid of the worker holding it."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT mailbox, holder FROM mailbox_lease WHERE expires_at > now()")).all()
    except Exception:  # the schema may not exist yet
        return {}
    return {mailbox: int(holder.split(":")[-2]) for mailbox, holder in rows}


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar() or 0)


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_share_two_mailboxes_and_one_takes_both_when_the_other_dies(
        tmp_path: Path, dovecot_server: Any, smtp_sink: Any, postgres_url: str,
        workers: list[Any]) -> None:
    first, second = dovecot_server.mailbox(), dovecot_server.mailbox()
    settings = two_mailboxes(tmp_path, first, second, smtp_sink, postgres_url,
                             lease_time=LEASE)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings) + '[[mailboxes]]\nname = "sales"\n'
                      f'url = "{second.url()}"\naddress = "{SALES}"\npoll_interval = 1\n'
                      f"lease_time = {LEASE}\n", encoding="utf-8")
    engine = create_engine(postgres_url)
    log = tmp_path / "workers.log"
    try:
        workers += [start_worker(config, log), start_worker(config, log)]
        names = {source_name(settings.mailbox), source_name(settings.mailboxes[0])}
        spread = wait_for(lambda: (held := lease_pids(engine)).keys() == names
                          and len(set(held.values())) == 2 and held, timeout=45,
                          message=f"each worker holding one mailbox ({log})")
        assert set(spread.values()) == {w.pid for w in workers}
        for number in range(20):
            first.append(question(number, tag="a"))
            second.append(question(number, tag="b"))
        wait_for(lambda: count(engine, "SELECT count(*) FROM outbox WHERE status = 'sent'")
                 >= 40, timeout=90, message="40 acknowledgements sent")

        victim_pid = spread[source_name(settings.mailboxes[0])]
        [victim] = [w for w in workers if w.pid == victim_pid]
        [other] = [w for w in workers if w.pid != victim_pid]
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        for number in range(20, 30):  # arrive while nobody holds the sales mailbox
            second.append(question(number, tag="b"))
        wait_for(lambda: set(lease_pids(engine).values()) == {other.pid}
                 and lease_pids(engine).keys() == names, timeout=3 * LEASE + 10,
                 message="the other worker holding both mailboxes")
        wait_for(lambda: count(engine, "SELECT count(*) FROM outbox WHERE status = 'sent'")
                 >= 50, timeout=90, message="every acknowledgement sent")

        health = subprocess.run(
            [sys.executable, "-m", "mailbot", "--config", str(config), "health", "--json"],
            capture_output=True, text=True, timeout=60, check=False,
            env={k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")})
        report = json.loads(health.stdout)
        holders = {m["name"]: m["holder"] for m in report["mailboxes"]}
        assert set(holders) == {"mailbox", "sales"}
        assert all(h and h.split(":")[-2] == str(other.pid) for h in holders.values())

        other.send_signal(signal.SIGTERM)
        assert other.wait(timeout=20) == 0, log.read_text()
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT message_id, disposition FROM inbound_mail")).all()
            sent = connection.execute(text(
                "SELECT count(*), count(DISTINCT inbound_id) FROM outbox "
                "WHERE status = 'sent'")).one()
        assert len(rows) == 50 and len({r.message_id for r in rows}) == 50
        assert tuple(sent) == (50, 50)
        acknowledged = senders(smtp_sink)
        assert len(acknowledged) == 50
        assert all(SALES in sender for person, sender in acknowledged.items()
                   if person.startswith("b"))
        assert all(ORG_ADDRESS in sender for person, sender in acknowledged.items()
                   if person.startswith("a"))
        # a kill between the SMTP server's "250 OK" and the commit may repeat one message
        assert len(smtp_sink.messages) - 50 <= 1
    finally:
        engine.dispose()
