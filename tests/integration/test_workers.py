"""Two `mailbot run` workers on one mailbox and one PostgreSQL database: one fetches (it holds
the mailbox's lease), both handle and deliver; every mail is recorded once and acknowledged
once. Killing the lease holder hands the mailbox to the other within the lease time, and
nothing is missed."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from tests.harness.app import make_settings, toml_for
from tests.harness.mails import question
from tests.harness.wait import wait_for

pytestmark = [pytest.mark.dovecot, pytest.mark.postgres, pytest.mark.slow]
LEASE = 3.0  # seconds: mailbox.lease_time of these workers


def start_worker(config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env["MAILBOT_CONSOLE__LISTEN"] = ""  # two on one host: no console
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "mailbot", "--config", str(config), "run"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)


@pytest.fixture
def setup(tmp_path: Path, dovecot: Any, smtp_sink: Any, postgres_url: str
          ) -> Iterator[tuple[Path, Engine]]:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=postgres_url,
                             acknowledge={"rate_limit_count": 1000},
                             mailbox={"poll_interval": 1, "lease_time": LEASE})
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    engine = create_engine(postgres_url)
    yield config, engine
    engine.dispose()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
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


def scalar(engine: Engine, sql: str) -> Any:
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    except Exception:  # the schema may not exist yet
        return None


def handled(engine: Engine) -> int:
    return scalar(engine, "SELECT count(*) FROM inbound_mail WHERE disposition <> 'pending'") or 0


def sent(engine: Engine) -> int:
    return scalar(engine, "SELECT count(*) FROM outbox WHERE status = 'sent'") or 0


def holder_pid(engine: Engine) -> int | None:
    holder = scalar(engine, "SELECT holder FROM mailbox_lease")
    return int(holder.split(":")[-2]) if holder else None


def check_once_each(engine: Engine, sink: Any, mails: int, kills: int = 0) -> None:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT message_id, disposition FROM inbound_mail")).all()
        requests = connection.execute(text("SELECT count(*) FROM request")).scalar_one()
        outbox = connection.execute(text(
            "SELECT count(*), count(DISTINCT inbound_id) FROM outbox WHERE status = 'sent'"
        )).one()
    assert len(rows) == mails
    assert len({r.message_id for r in rows}) == mails
    assert {r.disposition for r in rows} == {"request"}
    assert requests == mails
    assert tuple(outbox) == (mails, mails)
    ids: dict[str, set[str]] = collections.defaultdict(set)
    for message in sink.messages:
        ids[message.rcpt_tos[0]].add(message_from_bytes(message.data)["Message-ID"])
    assert len(ids) == mails
    assert all(len(found) == 1 for found in ids.values())  # one acknowledgement each
    # Only a kill between the SMTP server's "250 OK" and the commit can make the same message
    # (the same Message-ID) arrive twice: at most once per kill.
    assert len(sink.messages) - mails <= kills


def test_two_workers_record_and_acknowledge_every_mail_once(
        tmp_path: Path, setup: tuple[Path, Engine], workers: list[Any], dovecot: Any,
        smtp_sink: Any) -> None:
    config, engine = setup
    mails = 120
    for number in range(mails // 2):
        dovecot.append(question(number, tag="pair"))
    log = tmp_path / "workers.log"
    workers += [start_worker(config, log), start_worker(config, log)]
    wait_for(lambda: holder_pid(engine), timeout=30, message="a worker holding the mailbox")
    for number in range(mails // 2, mails):  # while they run
        dovecot.append(question(number, tag="pair"))
    wait_for(lambda: handled(engine) >= mails and sent(engine) >= mails, timeout=120,
             message="every mail handled and acknowledged")
    assert holder_pid(engine) in {w.pid for w in workers}
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    assert [w.wait(timeout=20) for w in workers] == [0, 0], log.read_text()
    check_once_each(engine, smtp_sink, mails)
    for uid in dovecot.uids():
        assert "$MailbotSeen" in dovecot.flags(uid)


def test_the_other_worker_takes_the_mailbox_over_when_its_holder_is_killed(
        tmp_path: Path, setup: tuple[Path, Engine], workers: list[Any], dovecot: Any,
        smtp_sink: Any) -> None:
    config, engine = setup
    mails = 160
    for number in range(mails // 2):
        dovecot.append(question(number, tag="kill"))
    log = tmp_path / "workers.log"
    workers += [start_worker(config, log), start_worker(config, log)]
    holder = wait_for(lambda: holder_pid(engine), timeout=30,
                      message="a worker holding the mailbox")
    wait_for(lambda: handled(engine) >= 20, timeout=60, interval=0.01,
             message="the workers' first mails")
    [victim] = [w for w in workers if w.pid == holder]
    [other] = [w for w in workers if w.pid != holder]
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=10)
    for number in range(mails // 2, mails):  # arrive while nobody holds the mailbox
        dovecot.append(question(number, tag="kill"))
    # The lease runs out at most LEASE seconds after the kill; the other worker asks for it
    # after each round of its work (a batch handled, the outbox delivered).
    wait_for(lambda: holder_pid(engine) == other.pid, timeout=LEASE + 3,
             message="the other worker taking the mailbox over")
    wait_for(lambda: handled(engine) >= mails and sent(engine) >= mails, timeout=120,
             message="every mail handled and acknowledged")
    other.send_signal(signal.SIGTERM)
    assert other.wait(timeout=20) == 0, log.read_text()
    check_once_each(engine, smtp_sink, mails, kills=1)
    for uid in dovecot.uids():
        assert "$MailbotSeen" in dovecot.flags(uid)
