"""The correction handler on a real SQLite store, with a real SQLite CRM and CSV files."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailbot.config import Settings
from mailbot.draft.render import Renderer
from mailbot.errors import WorkflowError
from mailbot.handle import drafts, optouts, workflow
from mailbot.handle.context import HandlerContext
from mailbot.handle.correction import CorrectionHandler
from mailbot.sources.registry import SourceRegistry
from mailbot.store.crypto import generate_key
from mailbot.store.models import InboundMail, OptOut, OutboxMessage, Request
from mailbot.store.uow import UnitOfWork

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SANNE = "sanne.jansen@example.org"
CRM_COLUMNS = ("name", "street", "postcode", "city", "phone", "email")


@pytest.fixture
def sources(tmp_path: Path) -> dict[str, Path]:
    crm = tmp_path / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute(f"CREATE TABLE customers ({', '.join(CRM_COLUMNS)})")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)", [
            ("Sanne Jansen", "Kerkweg 1", "1111 AA", "Oudedorp", "06-11111111",
             "Sanne.Jansen@example.org"),
            ("Pieter Bakker", "Molenweg 5", "2345 BC", "Zwolle", "06-33333333",
             "p.bakker@example.org")])
    connection.close()
    paths = {"crm": crm, "newsletter": tmp_path / "newsletter.csv",
             "calls": tmp_path / "calls.csv"}
    tables = {"newsletter": [("email", "first_name"), (SANNE, "Sanne")],
              "calls": [("email", "phone"), (SANNE, "06-11111111")]}
    for name, rows in tables.items():
        with paths[name].open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
    return paths


KEY = generate_key()  # the server secret verification codes are keyed with


def settings_for(paths: dict[str, Path]) -> Settings:
    source_list: list[dict[str, Any]] = [
        {"name": "CRM", "type": "sql", "url": f"sqlite:///{paths['crm']}", "writable": True,
         "query": f"SELECT {', '.join(CRM_COLUMNS)} FROM customers "
                  "WHERE lower(email) = lower(:email)",
         "update_query": "UPDATE customers SET {field} = :value "
                         "WHERE lower(email) = lower(:email)"},
        {"name": "Newsletter list", "type": "csv", "path": str(paths["newsletter"]),
         "writable": True},
        {"name": "Call list export", "type": "csv", "path": str(paths["calls"])},
        {"name": "Privacy mailbox", "type": "own"},
    ]
    return Settings(organisation={"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
                    mailbox={"url": "maildir:///nonexistent"},
                    smtp={"url": "smtp://localhost:25"}, sources=source_list,
                    security={"key": KEY})


def context(uow: UnitOfWork, paths: dict[str, Path], actor: str = "mailbot") -> HandlerContext:
    settings = settings_for(paths)
    return HandlerContext(settings, uow.repo, Renderer(),
                          SourceRegistry.from_settings(settings.sources), NOW, actor)


def correction(uow: UnitOfWork, paths: dict[str, Path], body: str, *,
               language: str = "nl") -> Request:
    """A verified correction request, prepared by the workflow as after verification."""
    mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid="1", raw_sha256="0" * 64,
                       raw_size=100, received_at=NOW, fetched_at=NOW, disposition="request",
                       sender=SANNE, sender_name="Sanne Jansen", subject="Wijziging",
                       body_text=body, message_id="m1@example.org")
    request = Request(reference="MB-2026-00007", inbound=mail, kind="correction",
                      status="acknowledged", language=language, sender=SANNE,
                      subject="Wijziging", received_at=NOW, due_at=date(2026, 12, 20),
                      confidence=1.0, created_at=NOW, updated_at=NOW, verified_at=NOW,
                      verification_method="dmarc")
    uow.repo.add(request)
    uow.repo.flush()
    workflow.proceed(context(uow, paths), request)
    return request


def approve(uow: UnitOfWork, paths: dict[str, Path], request: Request) -> None:
    (draft,) = [d for d in request.drafts if d.status == "pending_approval"]
    drafts.approve(context(uow, paths, actor="Staff"), draft.id)


def crm_row(paths: dict[str, Path], email: str) -> dict[str, str] | None:
    with sqlite3.connect(paths["crm"]) as connection:
        row = connection.execute(f"SELECT {', '.join(CRM_COLUMNS)} FROM customers "
                                 "WHERE lower(email) = ?", (email,)).fetchone()
    connection.close()
    return dict(zip(CRM_COLUMNS, row, strict=True)) if row else None


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source))


def actions(uow: UnitOfWork, request: Request) -> list[str]:
    return [e.action for e in uow.repo.events.of(request_id=request.id)]


def test_changes_found_and_a_confirmation_waits_for_staff(store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "Mijn adres is veranderd naar Dorpsstraat 12, "
                                           "1234 AB Ergens.")
        # what the sources hold now beside each new value, for staff to compare
        assert request.details["changes"] == [
            {"field": "street", "value": "Dorpsstraat 12", "old": {"CRM": "Kerkweg 1"}},
            {"field": "postcode", "value": "1234 AB", "old": {"CRM": "1111 AA"}},
            {"field": "city", "value": "Ergens", "old": {"CRM": "Oudedorp"}}]
        assert request.status == "awaiting_approval"
        (draft,) = request.drafts
        assert (draft.status, draft.needs_approval, draft.personal_data) == (
            "pending_approval", True, True)
        assert "straat en huisnummer: Dorpsstraat 12" in draft.body
        assert "postcode: 1234 AB" in draft.body and "woonplaats: Ergens" in draft.body
        assert "changes_found" in actions(uow, request)
    assert crm_row(sources, SANNE)["street"] == "Kerkweg 1"  # nothing changes before approval


def open_steps(request: Request) -> list[tuple[str, str, str]]:
    return [(s.action, s.target, s.status) for s in request.steps if s.open]


def tick_all(uow: UnitOfWork, paths: dict[str, Path], request: Request) -> None:
    for step in [s for s in request.steps if s.status == "waiting"]:
        workflow.tick(context(uow, paths, actor="Staff"), request, step.position, True,
                      "met de hand gedaan")


def test_approval_applies_the_address_where_it_is_kept(store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "Mijn adres is veranderd naar Dorpsstraat 12, "
                                           "1234 AB Ergens.")
        approve(uow, sources, request)
        uow.commit()
        request_id = request.id
    row = crm_row(sources, SANNE)
    assert (row["street"], row["postcode"], row["city"]) == ("Dorpsstraat 12", "1234 AB",
                                                             "Ergens")
    assert crm_row(sources, "p.bakker@example.org")["street"] == "Molenweg 5"
    assert csv_rows(sources["newsletter"]) == [{"email": SANNE, "first_name": "Sanne"}]
    with store() as uow:
        request = uow.session.get(Request, request_id)
        assert request.status == "done"
        (crm,) = [s for s in request.steps if s.action == "correct"]
        # the lists keep no address: nothing to correct there
        assert (crm.target, crm.status, crm.decided_by) == ("CRM", "done", "Staff")
        assert crm.detail["applied"] == {"street": "Dorpsstraat 12", "postcode": "1234 AB",
                                         "city": "Ergens"}
        assert request.drafts[0].decided_by == "Staff"


def test_phone_number_goes_to_writable_sources_and_waits_for_the_export(
        store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "My new phone number is +31 6 12345678.",
                             language="en")
        assert request.status == "awaiting_steps"
        assert open_steps(request) == [("correct", "CRM", "planned"),
                                       ("correct", "Call list export", "waiting")]
        body = request.drafts[0].body
        assert "still has to make these changes by hand" in body
        with pytest.raises(WorkflowError, match="tick it off first"):
            approve(uow, sources, request)
        tick_all(uow, sources, request)
        assert "phone number: +31 6 12345678" in request.drafts[0].body
        approve(uow, sources, request)
        uow.commit()
    assert crm_row(sources, SANNE)["phone"] == "+31 6 12345678"
    assert csv_rows(sources["calls"])[0]["phone"] == "06-11111111"  # not writable by us


def test_name_is_changed_in_the_crm_and_in_mailbots_own_records(store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "Mijn naam is verkeerd gespeld, het moet zijn: "
                                           "Sanne Jansen-de Vries")
        approve(uow, sources, request)
        uow.commit()
        assert request.inbound.sender_name == "Sanne Jansen-de Vries"
        assert request.status == "done"
    assert crm_row(sources, SANNE)["name"] == "Sanne Jansen-de Vries"


def test_a_new_email_address_must_be_proven_before_anything_changes(store, sources) -> None:
    new = "sanne.nieuw@example.org"
    with store() as uow:
        optouts.record(uow.repo, SANNE, ["sales_calls"], request_id=None, now=NOW)
        request = correction(uow, sources, f"Mijn e-mailadres is veranderd naar {new}.")
        assert request.status == "awaiting_verification"
        (code,) = request.drafts  # only a code to the new address; no confirmation yet
        assert (code.purpose, code.recipient, code.personal_data) == ("verification", new,
                                                                       False)
        assert "Kerkweg" not in code.body and "Sanne" not in code.body
        assert request.details["email_change"] == {"old": SANNE, "new": new,
                                                   "verified_at": None, "method": None}
        assert {"email_change", "new_address_verification"} <= set(actions(uow, request))
        with pytest.raises(WorkflowError, match="verify-new-address"):
            workflow.verified_by_staff(context(uow, sources, actor="Staff"), request,
                                       "Gebeld")
        uow.commit()
    assert crm_row(sources, SANNE)["email"] == "Sanne.Jansen@example.org"

    with store() as uow:
        request = uow.session.scalars(select(Request)).one()
        workflow.verify_new_address(context(uow, sources, actor="Staff"), request,
                                    "Gebeld op het bekende nummer")
        assert request.status == "awaiting_steps"  # the call list export, by hand
        tick_all(uow, sources, request)
        assert request.status == "awaiting_approval"
        confirmation = next(d for d in request.drafts if d.status == "pending_approval")
        assert confirmation.recipient == SANNE
        assert "zowel uw oude als uw nieuwe e-mailadres bevestigd" in confirmation.body
        approve(uow, sources, request)
        uow.commit()
    assert crm_row(sources, new)["name"] == "Sanne Jansen"
    assert crm_row(sources, SANNE) is None
    assert csv_rows(sources["newsletter"])[0]["email"] == new
    with store() as uow:
        recipients = {m.recipient for m in uow.session.scalars(select(OutboxMessage))}
        assert recipients == {SANNE, new}
        assert {(o.email, o.purpose) for o in uow.session.scalars(select(OptOut))} == {
            (SANNE, "sales_calls"), (new, "sales_calls")}


def test_an_address_change_is_applied_before_the_email_changes(store, sources) -> None:
    new = "sanne.nieuw@example.org"
    with store() as uow:
        request = correction(uow, sources, f"Mijn e-mailadres is nu {new} en mijn adres is "
                                           "veranderd naar Dorpsstraat 12, 1234 AB Ergens.")
        workflow.verify_new_address(context(uow, sources, actor="Staff"), request,
                                    "Langs geweest")
        tick_all(uow, sources, request)
        approve(uow, sources, request)
        uow.commit()
    row = crm_row(sources, new)
    assert (row["street"], row["email"]) == ("Dorpsstraat 12", new)


def test_free_text_waits_for_a_person_and_is_confirmed_only_once_done(store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "Mijn geboortedatum klopt niet, die is 3 mei 1980.")
        assert request.details["changes"] == [
            {"field": "text", "value": "Mijn geboortedatum klopt niet, die is 3 mei 1980.",
             "old": {}}]
        body = request.drafts[0].body
        assert 'Uw verzoek: "Mijn geboortedatum klopt niet' in body
        assert "wacht nog op een medewerker" in body
        assert "aangepast zoals u vroeg" not in body and "Wij hebben uw gegevens" not in body
        assert open_steps(request) == [("manual", "staff", "waiting")]
        with pytest.raises(WorkflowError, match="tick it off first"):
            approve(uow, sources, request)
        tick_all(uow, sources, request)
        assert "Een medewerker heeft deze wijziging doorgevoerd" in request.drafts[0].body
        approve(uow, sources, request)
        assert request.status == "done"


def test_an_edited_confirmation_is_not_applied_blindly(store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "My new phone number is +31 6 12345678.",
                             language="en")
        tick_all(uow, sources, request)
        (draft,) = request.drafts
        staff = context(uow, sources, actor="Staff")
        drafts.edit(staff, draft.id, draft.body.replace("+31 6 12345678", "+31 6 87654321"))
        drafts.approve(staff, draft.id)
        uow.commit()
        assert draft.status == "pending_approval"  # rebuilt from the results, not sent
        assert "+31 6 87654321" not in draft.body
        assert open_steps(request) == [("correct", "CRM", "waiting")]
    assert crm_row(sources, SANNE)["phone"] == "06-11111111"


def test_applied_once_only(store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "My new phone number is +31 6 12345678.",
                             language="en")
        tick_all(uow, sources, request)
        approve(uow, sources, request)
        with sqlite3.connect(sources["crm"]) as connection:
            connection.execute("UPDATE customers SET phone = 'changed by staff'")
        connection.close()
        CorrectionHandler().on_approved(context(uow, sources), request, request.drafts[0])
    assert crm_row(sources, SANNE)["phone"] == "changed by staff"


def test_nothing_found_asks_what_to_change(store, sources) -> None:
    with store() as uow:
        request = correction(uow, sources, "Goedemiddag, kunt u mij helpen?")
        assert request.details["changes"] == []
        assert "welke gegevens wij moeten aanpassen" in request.drafts[0].body
