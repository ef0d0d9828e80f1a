"""The unsubscribe handler and the suppression list, on a real SQLite store."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import event, select

from mailbot.config import Settings
from mailbot.draft.render import Renderer
from mailbot.handle import optouts, workflow
from mailbot.handle.context import HandlerContext
from mailbot.handle.unsubscribe import UnsubscribeHandler
from mailbot.sources.registry import SourceRegistry
from mailbot.store.models import Event, InboundMail, OptOut, OutboxMessage, Request
from mailbot.store.optouts import OptOutQueries
from mailbot.store.uow import UnitOfWork

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SANNE = "sanne.jansen@example.org"
SETTINGS = Settings(organisation={"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
                    mailbox={"url": "maildir:///nonexistent"},
                    smtp={"url": "smtp://localhost:25"})


def context(uow: UnitOfWork, now: datetime = NOW) -> HandlerContext:
    return HandlerContext(SETTINGS, uow.repo, Renderer(), SourceRegistry([], []), now)


def unsubscribe(uow: UnitOfWork, body: str, *, sender: str = SANNE, language: str = "nl",
                subject: str = "Afmelden", now: datetime = NOW) -> Request:
    """Record an unsubscribe request and let the workflow handle it, as ingest does."""
    number = len(uow.session.scalars(select(Request)).all()) + 1
    mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid=str(number), raw_sha256="0" * 64,
                       raw_size=100, received_at=now, fetched_at=now, disposition="request",
                       sender=sender or None, sender_name="Sanne Jansen", subject=subject,
                       body_text=body, message_id=f"m{number}@example.org")
    request = Request(reference=f"MB-2026-{number:05d}", inbound=mail, kind="unsubscribe",
                      status="acknowledged", language=language, sender=sender,
                      subject=subject, received_at=now, due_at=date(2026, 12, 20),
                      confidence=1.0, created_at=now, updated_at=now)
    uow.repo.add(request)
    uow.repo.flush()
    workflow.proceed(context(uow, now), request)
    return request


def optout_rows(uow: UnitOfWork) -> list[tuple[str, str]]:
    return [(o.email, o.purpose) for o in
            uow.session.scalars(select(OptOut).order_by(OptOut.email, OptOut.purpose))]


def test_objection_recorded_per_purpose_and_confirmed_without_approval(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Haal me van de nieuwsbrief en bel me niet meer.")
        uow.commit()
    with store() as uow:
        request = uow.session.get(Request, request.id)
        assert optout_rows(uow) == [(SANNE, "content_mailings"), (SANNE, "sales_calls")]
        assert request.details["purposes"] == ["content_mailings", "sales_calls"]
        assert request.status == "done"
        (draft,) = request.drafts
        assert (draft.status, draft.needs_approval, draft.personal_data,
                draft.auto_submitted) == ("queued", False, False, True)
        assert draft.recipient == SANNE
        assert "nieuwsbrieven en andere mailings" in draft.body
        assert "telefonische verkoop" in draft.body
        assert "uitnodigingen" not in draft.body
        outbox = uow.session.get(OutboxMessage, draft.outbox_id)
        message = message_from_bytes(outbox.message, policy=policy.default)
        assert message["Auto-Submitted"] == "auto-replied"
        assert message["To"] == SANNE
        assert "[MB-2026-00001]" in message["Subject"]
        actions = [e.action for e in uow.repo.events.of(request_id=request.id)]
        assert "opted_out" in actions and "draft_queued" in actions


def test_nothing_named_is_all_marketing_and_the_mail_says_so(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Graag afmelden.")
        assert [p for _, p in optout_rows(uow)] == [
            "ad_networks", "content_mailings", "event_mailings", "sales_calls"]
        body = request.drafts[0].body
        assert "al onze marketing" in body
        assert "websitestatistieken" not in body


def test_the_subject_counts_too(store) -> None:
    with store() as uow:
        unsubscribe(uow, "Graag afmelden.", subject="Geen uitnodigingen meer voor evenementen")
        assert optout_rows(uow) == [(SANNE, "event_mailings")]


def test_recording_twice_changes_nothing(store) -> None:
    with store() as uow:
        unsubscribe(uow, "Bel me niet meer.")
        uow.commit()
    later = NOW + timedelta(days=3)
    with store() as uow:
        second = unsubscribe(uow, "Bel me niet meer. En geen nieuwsbrief.", now=later)
        uow.commit()
        assert second.details["added"] == ["content_mailings"]
        assert second.status == "done"  # confirmed again all the same
    with store() as uow:
        rows = uow.session.scalars(select(OptOut).order_by(OptOut.purpose)).all()
        assert [(o.purpose, o.created_at.date()) for o in rows] == [
            ("content_mailings", later.date()), ("sales_calls", NOW.date())]


def test_cookies_wait_for_a_person_and_are_not_said_to_have_stopped(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Geen tracking cookies meer graag.")
        assert request.status == "awaiting_steps"
        (step,) = request.steps
        assert (step.action, step.status) == ("manual", "waiting")
        body = request.drafts[0].body
        assert "Wij gebruiken uw gegevens niet meer voor" not in body
        assert "Een medewerker gaat na" in body


def test_record_is_idempotent_and_case_insensitive(store) -> None:
    with store() as uow:
        first = optouts.record(uow.repo, "Sanne.Jansen@Example.org", ["sales_calls"],
                               request_id=None, now=NOW)
        again = optouts.record(uow.repo, SANNE, ["sales_calls", "sales_calls"],
                               request_id=None, now=NOW)
        uow.commit()
    assert (first, again) == (["sales_calls"], [])
    with store() as uow:
        assert optout_rows(uow) == [(SANNE, "sales_calls")]


def test_several_purposes_take_one_insert_and_write_nothing_else_pending(store) -> None:
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement.split()[0].upper())

    with store() as uow:
        optouts.record(uow.repo, SANNE, ["sales_calls"], request_id=None, now=NOW)
        pending = Event(at=NOW, actor="test", action="pending", detail=None)
        uow.session.add(pending)  # not written yet: recording opt-outs leaves it so
        engine = uow.session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            added = optouts.record(uow.repo, SANNE, ["content_mailings", "sales_calls",
                                                     "event_mailings"],
                                   request_id=None, now=NOW)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert pending in uow.session.new
        uow.commit()
    assert added == ["content_mailings", "event_mailings"]
    assert statements == ["INSERT"]  # no lookup, no savepoint, no flush
    with store() as uow:
        assert optout_rows(uow) == [(SANNE, p) for p in
                                    ("content_mailings", "event_mailings", "sales_calls")]


def test_phone_numbers_and_purposes_take_one_insert(store) -> None:
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement.split()[0].upper())

    with store() as uow:
        optouts.record_phones(uow.repo, ["+31612345678"], ["sales_calls"], request_id=None,
                              now=NOW)
        engine = uow.session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            added = optouts.record_phones(uow.repo, ["+31612345678", "+31201234567"],
                                          ["sales_calls", "content_mailings"],
                                          request_id=None, now=NOW)
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        uow.commit()
    assert added == [("+31612345678", "content_mailings"), ("+31201234567", "sales_calls"),
                     ("+31201234567", "content_mailings")]
    assert statements == ["INSERT"]
    with store() as uow:
        assert sorted((o.phone, o.purpose) for o in uow.session.scalars(select(OptOut))) == [
            ("+31201234567", "content_mailings"), ("+31201234567", "sales_calls"),
            ("+31612345678", "content_mailings"), ("+31612345678", "sales_calls")]


def test_without_a_skipping_insert_a_purpose_recorded_meanwhile_elsewhere_is_not_new(
        store, monkeypatch) -> None:
    # a database without INSERT ... ON CONFLICT DO NOTHING: one lookup and a savepoint
    monkeypatch.setattr("mailbot.store.optouts._SKIPPING_INSERT", {})
    with store() as uow:
        optouts.record(uow.repo, SANNE, ["sales_calls"], request_id=None, now=NOW)
        uow.commit()
    real = OptOutQueries.purposes_of
    lookups: list[str] = []

    def first_one_blind(self: OptOutQueries, email: str) -> list[str]:
        # as if another process recorded it between the first lookup and the insert
        lookups.append(email)
        return [] if len(lookups) == 1 else real(self, email)

    monkeypatch.setattr(OptOutQueries, "purposes_of", first_one_blind)
    with store() as uow:
        added = optouts.record(uow.repo, SANNE, ["sales_calls", "ad_networks"],
                               request_id=None, now=NOW)
        uow.commit()
    assert added == ["ad_networks"]
    with store() as uow:
        assert optout_rows(uow) == [(SANNE, "ad_networks"), (SANNE, "sales_calls")]


@pytest.mark.parametrize(("language", "body", "expected"), [
    ("nl", "Bel me niet meer", ["Uw afmelding is verwerkt", "telefonische verkoop"]),
    ("en", "Please stop calling me", ["You have been unsubscribed", "sales calls"]),
    ("de", "Bitte rufen Sie mich nicht mehr an", ["Ihre Abmeldung", "telefonische Werbung"]),
    ("fr", "Merci de ne plus m'appeler", ["Votre désinscription", "prospection téléphonique"]),
])
def test_confirmation_in_the_persons_language(store, language: str, body: str,
                                              expected: list[str]) -> None:
    with store() as uow:
        request = unsubscribe(uow, body, language=language)
        (draft,) = request.drafts
        assert draft.language == language
        text = f"{draft.subject}\n{draft.body}"
        for words in expected:
            assert words in text
        assert optout_rows(uow) == [(SANNE, "sales_calls")]


def test_statistics_confirmation_points_to_the_cookie_settings(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Stop tracking me with cookies please", language="en")
        assert "cookie settings" in request.drafts[0].body


def test_other_addresses_are_noted_for_staff_not_unsubscribed(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Haal ook kees.deboer@example.org van de nieuwsbrief. "
                                   "Groet, sanne.jansen@example.org")
        assert optout_rows(uow) == [(SANNE, "content_mailings")]
        assert request.details["other_addresses"] == ["kees.deboer@example.org"]
        assert "other_addresses_named" in [
            e.action for e in uow.repo.events.of(request_id=request.id)]


def test_a_mail_without_sender_goes_to_a_person(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Meld me af", sender="")
        assert request.status == "triage"
        assert optout_rows(uow) == []
        assert request.drafts == []


def test_on_approved_changes_nothing(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Meld me af")
        before = optout_rows(uow)
        UnsubscribeHandler().on_approved(context(uow), request, request.drafts[0])
        assert optout_rows(uow) == before


def test_export_csv_and_json_in_address_and_purpose_order(store) -> None:
    with store() as uow:
        unsubscribe(uow, "Bel me niet meer en geen nieuwsbrief", sender="zoe@example.org")
        unsubscribe(uow, "Geen cookies", sender="anna@example.org",
                    now=NOW + timedelta(days=1))
        optouts.record(uow.repo, "bart@example.org", ["ad_networks"], request_id=None,
                       now=NOW)
        uow.commit()
    with store() as uow:
        exported = optouts.export(uow.repo, "csv")
        as_json = optouts.export(uow.repo, "json")
        assert optouts.export(uow.repo, "csv") == exported  # the same every time
    assert list(csv.DictReader(io.StringIO(exported))) == [
        {"email": "anna@example.org", "phone": "", "purpose": "statistics", "since": "2026-11-21",
         "reference": "MB-2026-00002"},
        {"email": "bart@example.org", "phone": "", "purpose": "ad_networks", "since": "2026-11-20",
         "reference": ""},
        {"email": "zoe@example.org", "phone": "", "purpose": "content_mailings",
         "since": "2026-11-20",
         "reference": "MB-2026-00001"},
        {"email": "zoe@example.org", "phone": "", "purpose": "sales_calls", "since": "2026-11-20",
         "reference": "MB-2026-00001"},
    ]
    assert exported.splitlines()[0] == "email,phone,purpose,since,reference"
    entries = json.loads(as_json)
    assert [(e["email"], e["purpose"]) for e in entries] == [
        ("anna@example.org", "statistics"), ("bart@example.org", "ad_networks"),
        ("zoe@example.org", "content_mailings"), ("zoe@example.org", "sales_calls")]
    assert entries[1]["reference"] is None


def test_export_refuses_an_unknown_format(store) -> None:
    with store() as uow, pytest.raises(ValueError, match="csv or json"):
        optouts.export(uow.repo, "xml")  # type: ignore[arg-type]


def test_events_record_no_mail_text(store) -> None:
    with store() as uow:
        request = unsubscribe(uow, "Bel me niet meer, mijn nummer is 06-12345678")
        details = [e.detail for e in uow.session.scalars(
            select(Event).where(Event.request_id == request.id))]
        assert "06-12345678" not in json.dumps(details)
