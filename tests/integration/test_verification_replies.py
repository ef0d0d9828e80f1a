"""Issue 10, breaks 1 and 5, the cases beyond the one the attackers used, through Dovecot, the
SMTP sink and the database (SQLite and PostgreSQL): a code counts only beside a yes or
nothing much else; a "no" in other words, or a yes denied ("dat klopt niet"), is no yes; a
"no" after the address was proven still reaches staff before anything leaves; one reply
fails at most the verification it answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from mailbot.console.verify_link import verification_app
from mailbot.service import requests as actions
from mailbot.service.ways import ways_forward
from mailbot.store.models import Verification
from tests.harness.app import make_settings
from tests.harness.mails import mail
from tests.integration.test_verification_answers import STAFF_ADDRESS, quoting, spoofed
from tests.integration.test_verification_flow import (
    SANNE,
    code_of,
    link_path,
    received,
    reply_to,
    state,
)
from tests.unit.console_support import APPROVER, add_staff

pytestmark = pytest.mark.dovecot

ACCESS = "Stuur me een overzicht van mijn gegevens."


@pytest.fixture
def app(tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> Any:
    settings = make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url,
        verification={"trusted_authserv_ids": ["mx.example.org"], "max_attempts": 3,
                      "link_base_url": "https://mailbot.example.org"},
        acknowledge={"rate_limit_count": 100},
        deadlines={"staff_address": STAFF_ADDRESS, "digest_time": "off"})
    return app_factory(settings)


def alerts(smtp_sink: Any) -> list[str]:
    return [m["Subject"] for m in received(smtp_sink) if m["To"] == STAFF_ADDRESS]


@pytest.mark.parametrize("no", [
    "Ik heb hier nooit om gevraagd.",
    "Ik heb niets aangevraagd, wie is dit?",
    "I never sent this.",
    "This request was not made by me.",
    "Ich habe nichts beantragt.",
    "Ich war das nicht.",
    "Je n'ai rien demandé.",
    "Je n'ai envoyé aucune demande.",
])
def test_a_no_in_other_words_beside_the_code_disputes(app: Any, dovecot: Any, smtp_sink: Any,
                                                      no: str) -> None:
    request_id, verification = spoofed(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, f"{no}\n\n{code_of(verification)}"))
    app.daemon.run_once()

    now = state(app, request_id)
    assert now["verified_at"] is None
    assert now["status"] == "disputed"
    assert len(alerts(smtp_sink)) == 1


@pytest.mark.parametrize("denied", [
    "Dat klopt niet.", "I do not confirm this.", "Das stimmt nicht.",
    "Ce n'est pas correct.",
])
def test_a_yes_denied_is_no_yes(app: Any, dovecot: Any, smtp_sink: Any, denied: str) -> None:
    request_id, verification = spoofed(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, quoting(verification, denied)))
    app.daemon.run_once()

    assert state(app, request_id)["verified_at"] is None
    assert state(app, request_id)["status"] == "disputed"


def test_a_code_beside_words_that_say_neither_yes_nor_no_waits_for_a_person(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    request_id, verification = spoofed(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, f"Waar gaat dit over? {code_of(verification)}"))
    app.daemon.run_once()

    now = state(app, request_id)
    assert now["verified_at"] is None
    assert now["status"] == "awaiting_verification"
    assert "verification_reply_unclear" in now["events"]


@pytest.mark.parametrize("answer", [
    "Hallo,\n\nHier is de code: {code}\n\nGroeten,\nSanne",
    "Hi, my code is {code}. Thanks! Sanne Jansen",
    "{code}",
    "Ja, dat klopt, ik wil dat alles verwijderd wordt: {code}",
])
def test_the_code_with_a_greeting_or_a_yes_verifies(app: Any, dovecot: Any, smtp_sink: Any,
                                                    answer: str) -> None:
    request_id, verification = spoofed(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, answer.format(code=code_of(verification))))
    app.daemon.run_once()
    assert state(app, request_id)["verified_at"] is not None


def test_a_no_after_the_link_was_used_stops_the_request_and_alerts_staff(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    """The link was clicked (by accident, or by someone else reading the mailbox), then the
    address's owner says they never asked: nothing may leave before staff have looked."""
    request_id, verification = spoofed(app, dovecot, smtp_sink, ACCESS)
    clicked = TestClient(verification_app(app.uow, app.context)).post(link_path(verification))
    assert clicked.status_code == 200
    assert state(app, request_id)["verified_at"] is not None
    assert state(app, request_id)["status"] == "awaiting_approval"

    dovecot.append(reply_to(verification, quoting(verification, "Dit heb ik niet aangevraagd!")))
    app.daemon.run_once()

    now = state(app, request_id)
    assert now["status"] == "disputed"
    assert all(d["status"] != "pending_approval" for d in now["drafts"]
               if d["request_id"] == request_id)
    assert len(alerts(smtp_sink)) == 1
    to_sanne = [m for m in received(smtp_sink) if m["To"] and SANNE in m["To"]]
    assert len(to_sanne) == 2  # the acknowledgement and the code, nothing after
    again = TestClient(verification_app(app.uow, app.context)).post(link_path(verification))
    assert again.status_code == 410
    assert "gestopt" in again.text and "bevestigd" not in again.text  # no longer confirmed


