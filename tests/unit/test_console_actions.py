"""The console's actions on their own: changing a request's kind while it waits for
verification, refusals, and replaying a mail that still cannot be read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.console import actions
from mailbot.domain.kinds import Disposition
from mailbot.errors import WorkflowError
from mailbot.mailbox import FetchedMessage
from mailbot.store.models import Event, InboundMail, Request, Verification
from tests.harness.mails import mail
from tests.unit.console_support import DMARC, NOW, console_settings, deliver


@pytest.fixture
def app(tmp_path: Path, smtp_sink, app_factory) -> App:
    return app_factory(console_settings(tmp_path, smtp_sink.url))


def test_a_request_waiting_for_verification_keeps_waiting_for_the_same_code(
        app: App, smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens."), NOW - timedelta(days=1))
    smtp_sink.wait_for_count(2)  # acknowledgement and verification code
    with app.uow() as uow:
        old = uow.session.scalars(select(Request)).one()
        assert old.status == "awaiting_verification"
        new = actions.change_kind(app.context(uow, "Arie Approver"), old, "erasure")
        uow.commit()
        assert (new.kind, new.status) == ("erasure", "awaiting_verification")
        assert old.status == "rejected"
        assert len(uow.session.scalars(select(Verification)).all()) == 1
    app.daemon.run_once()
    assert len(smtp_sink.messages) == 2  # no second code for the same mail


def test_change_kind_refuses_the_same_kind_a_taken_kind_and_unknown_kinds(app: App) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens en haal mij van de "
                      "nieuwsbrief af.", headers=DMARC), NOW - timedelta(days=1))
    with app.uow() as uow:
        requests = {r.kind: r for r in uow.session.scalars(select(Request))}
        assert {"access", "unsubscribe"} <= set(requests)
        ctx = app.context(uow, "Arie Approver")
        with pytest.raises(WorkflowError, match="of kind access already"):
            actions.change_kind(ctx, requests["access"], "access")
        with pytest.raises(WorkflowError, match="has a request of kind unsubscribe already"):
            actions.change_kind(ctx, requests["access"], "unsubscribe")
        with pytest.raises(WorkflowError, match="unknown kind"):
            actions.change_kind(ctx, requests["access"], "gossip")


def test_a_note_must_say_something(app: App) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC), NOW)
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        ctx = app.context(uow, "Vera Viewer")
        with pytest.raises(WorkflowError):
            actions.add_note(ctx, request, "   ")
        with pytest.raises(WorkflowError):
            actions.add_note(ctx, request, "x" * (actions.NOTE_MAX + 1))


def test_replaying_a_mail_that_still_cannot_be_read_keeps_it_in_quarantine(app: App) -> None:
    deliver(app, b"\x00\x01 not a mail at all", NOW)
    with app.uow() as uow:
        inbound_id = uow.session.scalars(select(InboundMail.id)).one()
    result = actions.replay(app, inbound_id, actor="Arie Approver")
    assert result.error is not None and result.references == ()
    with app.uow() as uow:
        found = uow.repo.inbound(inbound_id)
        assert found is not None and found.disposition == Disposition.QUARANTINED
        failed = uow.session.scalars(select(Event).where(Event.action == "replay_failed")).one()
        assert failed.actor == "Arie Approver"


def test_replaying_a_copy_of_a_recorded_mail_marks_it_a_duplicate(app: App) -> None:
    raw = mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC,
               message_id="<same@mail.example.org>")
    deliver(app, raw, NOW - timedelta(days=1))
    app.ingestor.quarantine(_fetched(raw), "internal error: test")
    with app.uow() as uow:
        copy = uow.session.scalars(select(InboundMail).where(
            InboundMail.disposition == Disposition.QUARANTINED)).one()
        copy_id = copy.id
    result = actions.replay(app, copy_id)
    assert result.disposition == Disposition.DUPLICATE and result.references == ()
    with app.uow() as uow:
        assert len(uow.session.scalars(select(Request)).all()) == 1


def _fetched(raw: bytes) -> FetchedMessage:
    return FetchedMessage(mailbox="elsewhere", uidvalidity=1, uid="7", raw=raw,
                          internaldate=NOW, size=len(raw))
