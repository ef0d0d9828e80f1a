"""Issue 12 (nothing acknowledged twice across a kill): a worker killed after the mail
server took a message and before it recorded that is the one case mailbot cannot know
whether a message left. That message is held as uncertain, never sent again by itself; a
person sends it again or marks it as arrived, in the console or the command line. The
messages the worker had claimed but not begun are sent as usual. SQLite and PostgreSQL,
the real SMTP server; the kill is a real SIGKILL of a worker process."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailbot.domain.states import OutboxStatus
from mailbot.errors import WorkflowError
from mailbot.send.outbox import enqueue
from mailbot.send.transport import SmtpTransport
from mailbot.service import outbox as decisions
from mailbot.service import users
from mailbot.store.models import Event
from tests.harness.app import make_settings, toml_for
from tests.unit.console_support import (
    APPROVER,
    PASSWORD,
    VIEWER,
    add_staff,
    console_settings,
    signed_in,
)

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LATER = START + timedelta(hours=1)  # every claim has run out


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class StopsAfterHandingOver:
    """The real SMTP server; at message number ``stop_at`` the worker stops right after the
    server took it (a BaseException, as a process that dies there raises nothing at all)."""

    def __init__(self, transport: SmtpTransport, stop_at: int) -> None:
        self.transport, self.stop_at, self.count = transport, stop_at, 0

    def send_sync(self, message: EmailMessage | bytes, *, sender: str,
                  recipients: Sequence[str]) -> str:
        answer = self.transport.send_sync(message, sender=sender, recipients=recipients)
        self.count += 1
        if self.count == self.stop_at:
            raise WorkerStopped
        return answer


class WorkerStopped(BaseException):
    pass


def queue(app: Any, count: int, now: datetime = START) -> list[int]:
    with app.uow() as uow:
        ids = [enqueue(uow.repo, app.settings, purpose=f"test.{n}", id_purpose="test",
                       key=str(n), to=f"p{n}@example.org", subject=f"Mail {n}",
                       body=f"Text {n}\n", language="nl", now=now, inbound_id=None,
                       request_id=None).id for n in range(count)]
        uow.commit()
    return ids


def statuses(app: Any) -> dict[int, OutboxStatus]:
    with app.uow() as uow:
        return {row.id: row.status for row in uow.repo.outbox.list()}


def copies(sink: Any) -> Counter[str]:
    """How often each Message-ID reached the server."""
    return Counter(m.message["Message-ID"] for m in sink.messages)


def message_id(app: Any, outbox_id: int) -> str:
    with app.uow() as uow:
        row = uow.repo.outbox.get(outbox_id)
        assert row is not None
        return row.message_id


def settings_for(tmp_path: Path, database_url: str, smtp_url: str) -> Any:
    return make_settings(tmp_path, mailbox_url="maildir:///nonexistent", smtp_url=smtp_url,
                         database_url=database_url)


@pytest.mark.parametrize("stop_at", [1, 3])
def test_the_message_on_its_way_when_its_worker_stopped_is_held_not_sent_twice(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any,
        stop_at: int) -> None:
    settings = settings_for(tmp_path, database_url, smtp_sink.url)
    clock = Clock()
    dying = app_factory(settings, clock=clock,
                        transport=StopsAfterHandingOver(SmtpTransport(settings.smtp), stop_at))
    ids = queue(dying, 5)
    with pytest.raises(WorkerStopped):
        dying.outbox.deliver_due()
    on_its_way = ids[stop_at - 1]
    assert len(smtp_sink.wait_for_count(stop_at)) == stop_at

    other = app_factory(settings, clock=Clock(LATER))
    report = other.outbox.deliver_due()
    assert sorted(report.sent) == ids[stop_at:]  # the untried rest, once each
    after = statuses(other)
    assert after[on_its_way] == OutboxStatus.UNCERTAIN
    assert all(after[i] == OutboxStatus.SENT for i in ids if i != on_its_way)
    assert len(smtp_sink.wait_for_count(5)) == 5
    assert max(copies(smtp_sink).values()) == 1
    with other.uow() as uow:
        [held] = uow.session.scalars(select(Event).where(
            Event.action == "delivery_uncertain")).all()
        assert held.outbox_id == on_its_way and "may have left" in held.detail["why"]

    assert other.outbox.deliver_due().sent == []  # and never by itself later
    assert max(copies(smtp_sink).values()) == 1


def test_a_worker_whose_claim_ran_out_while_it_was_still_sending_settles_it_itself(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    settings = settings_for(tmp_path, database_url, smtp_sink.url)
    clock = Clock()
    slow: list[Any] = []

    class HeldMeanwhile:
        """The server takes so long that the claim runs out and another worker holds the
        message as uncertain before the answer comes."""

        def send_sync(self, message: EmailMessage | bytes, *, sender: str,
                      recipients: Sequence[str]) -> str:
            answer = SmtpTransport(settings.smtp).send_sync(message, sender=sender,
                                                            recipients=recipients)
            clock.now = LATER
            assert slow[1].outbox.deliver_due().sent == []
            return answer

    slow.append(app_factory(settings, clock=clock, transport=HeldMeanwhile()))
    slow.append(app_factory(settings, clock=Clock(LATER)))
    [only] = queue(slow[0], 1)
    assert slow[0].outbox.deliver_due().sent == [only]
    assert statuses(slow[0])[only] == OutboxStatus.SENT
    assert copies(smtp_sink) == Counter({message_id(slow[0], only): 1})


def uncertain_world(tmp_path: Path, app_factory: Any, database_url: str,
                    smtp_sink: Any) -> tuple[Any, int]:
    """Two messages of which the first was on its way when its worker stopped."""
    settings = console_settings(tmp_path, smtp_sink.url, database_url=database_url)
    dying = app_factory(settings, clock=Clock(),
                        transport=StopsAfterHandingOver(SmtpTransport(settings.smtp), 1))
    ids = queue(dying, 2)
    with pytest.raises(WorkerStopped):
        dying.outbox.deliver_due()
    app = app_factory(settings, clock=Clock(LATER))
    app.outbox.deliver_due()
    assert statuses(app)[ids[0]] == OutboxStatus.UNCERTAIN
    return app, ids[0]


def test_staff_send_it_again(tmp_path: Path, app_factory: Any, database_url: str,
                             smtp_sink: Any) -> None:
    app, held = uncertain_world(tmp_path, app_factory, database_url, smtp_sink)
    add_staff(app)
    with pytest.raises(WorkflowError, match="not uncertain"):
        decisions.send_again(app.service, held + 1, by=APPROVER)  # the one that simply left
    decisions.send_again(app.service, held, by=APPROVER, note="the recipient has nothing")
    assert app.outbox.deliver_due().sent == [held]
    assert copies(smtp_sink)[message_id(app, held)] == 2  # as the person decided
    with app.uow() as uow:
        decided = uow.session.scalars(select(Event).where(
            Event.action == "send_again", Event.outbox_id == held)).one()
        assert decided.actor == APPROVER


def test_staff_mark_it_arrived(tmp_path: Path, app_factory: Any, database_url: str,
                               smtp_sink: Any) -> None:
    app, held = uncertain_world(tmp_path, app_factory, database_url, smtp_sink)
    add_staff(app)
    done = decisions.arrived(app.service, held, by=APPROVER, note="in the server's log")
    assert done.status == OutboxStatus.SENT
    assert app.outbox.deliver_due().sent == []
    assert copies(smtp_sink)[message_id(app, held)] == 1
    with app.uow() as uow:
        row = uow.repo.outbox.get(held)
        assert row is not None and row.sent_at is not None and row.attempts == 1
        marked = uow.session.scalars(select(Event).where(
            Event.action == "marked_arrived", Event.outbox_id == held)).one()
        assert marked.actor == APPROVER and marked.detail == {"note": "in the server's log"}
    with pytest.raises(WorkflowError, match="is sent, not uncertain"):
        decisions.arrived(app.service, held, by=APPROVER)


def test_the_console_shows_the_decision_and_takes_it(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    app, held = uncertain_world(tmp_path, app_factory, database_url, smtp_sink)
    add_staff(app)
    clock = Clock(LATER)
    queue_page = signed_in(app, clock, VIEWER).get("/queue").text
    assert "/outbox?status=uncertain" in queue_page
    assert f'action="/outbox/{held}/send-again"' not in \
        signed_in(app, clock, VIEWER).get("/outbox?status=uncertain").text
    approver = signed_in(app, clock, APPROVER)
    page = approver.get("/outbox?status=uncertain").text
    assert "may have left or not" in page and f'action="/outbox/{held}/arrived"' in page
    response = approver.post(f"/outbox/{held}/arrived", {}, page="/outbox?status=uncertain")
    assert response.status_code == 303
    assert statuses(app)[held] == OutboxStatus.SENT
    assert "/outbox?status=uncertain" not in approver.get("/queue").text


KILLED_WORKER = """
import os, signal, sys
from mailbot.bootstrap import bootstrap
from mailbot.config import load_settings
from mailbot.send.transport import SmtpTransport