def test_one_reply_fails_at_most_the_verification_it_answers(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    _, first = spoofed(app, dovecot, smtp_sink)
    _, second = spoofed(app, dovecot, smtp_sink, ACCESS)
    wrong = [f"{(int(code_of(second)) + n) % 10 ** 8:08d}" for n in range(1, 4)]
    # Her reply to the second mail names the first in its References too (a thread of ours).
    dovecot.append(mail("\n".join(wrong), subject="Re: " + second["Subject"], headers={
        "In-Reply-To": second["Message-ID"].strip(),
        "References": f"{first['Message-ID'].strip()} {second['Message-ID'].strip()}"}))
    app.daemon.run_once()

    with app.uow() as uow:
        found = {v.message_id: (v.status, v.attempts)
                 for v in uow.session.scalars(select(Verification)).all()}
    assert found[first["Message-ID"].strip()] == ("pending", 0)
    assert found[second["Message-ID"].strip()] == ("failed", 3)
    failed = [m for m in received(smtp_sink) if "niet gelukt" in (m["Subject"] or "")]
    assert len(failed) == 1


def test_a_threaded_no_from_the_owner_disputes_only_what_it_answers(
        app: Any, dovecot: Any, smtp_sink: Any) -> None:
    first_id, first = spoofed(app, dovecot, smtp_sink)
    second_id, second = spoofed(app, dovecot, smtp_sink, ACCESS)
    dovecot.append(mail("Dit heb ik niet aangevraagd.", subject="Re: " + first["Subject"],
                        headers={"In-Reply-To": first["Message-ID"].strip(),
                                 "References": f"{second['Message-ID'].strip()} "
                                               f"{first['Message-ID'].strip()}"}))
    app.daemon.run_once()
    assert state(app, first_id)["status"] == "disputed"
    assert state(app, second_id)["status"] == "awaiting_verification"


@pytest.mark.parametrize(("action", "then"), [
    ("verify", "awaiting_approval"), ("resend_verification", "awaiting_verification"),
    ("close", "closed")])
def test_a_request_disputed_after_its_proof_has_ways_forward(
        app: Any, dovecot: Any, smtp_sink: Any, action: str, then: str) -> None:
    request_id, verification = spoofed(app, dovecot, smtp_sink, ACCESS)
    TestClient(verification_app(app.uow, app.context)).post(link_path(verification))
    dovecot.append(reply_to(verification, quoting(verification, "This wasn't me.")))
    app.daemon.run_once()
    add_staff(app)
    with app.uow() as uow:
        request = uow.repo.requests.get(request_id)
        reference = request.reference
        offered = ways_forward(request, request.received_at.date())
    assert offered == ["verify", "resend_verification", "close"]

    if action == "verify":
        actions.verify(app.service, reference, "Gebeld op het bekende nummer", by=APPROVER)
    elif action == "resend_verification":
        actions.resend_verification(app.service, reference, by=APPROVER)
    else:
        actions.close(app.service, reference, "Vervalst verzoek", by=APPROVER)
    assert state(app, request_id)["status"] == then

