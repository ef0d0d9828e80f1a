"""The processor register with a real SQLite store: versions of an order, the handler, the
client commands and the exports."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from mailbot.config import Settings
from mailbot.draft.render import Renderer
from mailbot.errors import ClientError, ExportError, IllegalTransition
from mailbot.handle import order_review, register_instruction
from mailbot.handle.context import HandlerContext
from mailbot.handle.register_instruction import RegisterInstructionHandler
from mailbot.register import cli_support, clients, history
from mailbot.register.export import COLUMNS, Processor, register_config_problems
from mailbot.register.parse_order import parse_order
from mailbot.sources.registry import SourceRegistry
from mailbot.store.models import Client, Draft, InboundMail, RegisterEntry, Request
from mailbot.store.uow import UnitOfWork

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
ORDERS = Path(__file__).resolve().parents[1] / "corpus" / "orders"
CONTACT = "marieke.devries@tuincentrum.example.org"


def settings() -> Settings:
    return Settings(organisation={"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
                    mailbox={"url": "maildir:///nonexistent"},
                    smtp={"url": "smtp://localhost:25"})


def context(uow: UnitOfWork) -> HandlerContext:
    s = settings()
    return HandlerContext(s, uow.repo, Renderer(), SourceRegistry.from_settings(s.sources), NOW)


def add_tuincentrum(uow: UnitOfWork) -> Client:
    clients.add_client(uow.repo, "Tuincentrum De Linde B.V.", [CONTACT.upper()],
                           dpo="J. Bos, fg@tuincentrum.example.org",
                           address="Lindelaan 4, 1234 AB Voorbeeldstad")
    client = uow.repo.session.query(Client).one()
    return client


def order(name: str) -> tuple[str, str]:
    head, _, body = (ORDERS / name).read_text("utf-8").partition("\n\n")
    return head.removeprefix("Subject: "), body


_counter = iter(range(1, 1000))


def incoming(uow: UnitOfWork, name: str, *, sender: str = CONTACT, language: str = "nl",
             subject: str = "", body: str = "") -> Request:
    if not body:
        subject, body = order(name)
    n = next(_counter)
    mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid=str(n), raw_sha256="0" * 64,
                       raw_size=len(body), received_at=NOW, fetched_at=NOW,
                       disposition="request", sender=sender, subject=subject, body_text=body)
    request = Request(reference=f"MB-2026-{n:05d}", inbound=mail,
                      kind="register_instruction", status="acknowledged", language=language,
                      sender=sender, subject=subject, received_at=NOW,
                      due_at=date(2026, 12, 20), confidence=1.0, created_at=NOW,
                      updated_at=NOW, verified_at=NOW, verification_method="dmarc")
    uow.repo.add(request)
    uow.repo.flush()
    return request


def handle(uow: UnitOfWork, name: str, *, approve: bool = True, **kwargs: str) -> Request:
    """The order read (the sender proven), and, with ``approve``, approved by staff."""
    request = incoming(uow, name, **kwargs)
    RegisterInstructionHandler().prepare(context(uow), request)
    if approve and order_review.pending(request):
        register_instruction.approve(context(uow), request)
    uow.repo.flush()
    return request


def drafted(request: Request, purpose: str) -> Draft:
    [draft] = [d for d in request.drafts if d.purpose == purpose]
    return draft


def entries(uow: UnitOfWork) -> list[RegisterEntry]:
    return uow.repo.register.all()


def test_new_amended_ended_keeps_three_versions_one_current(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        handle(uow, "nl_labelled_new.txt")
        handle(uow, "nl_amendment.txt")
        handle(uow, "nl_ending.txt")
        uow.commit()
    with store() as uow:
        found = entries(uow)
        assert [(e.version, e.change, e.status) for e in found] == [
            (1, "new", "superseded"), (2, "amended", "superseded"), (3, "ended", "ended")]
        assert {e.order_key for e in found} == {"nieuwsbriefverzending"}
        assert [e.supersedes_id for e in found] == [None, found[0].id, found[1].id]
        current = uow.repo.register.current()
        assert [e.version for e in current] == [3]
        first, amended, ended = found
        # The amendment replaced what it labelled and kept the rest.
        assert amended.fields["personal_data"] == ("naam, e-mailadres, geboortedatum, "
                                                   "klik- en leesgedrag")
        assert amended.fields["security"] == first.fields["security"]
        assert amended.fields["processing"] == first.fields["processing"]
        assert (amended.valid_from, amended.valid_to) == (date(2027, 6, 1), None)
        assert first.valid_from == date(2027, 3, 1)
        assert ended.fields["data_subjects"] == amended.fields["data_subjects"]
        assert (ended.valid_from, ended.valid_to) == (date(2027, 6, 1), date(2028, 3, 1))
        assert all(e.missing == [] for e in found)
        assert [e.contact_email for e in found] == [CONTACT] * 3


def test_an_amendment_in_free_text_adds_categories_to_the_current_version(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        handle(uow, "nl_labelled_new.txt")
        request = handle(uow, "nl_amendment_free.txt")
        latest = uow.repo.register.current()[0]
        assert (latest.version, latest.change) == (2, "amended")
        assert latest.fields["personal_data"] == ("naam; e-mailadres; klik- en leesgedrag; "
                                                  "telefoonnummer")
        assert latest.fields["processing"] == ("verzending van de maandelijkse nieuwsbrief; "
                                               "bijhouden van afmeldingen")
        assert latest.valid_from == date(2027, 9, 1)
        assert request.details["register"]["version"] == 2


def test_an_order_after_its_ending_starts_again_as_new(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        for name in ("nl_labelled_new.txt", "nl_ending.txt", "nl_labelled_new.txt"):
            handle(uow, name)
        assert [(e.version, e.change, e.status) for e in entries(uow)] == [
            (1, "new", "superseded"), (2, "ended", "superseded"), (3, "new", "active")]
        assert entries(uow)[2].valid_to is None


def test_an_ending_names_its_order_by_reference_or_is_the_only_open_one(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        client = uow.repo.session.query(Client).one()
        handle(uow, "en_labelled_new.txt", language="en")
        handle(uow, "nl_labelled_new.txt")
        subject, text = order("en_ending.txt")
        ending = parse_order(text, subject, "en")
        assert history.find_key(uow.repo, client.id, ending, subject=subject,
                                text=text) == "pay 2027"
        bare = parse_order("We terminate the order as of July 1, 2028.", "Termination", "en")
        assert history.find_key(uow.repo, client.id, bare, subject="Termination",
                                text="") == bare.order_key  # two open orders: not guessed
        history.record(uow.repo, client_id=client.id, key="pay 2027", order=ending,
                       contact_email=CONTACT, request_id=None, now=NOW)
        assert history.find_key(uow.repo, client.id, parse_order(
            "Please change the order: Security measures: encryption", "Amendment", "en"),
            subject="Amendment", text="") == "nieuwsbriefverzending"


def test_an_order_enters_the_register_only_after_staff_approval(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        request = handle(uow, "nl_labelled_new.txt", approve=False)
        assert entries(uow) == []  # read and planned, not recorded
        assert request.status == "awaiting_approval"
        assert request.details["register"]["review"] == "pending"
        assert request.details["register"]["version"] == 1
        [received] = request.drafts
        assert received.purpose == "register_received" and received.recipient == CONTACT
        assert not received.needs_approval and not received.personal_data
        assert "Het register is dus nog niet gewijzigd" in received.body
        assert "vastgelegd in" not in received.body.replace("voordat wij haar vastleggen", "")
        assert "Categorieën van betrokkenen: klanten en nieuwsbriefabonnees" in received.body
        actions = [e.action for e in uow.repo.events.of(request_id=request.id)]
        assert "register_order_received" in actions and "register_recorded" not in actions

        register_instruction.approve(context(uow), request)
        [entry] = entries(uow)
        assert entry.request_id == request.id
        assert request.details["register"]["review"] == "approved"
        receipt = drafted(request, "register_receipt")
        assert receipt.recipient == CONTACT
        assert not receipt.needs_approval and not receipt.personal_data
        assert receipt.language == "nl"
        assert "Nieuwsbriefverzending" in receipt.subject and request.reference in receipt.subject
        assert "versie 1" in receipt.body
        assert "Categorieën van betrokkenen: klanten en nieuwsbriefabonnees" in receipt.body
        assert "Doorgifte buiten de EER: geen" in receipt.body
        assert "Startdatum: 1 maart 2027" in receipt.body
        assert "J. Bos, fg@tuincentrum.example.org" in receipt.body
        assert "ontbreekt" not in receipt.body
        actions = [e.action for e in uow.repo.events.of(request_id=request.id)]
        assert "register_recorded" in actions
        with pytest.raises(IllegalTransition):
            register_instruction.approve(context(uow), request)


def test_a_rejected_order_leaves_the_register_as_it_was(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        handle(uow, "nl_labelled_new.txt")
        request = handle(uow, "nl_amendment.txt", approve=False)
        register_instruction.reject(context(uow), request, "Niet door de klant gestuurd")
        assert [(e.version, e.status) for e in entries(uow)] == [(1, "active")]
        assert request.details["register"]["review"] == "rejected"
        assert request.status == "triage"


@pytest.mark.parametrize(("transfers", "flagged"), [
    ("Doorgifte buiten de EER: Verenigde Staten, zonder waarborgen", True),
    ("Doorgifte buiten de EER: Verenigde Staten", True),
    ("Doorgifte buiten de EER: Verenigde Staten\nWaarborgen: geen", True),
    ("Doorgifte buiten de EER: Verenigde Staten\nWaarborgen: standaardcontractbepalingen",
     False),
    ("Doorgifte buiten de EER: India (standaardcontractbepalingen)", False),
    ("Doorgifte buiten de EER: geen", False),
])
def test_a_transfer_outside_the_eea_without_safeguards_is_flagged(
        store, transfers: str, flagged: bool) -> None:
    subject, body = order("nl_labelled_new.txt")
    body = re.sub(r"^Doorgifte buiten de EER:.*$", transfers, body, flags=re.MULTILINE)
    with store() as uow:
        add_tuincentrum(uow)
        request = handle(uow, "", subject=subject, body=body, approve=False)
        flags = request.details["register"]["flags"]
        assert bool(flags) is flagged, flags
        if flagged:
            assert "without safeguards" in flags[0] and "Verenigde Staten" in flags[0]
            assert "register_transfer_flagged" in [
                e.action for e in uow.repo.events.of(request_id=request.id)]


@pytest.mark.parametrize(
    ("name", "language", "asked"),
    [("nl_missing_fields.txt", "nl", ["Startdatum"]),
     ("en_missing_fields.txt", "en", ["Categories of data subjects",
                                      "Categories of personal data", "Start date"])],
)
def test_missing_required_fields_are_asked_for_in_the_contacts_language(
        store, name: str, language: str, asked: list[str]) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        request = handle(uow, name, language=language)
        [entry] = entries(uow)
        assert entry.status == "active" and entry.missing
        drafts = {d.purpose: d for d in request.drafts}
        assert set(drafts) == {"register_received", "register_receipt", "register_missing"}
        question = drafts["register_missing"]
        assert question.language == language
        listed = re.findall(r"^  - (.+)$", question.body, flags=re.MULTILINE)
        assert listed == asked
        assert request.details["register"]["missing"] == list(entry.missing)


def test_the_answer_to_the_question_completes_the_order(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        request = handle(uow, "nl_missing_fields.txt")
        question = {d.purpose: d for d in request.drafts}["register_missing"]
        [form] = [p for p in question.body.split("\n\n") if p.startswith("Opdracht:")]
        assert "Beveiligingsmaatregelen" not in question.body  # ours, never asked
        answer = form.replace("Startdatum:", "Startdatum: 01-05-2027")
        reply = handle(uow, "", subject=f"Re: {question.subject}", body=answer)
        first, second = entries(uow)
        assert (second.version, second.change, second.missing) == (2, "amended", [])
        assert second.fields["personal_data"] == first.fields["personal_data"]
        assert second.valid_from == date(2027, 5, 1)
        receipt = drafted(reply, "register_receipt")
        assert "versie 2" in receipt.body and "ontbreekt" not in receipt.body


def test_the_receipt_of_an_ending_gives_the_end_date(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        handle(uow, "en_labelled_new.txt", language="en")
        request = handle(uow, "en_ending.txt", language="en")
        receipt = drafted(request, "register_receipt")
        assert receipt.subject.startswith('Receipt: termination of the processing order '
                                          '"PAY-2027"')
        assert "The order ends on 30 June 2028." in receipt.body
        assert "version 2" in receipt.body
        assert uow.repo.register.current()[0].status == "ended"


def test_a_stranger_does_not_touch_the_register(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        request = handle(uow, "nl_labelled_new.txt", sender="iemand@elders.example.org")
        assert uow.repo.register.count() == 0
        assert request.status == "triage"
        assert request.drafts == []
        actions = [e.action for e in uow.repo.events.of(request_id=request.id)]
        assert "register_refused" in actions


def test_an_ending_of_an_order_that_is_not_there_goes_to_a_person(store) -> None:
    with store() as uow:
        add_tuincentrum(uow)
        request = handle(uow, "nl_ending.txt")
        assert uow.repo.register.count() == 0
        assert request.status == "triage"
        assert "register_order_not_found" in [e.action for e in
                                              uow.repo.events.of(request_id=request.id)]


def test_add_client_sets_dpo_and_address_and_refuses_another_clients_contact(store) -> None:
    with store() as uow:
        added = clients.add_client(uow.repo, "Harbour Lights Ltd",
                                       [" Thomas.Reed@harbour.example.org "],
                                       dpo="Olivia Grant", address="1 Quay Road")
        assert added["contacts"] == ["thomas.reed@harbour.example.org"]
        assert (added["dpo"], added["address"]) == ("Olivia Grant", "1 Quay Road")
        # the same client, however the name is written (one rule for names everywhere)
        again = clients.add_client(uow.repo, "harbour  lights LTD",
                                   ["payroll@harbour.example.org"])
        assert again["id"] == added["id"] and again["dpo"] == "Olivia Grant"
        assert len(again["contacts"]) == 2
        with pytest.raises(ClientError, match="already a contact"):
            clients.add_client(uow.repo, "Other B.V.", ["payroll@harbour.example.org"])
        with pytest.raises(ClientError, match="not an e-mail address"):
            clients.add_client(uow.repo, "Other B.V.", ["payroll"])


@pytest.fixture
def register(store) -> Callable[[], UnitOfWork]:
    with store() as uow:
        add_tuincentrum(uow)
        handle(uow, "nl_labelled_new.txt")
        handle(uow, "nl_amendment.txt")
        handle(uow, "en_labelled_new.txt", language="en")
        client = uow.repo.session.query(Client).one()
        client.name = "Tuincentrum <script>alert(1)</script> & Co"
        uow.commit()
    return store


def test_csv_export_parses_back_one_row_per_version(register) -> None:
    with register() as uow:
        current = cli_support.export(uow.repo, "csv")
        full = cli_support.export(uow.repo, "csv", current_only=False)
    rows = list(csv.DictReader(io.StringIO(current)))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["order_key"], r["version"], r["status"]) for r in rows] == [
        ("Nieuwsbriefverzending", "2", "active"), ("PAY-2027", "1", "active")]
    assert len(list(csv.DictReader(io.StringIO(full)))) == 3
    news, payroll = rows
    assert news["client"] == "Tuincentrum <script>alert(1)</script> & Co"
    assert news["client_address"] == "Lindelaan 4, 1234 AB Voorbeeldstad"
    assert news["client_dpo"] == "J. Bos, fg@tuincentrum.example.org"
    assert payroll["client_dpo"] == "Olivia Grant, dpo@harbourlights.example.org"
    assert news["contact"] == CONTACT
    assert news["change"] == "amended" and news["valid_from"] == "2027-06-01"
    assert news["transfers"] == "none"
    assert payroll["transfers"] == "United Kingdom (adequacy decision)"
    assert payroll["valid_to"] == "2029-02-28"
    assert re.fullmatch(r"MB-2026-\d{5}", news["request_reference"])
    assert news["recorded_at"].startswith("2026-11-20T10:00")


def test_json_export_loads(register) -> None:
    with register() as uow:
        loaded = json.loads(cli_support.export(uow.repo, "json", current_only=False))
    assert [(r["order_key"], r["version"], r["status"], r["change"]) for r in loaded] == [
        ("Nieuwsbriefverzending", 1, "superseded", "new"),
        ("Nieuwsbriefverzending", 2, "active", "amended"),
        ("PAY-2027", 1, "active", "new")]
    assert all(tuple(r) == COLUMNS for r in loaded)
    assert loaded[0]["valid_to"] is None


def test_html_export_escapes_and_stands_alone(register) -> None:
    with register() as uow:
        page = cli_support.export(uow.repo, "html", language="nl",
                                  processor=Processor("Voorbeeld B.V."), now=NOW)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page
    assert "Tuincentrum &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert not re.search(r"\b(?:src|href)=|<link|@import|url\(", page)
    assert "Register van verwerkingsactiviteiten" in page
    assert "1 juni 2027" in page and "geldend" in page and "Nieuwsbriefverzending" in page
    assert "vervangen" not in page  # the current versions only


def test_markdown_export_is_readable_and_escaped(register) -> None:
    with register() as uow:
        page = cli_support.export(uow.repo, "md", current_only=False,
                                  processor=Processor("Voorbeeld B.V."), now=NOW)
    assert page.startswith("# Record of processing activities")
    assert "<script>" not in page and r"\<script\>" in page
    assert page.count("### ") == 3
    assert "superseded" in page and "1 June 2027" in page


def test_an_empty_register_and_an_unknown_format(store) -> None:
    with store() as uow:
        assert cli_support.export(uow.repo, "csv").strip() == ",".join(COLUMNS)
        assert json.loads(cli_support.export(uow.repo, "json")) == []
        assert "The register is empty." in cli_support.export(uow.repo, "html")
        with pytest.raises(ExportError, match="csv, json, md, html"):
            cli_support.export(uow.repo, "xlsx")


OURS = Processor("Voorbeeld B.V.", "Voorbeeldstraat 1, 1234 AB Voorbeeld, +31 20 000 0000",
                 "J. de Functionaris, fg@example.org",
                 "versleutelde opslag en verbindingen, tweestapsverificatie, back-ups")


def test_the_export_states_our_own_name_contact_dpo_and_security_measures(register) -> None:
    """Art. 30(2)(a) and (d): the processor's own details, from configuration."""
    with register() as uow:
        page = cli_support.export(uow.repo, "md", language="nl", processor=OURS, now=NOW)
        rows = list(csv.DictReader(io.StringIO(cli_support.export(uow.repo, "csv",
                                                                   processor=OURS))))
        bare = cli_support.export(uow.repo, "html", processor=Processor("Voorbeeld B.V."),
                                  now=NOW)
    for line in ("Verwerker (bijgehouden door): Voorbeeld B.V.",
                 "Contactgegevens verwerker: Voorbeeldstraat 1, 1234 AB Voorbeeld, "
                 "+31 20 000 0000",
                 "Functionaris gegevensbescherming verwerker: J. de Functionaris, "
                 "fg@example.org",
                 "Onze technische en organisatorische beveiligingsmaatregelen (art. 32 lid 1): "
                 "versleutelde opslag en verbindingen, tweestapsverificatie, back-ups"):
        assert line + "  " in page.splitlines(), line
    assert {(r["processor"], r["processor_dpo"], r["processor_security"]) for r in rows} == {
        (OURS.name, OURS.dpo, OURS.security)}
    # not configured: said so, naming the key, never left out silently
    assert "[not configured: organisation.security_measures]" in bare
    assert "[not configured: organisation.dpo]" in bare
    settings = Settings(organisation={"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
                        mailbox={"url": "maildir:///nonexistent"},
                        smtp={"url": "smtp://localhost:25"})
    assert [p.split(":")[0] for p in register_config_problems(settings)] == [
        "organisation.contact", "organisation.dpo", "organisation.security_measures"]


def test_a_transfer_without_safeguards_is_flagged_in_the_export(store) -> None:
    _, text = order("nl_labelled_new.txt")
    unsafe = text.replace("Doorgifte buiten de EER: geen",
                          "Doorgifte buiten de EER: Verenigde Staten")
    with store() as uow:
        add_tuincentrum(uow)
        handle(uow, "", subject="Verwerkingsopdracht nieuwsbrief", body=unsafe)
        rows = list(csv.DictReader(io.StringIO(cli_support.export(uow.repo, "csv"))))
        page = cli_support.export(uow.repo, "html", language="nl", processor=OURS, now=NOW)
    assert [(r["transfers"], r["transfers_unsafe"]) for r in rows] == [
        ("Verenigde Staten", "True")]
    assert "GEEN WAARBORG VASTGELEGD voor deze doorgifte" in page


def test_a_client_is_never_asked_for_our_security_measures(store) -> None:
    _, text = order("nl_labelled_new.txt")
    without = "\n".join(line for line in text.splitlines()
                        if not line.startswith("Beveiligingsmaatregelen"))
    with store() as uow:
        add_tuincentrum(uow)
        request = handle(uow, "", subject="Verwerkingsopdracht nieuwsbrief", body=without)
        [entry] = entries(uow)
        assert entry.missing == []
        assert "register_missing" not in {d.purpose for d in request.drafts}
        for draft in request.drafts:
            assert "Beveiliging" not in draft.body and "beveiliging" not in draft.body