class KilledAfterHandingOver:
    def __init__(self, transport, stop_at):
        self.transport, self.stop_at, self.count = transport, stop_at, 0

    def send_sync(self, message, *, sender, recipients):
        answer = self.transport.send_sync(message, sender=sender, recipients=recipients)
        self.count += 1
        if self.count == self.stop_at:
            os.kill(os.getpid(), signal.SIGKILL)
        return answer

settings = load_settings(sys.argv[1])
app = bootstrap(settings, transport=KilledAfterHandingOver(SmtpTransport(settings.smtp), 2))
app.outbox.deliver_due()
"""


def test_a_worker_killed_right_after_the_server_took_a_message(
        tmp_path: Path, app_factory: Any, database_url: str, smtp_sink: Any) -> None:
    settings = settings_for(tmp_path, database_url, smtp_sink.url)
    app = app_factory(settings)
    ids = queue(app, 4, datetime.now(UTC))
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    killed = subprocess.run([sys.executable, "-c", KILLED_WORKER, str(config)], env=env,
                            capture_output=True, timeout=60, check=False)
    assert killed.returncode == -9, killed.stderr
    assert len(smtp_sink.wait_for_count(2)) == 2

    survivor = app_factory(settings, clock=Clock(datetime.now(UTC) + timedelta(hours=1)))
    assert sorted(survivor.outbox.deliver_due().sent) == ids[2:]
    assert statuses(survivor)[ids[1]] == OutboxStatus.UNCERTAIN
    assert len(smtp_sink.wait_for_count(4)) == 4
    assert max(copies(smtp_sink).values()) == 1


def test_the_command_line_lists_and_decides(tmp_path: Path, app_factory: Any,
                                            database_url: str, smtp_sink: Any) -> None:
    app, held = uncertain_world(tmp_path, app_factory, database_url, smtp_sink)
    users.add(app.service, APPROVER, "approver", PASSWORD, by=None)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")

    def run(*args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
        done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config),
                               *args], capture_output=True, text=True, env=env, timeout=60,
                              check=False)
        assert done.returncode == expect, f"{args}: {done.stdout}{done.stderr}"
        return done

    listed = run("outbox", "list", "--status", "uncertain").stdout
    assert str(held) in listed
    health = run("health", expect=1).stdout  # unhealthy: no worker runs here
    assert "1 may have left before their worker stopped" in health
    refused = run("outbox", "arrived", str(held + 1), "--by", APPROVER, expect=2)
    assert "not uncertain" in refused.stderr
    run("outbox", "send-again", str(held), "--by", APPROVER)
    assert statuses(app)[held] == OutboxStatus.PENDING
    assert run("outbox", "list", "--status", "uncertain").stdout.count(str(held)) == 0
