"""The service layer on its own, against a real SQLite store, a Maildir and the SMTP sink:
each staff action, who may take it, and what it leaves in the audit trail."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.domain.kinds import Disposition
from mailbot.errors import NotAllowed, NotFound, UserError, WorkflowError
from mailbot.mailbox import FetchedMessage
from mailbot.service import drafts, optouts, quarantine, requests, users
from mailbot.store import views
from mailbot.store.models import Event, InboundMail, OptOut, Request, Verification
from tests.harness.mails import mail
from tests.unit.console_support import (
    ADMIN,
    APPROVER,
    DMARC,
    NOW,
    PASSWORD,
    VIEWER,
    add_staff,
    console_settings,
    deliver,
)


@pytest.fixture
def app(tmp_path: Path, smtp_sink, app_factory) -> App:
    app = app_factory(console_settings(tmp_path, smtp_sink.url))
    add_staff(app)
    return app


def only_request(app: App) -> SimpleNamespace:
    """The one request there is, as it is now (a snapshot, read in its own transaction)."""
    with app.uow() as uow:
        return SimpleNamespace(**views.request_view(uow.session.scalars(select(Request)).one()))


def actions_of(app: App, request_id: int) -> list[str]:
    with app.uow() as uow:
        return [e.action for e in uow.repo.events.of(request_id=request_id)]


def test_only_a_staff_member_whose_role_allows_it_acts(app: App) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC), NOW)
    reference = only_request(app).reference
    with pytest.raises(NotAllowed, match="no staff user"):
        drafts.approve(app.service, reference, by="Someone Else")
    with pytest.raises(NotAllowed, match="this needs the approver role"):
        drafts.approve(app.service, reference, by=VIEWER)
    users.set_active(app.service, APPROVER, False, by=ADMIN)
    with pytest.raises(NotAllowed, match="disabled"):
        drafts.approve(app.service, reference, by=APPROVER)
    assert only_request(app).status == "awaiting_approval"
    requests.note(app.service, reference, "Gebeld, komt morgen terug.", by=VIEWER)
    with app.uow() as uow:
        note = uow.session.scalars(select(Event).where(Event.action == "note")).one()
        assert (note.actor, note.detail) == (VIEWER, {"text": "Gebeld, komt morgen terug."})


def test_a_draft_is_named_by_its_id_or_by_its_request_reference(app: App, smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC), NOW)
    request = only_request(app)
    with pytest.raises(NotFound, match="no draft 999"):
        drafts.approve(app.service, "999", by=APPROVER)
    with pytest.raises(NotFound, match="no request MB-1999-00001"):
        drafts.approve(app.service, "MB-1999-00001", by=APPROVER)
    outcome = drafts.approve(app.service, request.reference.lower(), by=APPROVER)
    assert (outcome.reference, outcome.status, outcome.request_status) == (
        request.reference, "queued", "done")
    app.daemon.run_once()
    smtp_sink.wait_for_count(2)
    with app.uow() as uow:
        assert uow.repo.drafts.get(outcome.draft_id).status == "sent"


def test_changing_the_kind_keeps_the_request_and_its_verification(app: App,
                                                                   smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens."), NOW - timedelta(days=1))
    smtp_sink.wait_for_count(2)  # acknowledgement and verification code
    before = only_request(app)
    assert before.status == "awaiting_verification"
    outcome = requests.change_kind(app.service, before.reference, "erasure", by=APPROVER)
    assert (outcome.reference, outcome.kind, outcome.status) == (
        before.reference, "erasure", "awaiting_verification")
    with app.uow() as uow:
        assert len(uow.session.scalars(select(Request)).all()) == 1
        assert len(uow.session.scalars(select(InboundMail)).all()) == 1
        assert len(uow.session.scalars(select(Verification)).all()) == 1
        changed = uow.session.scalars(select(Event).where(
            Event.action == "kind_changed")).one()
        assert changed.detail["from"] == "access" and changed.actor == APPROVER
    app.daemon.run_once()
    assert len(smtp_sink.messages) == 2  # no second code for the same mail


def test_change_kind_refuses_a_kind_it_has_a_taken_kind_and_unknown_kinds(app: App) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens. Ik wil ook geen "
                      "uitnodigingen meer.", headers=DMARC), NOW - timedelta(days=1))
    with app.uow() as uow:
        found = {r.kind: r.reference for r in uow.session.scalars(select(Request))}
    assert {"access", "unsubscribe"} <= set(found)
    # the mail waits for a person (this opt-out wording is not acted on alone): confirming
    # the kind sends the request on; after that the same kind is refused
    requests.change_kind(app.service, found["access"], "access", by=APPROVER)
    with pytest.raises(WorkflowError, match="of kind access already"):
        requests.change_kind(app.service, found["access"], "access", by=APPROVER)
    with pytest.raises(WorkflowError, match="has a request of kind unsubscribe already"):
        requests.change_kind(app.service, found["access"], "unsubscribe", by=APPROVER)
    with pytest.raises(WorkflowError, match="unknown kind"):
        requests.change_kind(app.service, found["access"], "gossip", by=APPROVER)


def test_a_question_that_is_no_request_is_closed_without_a_mail(app: App, smtp_sink) -> None:
    deliver(app, mail("Mijn factuur van oktober klopt niet, kunnen jullie even kijken?",
                      subject="Factuur"), NOW)
    smtp_sink.wait_for_count(1)  # the acknowledgement
    request = only_request(app)
    assert (request.kind, request.status) == ("other", "triage")
    with pytest.raises(WorkflowError, match="needs a reason"):
        requests.close(app.service, request.reference, "  ", by=APPROVER)
    outcome = requests.close(app.service, request.reference,
                             "Een vraag over een factuur: doorgestuurd naar de administratie.",
                             by=APPROVER)
    assert outcome.status == "closed"
    app.daemon.run_once()
    assert len(smtp_sink.messages) == 1  # no refusal, nothing naming the AP
    assert "closed" in actions_of(app, request.id)
    with pytest.raises(WorkflowError, match="closed"):
        requests.reply(app.service, request.reference, "Nog iets", by=APPROVER)


def test_a_free_reply_waits_for_approval_and_then_finishes_the_request(app: App,
                                                                       smtp_sink) -> None:
    deliver(app, mail("Wie is bij jullie de functionaris gegevensbescherming?",
                      subject="Vraag"), NOW)
    smtp_sink.wait_for_count(1)
    request = only_request(app)
    assert request.status == "triage"
    outcome = requests.reply(app.service, request.reference,
                             "Subject: Uw vraag\n\nBeste Sanne,\n\nDat is Fenna Visser.\n",
                             by=APPROVER)
    assert outcome.status == "awaiting_approval" and outcome.draft_id
    app.daemon.run_once()
    assert len(smtp_sink.messages) == 1  # nothing leaves before approval
    drafts.approve(app.service, outcome.draft_id, by=APPROVER)
    app.daemon.run_once()
    sent = smtp_sink.wait_for_count(2)[-1]
    assert sent.message["Subject"] == "Uw vraag"
    assert "Dat is Fenna Visser." in sent.message.get_body(("plain",)).get_content()
    assert only_request(app).status == "done"


def test_staff_verify_a_person_another_way_and_the_request_goes_on(app: App,
                                                                  smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens."), NOW)
    smtp_sink.wait_for_count(2)
    request = only_request(app)
    assert request.status == "awaiting_verification"
    with pytest.raises(WorkflowError, match="how the identity was checked"):
        requests.verify(app.service, request.reference, "", by=APPROVER)
    outcome = requests.verify(app.service, request.reference,
                              "Gebeld op het nummer uit onze administratie", by=APPROVER)
    assert outcome.status == "awaiting_approval"
    with app.uow() as uow:
        assert uow.repo.requests.get(request.id).verification_method == "staff"
        event = uow.session.scalars(select(Event).where(Event.action == "verified")).one()
        assert event.detail["by"] == APPROVER and "Gebeld" in event.detail["reason"]
        assert uow.session.scalars(select(Verification)).one().status == "withdrawn"
    with pytest.raises(WorkflowError, match="verified already"):
        requests.verify(app.service, request.reference, "nog eens", by=APPROVER)


def test_a_new_verification_mail_replaces_the_old_one(app: App, smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens."), NOW)
    smtp_sink.wait_for_count(2)
    request = only_request(app)
    requests.resend_verification(app.service, request.reference, by=APPROVER)
    app.daemon.run_once()
    assert smtp_sink.wait_for_count(3)[-1].rcpt_tos == ("sanne.jansen@example.org",)
    with app.uow() as uow:
        statuses = [v.status for v in uow.session.scalars(
            select(Verification).order_by(Verification.id))]
    assert statuses == ["withdrawn", "pending"]
    assert only_request(app).status == "awaiting_verification"


def test_search_again_needs_a_verified_request_of_a_kind_that_searches(app: App) -> None:
    deliver(app, mail("Haal mij van de nieuwsbrief af.", subject="Afmelden"), NOW)
    unsubscribe = only_request(app)
    with pytest.raises(WorkflowError, match="not searched"):
        requests.research(app.service, unsubscribe.reference, by=APPROVER)


def test_assigning_names_a_staff_member(app: App) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC), NOW)
    request = only_request(app)
    with pytest.raises(NotAllowed, match="no staff user"):
        requests.assign(app.service, request.reference, "Nobody Here", by=APPROVER)
    requests.assign(app.service, request.reference, VIEWER, by=APPROVER)
    assert only_request(app).assigned_to == VIEWER
    requests.assign(app.service, request.reference, None, by=APPROVER)
    assert only_request(app).assigned_to is None
    assert actions_of(app, request.id).count("assigned") == 2


def test_opt_outs_by_hand(app: App) -> None:
    with pytest.raises(WorkflowError, match="not an e-mail address"):
        optouts.add(app.service, "nobody", ["content_mailings"], by=APPROVER)
    with pytest.raises(WorkflowError, match="not gossip"):
        optouts.add(app.service, "p.bakker@example.org", ["gossip"], by=APPROVER)
    added = optouts.add(app.service, "P.Bakker@example.org",
                        ["content_mailings", "sales_calls"], by=APPROVER, note="aan de balie")
    assert added == ["content_mailings", "sales_calls"]
    assert optouts.add(app.service, "p.bakker@example.org", ["sales_calls"],
                       by=APPROVER) == []
    with pytest.raises(NotAllowed, match="admin"):
        optouts.remove(app.service, "p.bakker@example.org", "sales_calls", by=APPROVER,
                       reason="per abuis")
    optouts.remove(app.service, "p.bakker@example.org", "sales_calls", by=ADMIN,
                   reason="per abuis")
    with app.uow() as uow:
        assert [o.purpose for o in uow.session.scalars(select(OptOut))] == ["content_mailings"]
        logged = [(e.action, e.actor) for e in uow.repo.events.staff()]
    assert ("optout_removed", ADMIN) in logged and ("optout_added", APPROVER) in logged


def test_users_keep_an_admin_and_every_change_is_audited(app: App) -> None:
    with pytest.raises(NotAllowed, match="admin role"):
        users.set_active(app.service, VIEWER, False, by=APPROVER)
    with pytest.raises(UserError, match="yourself"):
        users.set_active(app.service, ADMIN, False, by=ADMIN)
    with pytest.raises(UserError, match="last active admin"):
        users.set_role(app.service, ADMIN, "viewer", by=None)
    users.set_role(app.service, VIEWER, "approver", by=ADMIN)
    users.reset_password(app.service, VIEWER, PASSWORD + "!", by=ADMIN)
    with app.uow() as uow:
        logged = [(e.action, e.actor, e.detail["user"]) for e in uow.repo.events.staff()]
    assert ("user_role_changed", ADMIN, VIEWER) in logged
    assert ("user_password_reset", ADMIN, VIEWER) in logged


def test_replaying_a_mail_that_still_cannot_be_read_keeps_it_in_quarantine(app: App) -> None:
    deliver(app, b"\x00\x01 not a mail at all", NOW)
    with app.uow() as uow:
        inbound_id = uow.session.scalars(select(InboundMail.id)).one()
    result = quarantine.replay(app.service, inbound_id, by=APPROVER)
    assert result.error is not None and result.references == ()
    with app.uow() as uow:
        found = uow.repo.inbound.get(inbound_id)
        assert found is not None and found.disposition == Disposition.QUARANTINED
        failed = uow.session.scalars(select(Event).where(Event.action == "replay_failed")).one()
        assert failed.actor == APPROVER
    quarantine.dismiss(app.service, inbound_id, "spam", by=APPROVER)
    with pytest.raises(WorkflowError, match="dismissed"):
        quarantine.replay(app.service, inbound_id, by=APPROVER)


def test_replaying_a_copy_of_a_recorded_mail_marks_it_a_duplicate(app: App) -> None:
    raw = mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC,
               message_id="<same@mail.example.org>")
    deliver(app, raw, NOW - timedelta(days=1))
    app.ingestor.quarantine(_fetched(raw), "internal error: test")
    with app.uow() as uow:
        copy = uow.session.scalars(select(InboundMail).where(
            InboundMail.disposition == Disposition.QUARANTINED)).one()
        copy_id = copy.id
    result = quarantine.replay(app.service, copy_id, by=APPROVER)
    assert result.disposition == Disposition.DUPLICATE and result.references == ()
    with app.uow() as uow:
        assert len(uow.session.scalars(select(Request)).all()) == 1


def _fetched(raw: bytes) -> FetchedMessage:
    return FetchedMessage(mailbox="elsewhere", uidvalidity=1, uid="7", raw=raw,
                          internaldate=NOW, size=len(raw))
