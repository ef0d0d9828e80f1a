"""A right mailbot does not carry out, asked beside one it does, through real parts:
Dovecot → mailbot (SQLite and PostgreSQL) → staff on the command line → the SMTP sink. The
request goes on without waiting, the acknowledgement says a person answers the other right,
and the answer cannot leave before a person has ticked that right off."""

from __future__ import annotations

import os
import subprocess
import sys
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.service import drafts, requests
from mailbot.store.models import Draft, Request
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail
from tests.integration.test_access_flow import CRM_VALUES, RECEIVED, body, write_sources

pytestmark = pytest.mark.dovecot

DMARC_PASS = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}
STAFF = "Staff Name"


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> App:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url,
                             privacy={"profiling": "We take no automated decisions."},
                             verification={"trusted_authserv_ids": ["mx.example.org"]})
    controllers = tuple(s for s in write_sources(tmp_path) if s.role != "processor")
    app = app_factory(settings.model_copy(update={"sources": controllers}))
    from mailbot.service import users

    users.add(app.service, STAFF, "approver", "a long enough password", by=None)
    return app


def cli(app: App, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def reply_draft(app: App) -> int:
    with app.uow() as uow:
        return uow.session.scalars(select(Draft.id).where(
            Draft.purpose == "reply", Draft.status == "pending_approval")).one()


def test_access_with_portability_goes_on_and_waits_for_the_person_who_answers_it(
        app: App, dovecot, smtp_sink, tmp_path: Path) -> None:
    dovecot.append(mail("Please send me a copy of all personal data you hold about me. I "
                        "also ask for data portability: please send it in a machine-readable "
                        "format.", subject="My data", headers=DMARC_PASS),
                   internaldate=RECEIVED)

    app.daemon.run_once()

    (ack,) = smtp_sink.wait_for_count(1)
    text = " ".join(body(message_from_bytes(ack.data, policy=policy.default)).split())
    assert "request for access to your personal data" in text
    assert ("You also exercise the right to data portability (Article 20 GDPR). A member of "
            "our staff handles that part, together with your request.") in text
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert (request.kind, request.status, request.triage) == (
            "access", "awaiting_steps", False)  # not held for triage: verified by DMARC
        (step,) = [s for s in request.steps if s.action == "other_right"]
        assert (step.status, step.target) == ("waiting", "data portability (art. 20)")
        reference, position = request.reference, step.position

    refused = cli(app, tmp_path, "drafts", "approve", str(reply_draft(app)), "--by", STAFF)
    assert refused.returncode != 0
    assert f"step {position} (answer by hand: data portability (art. 20)) is waiting" \
        in refused.stderr
    assert f"mailbot requests step done {reference}" in refused.stderr
    shown = cli(app, tmp_path, "requests", "show", reference)
    assert "answer by hand: data portability (art. 20)" in shown.stdout

    # as `mailbot requests step done` and `mailbot drafts approve`, in this process: the
    # answer is rebuilt from the sources, which the test's config file does not carry
    requests.step(app.service, reference, str(position), True,
                  "sent the CSV export in a separate mail", by=STAFF)
    drafts.approve(app.service, reply_draft(app), by=STAFF)
    app.daemon.run_once()

    sent = smtp_sink.wait_for_count(2)
    overview = body(message_from_bytes(sent[1].data, policy=policy.default))
    for value in CRM_VALUES:
        assert value in overview
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert request.status == "done"


def test_restriction_beside_erasure_waits_for_a_person_and_names_no_right(
        app: App, dovecot, smtp_sink) -> None:
    dovecot.append(mail("Verwijder al mijn gegevens. Als dat niet kan, wil ik beperking van "
                        "de verwerking van mijn gegevens.", subject="Verwijderen",
                        headers=DMARC_PASS), internaldate=RECEIVED)

    app.daemon.run_once()

    (ack,) = smtp_sink.wait_for_count(1)
    text = body(message_from_bytes(ack.data, policy=policy.default))
    assert "U doet ook een beroep op" not in text  # a person reads which one is meant first
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert (request.kind, request.status) == ("erasure", "triage")
        assert not [s for s in request.steps if s.action == "other_right"]
