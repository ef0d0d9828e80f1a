"""A verified request's steps and answer numbered in advance (issue 12, 2026-12-07), through
the real parts (Dovecot, SQLite and PostgreSQL, the SMTP sink): an erasure, a correction and
an access request from senders a trusted server passed plan their steps and write their
answers without a flush of their own (each flush wrote the batch's pending rows one by one);
the steps, drafts and the events naming them are what they were."""

from __future__ import annotations

import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from mailbot.bootstrap import App
from mailbot.store.models import Draft, Event, Request, Step
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

PASS = "mx.example.org; dmarc=pass (p=reject) header.from=example.org"
MAILS = {
    "erasure": "Verwijder al mijn gegevens en mijn account bij jullie.",
    "correction": "Mijn adres is veranderd, het is nu Kerkstraat 5, 1234 AB Utrecht. Wilt u "
                  "dat aanpassen?",
    "access": "Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.",
}


@pytest.fixture
def app(tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> App:
    return app_factory(make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url,
        verification={"trusted_authserv_ids": ["mx.example.org"]},
        acknowledge={"rate_limit_count": 1000}))


def test_verified_requests_plan_steps_and_answers_without_flushes_of_their_own(
        app: App, dovecot: Any) -> None:
    senders = {}
    for number, (kind, text) in enumerate([*MAILS.items(), *MAILS.items()], start=1):
        sender = f"persoon{number}@example.org"
        senders[sender] = kind
        dovecot.append(mail(text, sender=f"Persoon {number} <{sender}>", subject=kind,
                            headers={"Authentication-Results": PASS}))
    flushes: Counter[str] = Counter()

    def flushed(_session: Session, _context: Any) -> None:
        frames = [f.filename for f in traceback.extract_stack()]
        own = any(name.endswith(("handle/steps.py", "handle/outcome.py")) for name in frames)
        flushes["steps or answer" if own else "other"] += 1

    event.listen(Session, "after_flush", flushed)
    try:
        app.daemon.run_once()
    finally:
        event.remove(Session, "after_flush", flushed)
    assert flushes["steps or answer"] == 0
    with app.uow() as uow:
        requests = uow.session.scalars(select(Request).order_by(Request.id)).all()
        assert {r.sender: str(r.kind) for r in requests} == senders
        for request in requests:
            assert request.verified_at is not None
            planned = uow.session.scalars(select(Step).where(
                Step.request_id == request.id).order_by(Step.position)).all()
            assert [s.position for s in planned] == list(range(1, len(planned) + 1))
            if request.kind != "access":
                assert planned  # an erasure's or correction's steps
            told = [e.detail["step"] for e in uow.session.scalars(select(Event).where(
                Event.request_id == request.id,
                Event.action.in_(["step_planned", "step_recorded"])).order_by(Event.id))]
            assert told == [s.position for s in planned]
            answers = uow.session.scalars(select(Draft).where(
                Draft.request_id == request.id)).all()
            assert len(answers) == 1 and answers[0].mentions is not None
            created = uow.session.scalars(select(Event).where(
                Event.request_id == request.id, Event.action == "draft_created")).one()
            assert created.detail["draft_id"] == answers[0].id
