"""Outages of the servers mailbot talks to: it waits, retries, reconnects, and misses nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mailbot.store import views
from tests.harness.app import make_settings
from tests.harness.mails import question
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot


@pytest.fixture
def running(tmp_path: Path, dovecot, smtp_sink, app_factory) -> Iterator:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             mailbox={"poll_interval": 2})
    app = app_factory(settings)
    thread = threading.Thread(target=app.daemon.run_forever, daemon=True)
    thread.start()
    yield app
    app.daemon.stop.set()
    thread.join(timeout=15)
    assert not thread.is_alive()


def outbox(app) -> list[dict]:
    with app.uow() as uow:
        return views.outbox(uow.repo)


def people(count: int, tag: str) -> list[bytes]:
    return [question(n, tag=tag) for n in range(count)]


def test_smtp_refusing_then_accepting_delivers_every_acknowledgement_once(
    running, dovecot, smtp_sink
) -> None:
    smtp_sink.refuse(451, "4.3.2 Try again later")
    for raw in people(3, "a"):
        dovecot.append(raw)
    wait_for(lambda: len(outbox(running)) == 3
             and all(o["attempts"] >= 2 and o["status"] == "pending" for o in outbox(running)),
             timeout=15, message="refused deliveries to be retried")
    assert smtp_sink.messages == []
    assert all("451" in o["last_error"] for o in outbox(running))

    smtp_sink.accept()
    wait_for(lambda: all(o["status"] == "sent" for o in outbox(running)), timeout=15,
             message="the outbox to drain")
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == [
        "a0@example.org", "a1@example.org", "a2@example.org"]


def test_smtp_server_down_then_up(running, dovecot, smtp_sink) -> None:
    smtp_sink.stop()
    dovecot.append(people(1, "b")[0])
    wait_for(lambda: any(o["attempts"] >= 1 for o in outbox(running)), timeout=15,
             message="a failed attempt")
    assert outbox(running)[0]["status"] == "pending"
    smtp_sink.start()
    smtp_sink.wait_for_count(1, timeout=15)
    wait_for(lambda: outbox(running)[0]["status"] == "sent", timeout=5, message="sent")
    assert len(smtp_sink.messages) == 1


def test_a_permanent_refusal_is_marked_failed_and_listed(running, dovecot, smtp_sink) -> None:
    smtp_sink.refuse(550, "5.1.1 No such user")
    dovecot.append(people(1, "c")[0])
    wait_for(lambda: outbox(running) and outbox(running)[0]["status"] == "failed", timeout=15,
             message="the message to fail")
    with running.uow() as uow:
        failed = views.outbox(uow.repo, status="failed")
    assert "550" in failed[0]["last_error"]
    assert failed[0]["recipient"] == "c0@example.org"
    smtp_sink.accept()
    assert smtp_sink.messages == []

    # The server accepts again: a later mail is answered, the failed one is not retried.
    dovecot.append(question(0, tag="f"))
    received = smtp_sink.wait_for_count(1, timeout=15)
    assert [m.rcpt_tos for m in received] == [("f0@example.org",)]
    wait_for(lambda: any(o["recipient"] == "f0@example.org" and o["status"] == "sent"
                         for o in outbox(running)), timeout=5, message="f0's row to be sent")
    assert not any("c0@example.org" in m.rcpt_tos for m in smtp_sink.messages)
    with running.uow() as uow:
        still_failed = views.outbox(uow.repo, status="failed")
    assert [(o["id"], o["recipient"], o["attempts"], o["last_error"]) for o in still_failed] == [
        (failed[0]["id"], "c0@example.org", failed[0]["attempts"], failed[0]["last_error"])]


def test_dovecot_restarted_mid_run_misses_nothing(running, dovecot, smtp_sink) -> None:
    for raw in people(2, "d"):
        dovecot.append(raw)
    smtp_sink.wait_for_count(2, timeout=10)
    dovecot.restart()
    for raw in people(2, "e"):
        dovecot.append(raw)
    smtp_sink.wait_for_count(4, timeout=30)
    with running.uow() as uow:
        assert len(views.inbound(uow.repo)) == 4
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == [
        "d0@example.org", "d1@example.org", "e0@example.org", "e1@example.org"]
    for uid in dovecot.uids():
        assert "$MailbotSeen" in dovecot.flags(uid)
