"""The whole path through real parts: Dovecot → mailbot → database → SMTP sink."""

from __future__ import annotations

import threading
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from mailbot.store import views
from tests.harness.app import make_settings
from tests.harness.mails import acknowledgements, auto_reply, bounce, list_mail, mail, question
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot


def test_mail_is_recorded_acknowledged_once_and_flagged(
    tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url)
    request_mail = mail(message_id="<inzage-1@mail.example.org>")
    dovecot.append(request_mail)
    dovecot.append(auto_reply())
    dovecot.append(list_mail())
    dovecot.append(bounce())
    app = app_factory(settings)

    assert app.daemon.run_once() == 4

    with app.uow() as uow:
        inbound = views.inbound(uow.repo)
        requests = views.requests(uow.repo)
    assert sorted(m["disposition"] for m in inbound) == ["auto_reply", "bounce", "list",
                                                          "request"]
    assert len(requests) == 1
    request = requests[0]
    assert request["sender"] == "sanne.jansen@example.org"
    assert request["kind"] == "access"
    assert request["language"] == "nl"
    # Acknowledged, and waiting for the sender to prove the address is theirs (access).
    assert request["status"] == "awaiting_verification"

    received = smtp_sink.wait_for_count(2)
    [ack_received] = acknowledgements(received)
    ack = message_from_bytes(ack_received.data, policy=policy.default)
    assert ack_received.rcpt_tos == ("sanne.jansen@example.org",)
    assert ack["In-Reply-To"] == "<inzage-1@mail.example.org>"
    assert "<inzage-1@mail.example.org>" in ack["References"]
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["X-Mailbot-Loop"]
    body = ack.get_body(("plain",)).get_content()
    assert request["reference"] in body and request["reference"] in ack["Subject"]
    assert "uiterlijk op" in body  # Dutch, with the due date

    for uid in dovecot.uids():
        assert "$MailbotSeen" in dovecot.flags(uid)

    # A second pass (and a re-fetch of the same mail) changes nothing and sends nothing.
    assert app.daemon.run_once() == 0
    dovecot.append(request_mail)  # the same mail delivered again: same Message-ID
    assert app.daemon.run_once() == 1
    with app.uow() as uow:
        assert len(views.requests(uow.repo)) == 1
        assert [m["disposition"] for m in views.inbound(uow.repo)].count("duplicate") == 1
    assert len(acknowledgements(smtp_sink.messages)) == 1
    assert len(smtp_sink.messages) == 2  # the acknowledgement and the verification mail


def test_the_daemon_acknowledges_new_mail_within_about_a_second(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             mailbox={"poll_interval": 300})
    app = app_factory(settings)
    thread = threading.Thread(target=app.daemon.run_forever, daemon=True)
    thread.start()
    try:
        beat = settings.paths.data_dir / "heartbeat"
        wait_for(beat.exists, timeout=10, message="the daemon's first pass")
        dovecot.append(question(1, tag="idle"))
        # IDLE notices come about 0.5 s after the append; polling every 300 s would miss it.
        arrived = smtp_sink.wait_for_count(1, timeout=3)
        assert arrived[0].rcpt_tos == ("idle1@example.org",)
    finally:
        app.daemon.stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_replies_go_to_from_never_to_reply_to(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    dovecot.append(mail(headers={"Reply-To": "attacker@evil.test"}))
    app_factory(settings).daemon.run_once()
    received = smtp_sink.wait_for_count(2)  # acknowledgement and verification mail
    assert [m.rcpt_tos for m in received] == [("sanne.jansen@example.org",)] * 2


def test_own_mail_and_spoofed_own_address_are_not_answered(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    dovecot.append(mail(sender="Privacy <privacy@example.org>"))
    dovecot.append(mail(sender="Someone <someone@example.org>",
                        headers={"X-Mailbot-Loop": "privacy@example.org"}))
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        assert [m["disposition"] for m in views.inbound(uow.repo)] == ["loop", "loop"]
    assert smtp_sink.messages == []


def test_acknowledgements_are_rate_limited_per_sender(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             acknowledge={"rate_limit_count": 2})
    for number in range(4):
        dovecot.append(mail(f"Ik heb een vraag over mijn bestelling {number}.", subject="Vraag"))
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        assert len(views.requests(uow.repo)) == 4  # every request is recorded
    assert len(smtp_sink.messages) == 2


def test_the_acknowledgement_of_a_bounced_reply_is_linked(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    app = app_factory(settings)
    dovecot.append(question(1, tag="nobody"))
    app.daemon.run_once()
    ack_id = message_from_bytes(smtp_sink.wait_for_count(1)[0].data)["Message-ID"]
    dovecot.append(bounce(ack_id))
    app.daemon.run_once()
    with app.uow() as uow:
        outbox = views.outbox(uow.repo)
        events = [e.action for e in uow.repo.events.of(request_id=outbox[0]["request_id"])]
    assert outbox[0]["status"] == "bounced"
    assert outbox[0]["last_error"].startswith("bounced")
    assert "bounced" in events
    assert len(smtp_sink.messages) == 1


def test_data_about_a_child_under_16_is_flagged_and_handled_as_erasure(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    dovecot.append(mail("Mijn dochter van 13 heeft zich zonder mijn toestemming ingeschreven "
                        "voor jullie nieuwsbrief. Haal haar van de lijst alstublieft.",
                        subject="Gegevens van mijn dochter",
                        sender="Ouder Voorbeeld <ouder@example.org>"))
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        requests = uow.repo.requests.list()
        kinds = {r.kind for r in requests}
        assert "erasure" in kinds
        assert all(r.child for r in requests)
        erasure = next(r for r in requests if r.kind == "erasure")
        assert erasure.status == "awaiting_verification"
        actions = [e.action for e in uow.repo.events.of(request_id=erasure.id)]
    assert "child_flagged" in actions
