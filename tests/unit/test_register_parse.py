"""Reading processing orders: labelled forms in Dutch and English, free text, dates, and
the required fields an order leaves out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mailbot.draft.render import Renderer
from mailbot.register.dates import find_dates
from mailbot.register.parse_order import ParsedOrder, order_key, parse_order
from mailbot.register.vocabulary import fold

ORDERS = Path(__file__).resolve().parents[1] / "corpus" / "orders"


def order_file(name: str, language: str | None = None) -> ParsedOrder:
    head, _, body = (ORDERS / name).read_text("utf-8").partition("\n\n")
    return parse_order(body, head.removeprefix("Subject: "), language)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 maart 2027", date(2027, 3, 1)),
        ("per 15 mrt. 2027", date(2027, 3, 15)),
        ("01-03-2027", date(2027, 3, 1)),
        ("1-3-2027", date(2027, 3, 1)),
        ("01/03/2027", date(2027, 3, 1)),
        ("1.3.2027", date(2027, 3, 1)),
        ("March 1, 2027", date(2027, 3, 1)),
        ("March 1st, 2027", date(2027, 3, 1)),
        ("1st of March 2027", date(2027, 3, 1)),
        ("1 Sept 2027", date(2027, 9, 1)),
        ("2027-03-01", date(2027, 3, 1)),
        ("31 oktober 2027", date(2027, 10, 31)),
        ("29 februari 2028", date(2028, 2, 29)),
        ("1. März 2027", date(2027, 3, 1)),
        ("ab dem 15. Dezember 2027", date(2027, 12, 15)),
        ("1er mars 2027", date(2027, 3, 1)),
        ("à compter du 30 juin 2027", date(2027, 6, 30)),
    ],
)
def test_dates_as_clients_write_them(text: str, expected: date) -> None:
    assert [d.value for d in find_dates(fold(text))] == [expected]


@pytest.mark.parametrize("text", ["31 februari 2027", "2027-13-01", "maart 2027", "1 maart",
                                  "ref 12345-2027", "versie 1.3"])
def test_impossible_or_incomplete_dates_are_not_dates(text: str) -> None:
    assert find_dates(fold(text)) == []


@pytest.mark.parametrize(
    ("name", "intent", "key", "expected", "missing"),
    [
        ("nl_labelled_new.txt", "new", "nieuwsbriefverzending", {
            "order_key": "Nieuwsbriefverzending",
            "client_named": "Tuincentrum De Linde B.V.",
            "processing": "verzending van de maandelijkse nieuwsbrief; bijhouden van "
                          "afmeldingen",
            "data_subjects": "klanten en nieuwsbriefabonnees",
            "personal_data": "naam; e-mailadres; klik- en leesgedrag",
            "transfers": "none",
            "security": "versleutelde opslag, toegang alleen voor geautoriseerde "
                        "medewerkers, tweefactorauthenticatie",
            "start": "2027-03-01"}, ()),
        ("en_labelled_new.txt", "new", "pay 2027", {
            "order_key": "PAY-2027",
            "client_named": "Harbour Lights Ltd",
            "dpo": "Olivia Grant, dpo@harbourlights.example.org",
            "processing": "payroll administration, payslip distribution",
            "data_subjects": "employees, former employees",
            "personal_data": "name, address, date of birth, bank account number, salary data",
            "transfers": "United Kingdom (adequacy decision)",
            "security": "encryption at rest and in transit; role-based access control; "
                        "annual penetration test",
            "start": "2027-03-01", "end": "2029-02-28"}, ()),
        ("nl_missing_fields.txt", "new", "webwinkel", {
            "order_key": "Webwinkel",
            "processing": "afhandeling van bestellingen via de webwinkel",
            "data_subjects": "klanten",
            "personal_data": "naam, adres, e-mailadres, bestelgeschiedenis"},
         ("start",)),  # security measures are ours (art. 30(2)(d)): never asked of a client
        ("en_missing_fields.txt", "new", "event registration", {
            "order_key": "Event registration",
            "processing": "registration of attendees for our spring fair",
            "security": "access control"},
         ("data_subjects", "personal_data", "start")),
    ],
)
def test_labelled_orders(name: str, intent: str, key: str, expected: dict[str, str],
                         missing: tuple[str, ...]) -> None:
    order = order_file(name)
    assert order.intent == intent
    assert order.fields == expected
    assert order.order_key == key
    assert order.missing == missing
    assert order.labelled == frozenset(expected)


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("nl_free_text.txt", "nl", {
            "processing": "marktonderzoek en enquêtes", "data_subjects": "klanten",
            "personal_data": "naam, e-mailadres, klantnummer", "transfers": "none",
            "security": "versleuteling, toegangsbeheer", "start": "2027-04-01"}),
        ("en_free_text.txt", "en", {
            "processing": "order handling, customer service, hosting and storage",
            "data_subjects": "customers",
            "personal_data": "name, postal address, phone number, purchase history",
            "transfers": "United States", "safeguards": "standard contractual clauses",
            "security": "encryption, multi-factor authentication, backups",
            "start": "2027-05-15"}),
    ],
)
def test_free_text_orders_give_the_fields_found(name: str, language: str,
                                                expected: dict[str, str]) -> None:
    order = order_file(name, language)
    assert order.intent == "new"
    assert order.fields == expected
    assert order.labelled == frozenset()
    assert order.missing == ()


def test_the_language_is_guessed_when_not_given() -> None:
    assert order_file("nl_free_text.txt").language == "nl"
    assert order_file("en_free_text.txt").language == "en"


@pytest.mark.parametrize(
    ("name", "intent", "fields"),
    [
        ("nl_amendment.txt", "amend", {"order_key": "Nieuwsbriefverzending",
                                       "start": "2027-06-01"}),
        ("nl_amendment_free.txt", "amend", {"personal_data": "telefoonnummer",
                                            "start": "2027-09-01"}),
        ("nl_ending.txt", "end", {"order_key": "Nieuwsbriefverzending", "end": "2028-03-01"}),
        ("en_ending.txt", "end", {"end": "2028-06-30"}),
    ],
)
def test_amendments_and_endings(name: str, intent: str, fields: dict[str, str]) -> None:
    order = order_file(name)
    assert order.intent == intent
    assert fields.items() <= order.fields.items()
    if intent == "end":
        assert order.missing == ()
        assert "start" not in order.fields


def test_an_ending_without_a_date_asks_for_it() -> None:
    order = parse_order("Wij willen de opdracht Nieuwsbriefverzending opzeggen.",
                        "Beëindiging verwerkingsopdracht", "nl")
    assert order.intent == "end"
    assert order.missing == ("end",)


def test_a_new_order_that_mentions_what_happens_at_its_end_is_not_an_ending() -> None:
    text = ("Opdracht: Archief\nCategorieën van verwerkingen: opslag\n"
            "Categorieën van betrokkenen: klanten\nCategorieën van persoonsgegevens: naam\n"
            "Beveiligingsmaatregelen: versleuteling\nStartdatum: 1 april 2027\n\n"
            "Bij beëindiging van de opdracht per 1 april 2030 worden alle gegevens "
            "binnen 30 dagen verwijderd.")
    assert parse_order(text, "Verwerkingsopdracht", "nl").intent == "new"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Geen", "none"), ("n.v.t.", "none"), ("None - all data stays in the EEA",
                                            "none (all data stays in the EEA)"),
     ("Verenigde Staten, op basis van standaardcontractbepalingen",
      "Verenigde Staten, op basis van standaardcontractbepalingen")],
)
def test_transfers_that_say_there_are_none(value: str, expected: str) -> None:
    order = parse_order(f"Doorgifte buiten de EER: {value}", "", "nl")
    assert order.fields["transfers"] == expected


def test_labels_with_brackets_bullets_and_values_on_the_next_lines() -> None:
    text = ("* Categorie(ën) van betrokkenen (art. 30 lid 2 AVG):\n"
            "  - leden\n  - donateurs\n\n"
            "2. **Persoonsgegevens:** naam, adres\n"
            "   en telefoonnummer\n"
            "Looptijd: 1 januari 2028 t/m 31 december 2028\n")
    order = parse_order(text, "", "nl")
    assert order.fields["data_subjects"] == "leden; donateurs"
    assert order.fields["personal_data"] == "naam, adres en telefoonnummer"
    assert (order.start, order.end) == (date(2028, 1, 1), date(2028, 12, 31))


def test_quoted_lines_and_the_signature_are_not_read() -> None:
    text = ("Startdatum: 1 mei 2027\n\n> Categorieën van betrokkenen: klanten\n\n"
            "Met vriendelijke groet,\nMarieke de Vries\nBeveiliging: geen\n")
    order = parse_order(text, "", "nl")
    assert order.fields == {"start": "2027-05-01"}


def test_order_keys_ignore_case_accents_and_punctuation() -> None:
    assert order_key("Nieuwsbrief-verzending (2027)") == "nieuwsbrief verzending 2027"
    assert order_key("Enquête") == order_key("enquete")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_form_in_the_reply_asking_for_missing_fields_reads_back(language: str) -> None:
    names = {"nl": ["Beveiligingsmaatregelen", "Startdatum"],
             "en": ["Security measures", "Start date"]}[language]
    mail = Renderer().render("register_missing", language, {
        "organisation": "Voorbeeld B.V.", "address": "privacy@example.org",
        "reference": "MB-2026-00001", "order": "Webwinkel",
        "order_label": {"nl": "Opdracht", "en": "Order"}[language], "missing": names})
    form = mail.body.split(f"{'Opdracht' if language == 'nl' else 'Order'}: Webwinkel")[1]
    answer = (f"{'Opdracht' if language == 'nl' else 'Order'}: Webwinkel"
              + form.split("\n\n")[0].replace(f"{names[0]}:", f"{names[0]}: versleuteling")
              .replace(f"{names[1]}:", f"{names[1]}: 1 mei 2027"))
    order = parse_order(answer, f"Re: {mail.subject}", language)
    assert order.fields == {"order_key": "Webwinkel", "security": "versleuteling",
                            "start": "2027-05-01"}


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [("de", "Auftrag: Lohnabrechnung\nArt der Verarbeitung: Lohn- und Gehaltsabrechnung\n"
            "Betroffene Personen: Beschäftigte\nPersonenbezogene Daten: Name, IBAN\n"
            "Übermittlungen in Drittländer: Vereinigte Staaten\n"
            "Garantien: Standardvertragsklauseln\nBeginn: 1. Juli 2027\n"
            "Ende: 30. Juni 2029\n\nMit freundlichen Grüßen\nPetra Klein",
      {"order_key": "Lohnabrechnung", "data_subjects": "Beschäftigte",
       "transfers": "Vereinigte Staaten", "safeguards": "Standardvertragsklauseln",
       "start": "2027-07-01", "end": "2029-06-30"}),
     ("fr", "Référence : Newsletter\nFinalité : envoi de la newsletter\n"
            "Personnes concernées : abonnés\nDonnées personnelles : nom, adresse e-mail\n"
            "Transferts hors de l'EEE : aucun\nDate de début : 1er septembre 2027\n\n"
            "Cordialement,\nClaire Martin",
      {"order_key": "Newsletter", "data_subjects": "abonnés", "transfers": "none",
       "start": "2027-09-01"})],
)
def test_german_and_french_labelled_orders(language: str, text: str,
                                           expected: dict[str, str]) -> None:
    order = parse_order(text, "", None)
    assert order.language == language and order.missing == ()
    for field, value in expected.items():
        assert order.fields[field] == value, field
    assert "Petra" not in str(order.fields) and "Claire" not in str(order.fields)


@pytest.mark.parametrize(
    ("fields", "unsafe"),
    [({"transfers": "Vereinigte Staaten"}, True),
     ({"transfers": "Vereinigte Staaten", "safeguards": "Standardvertragsklauseln"}, False),
     ({"transfers": "Indien", "safeguards": "keine"}, True),
     ({"transfers": "États-Unis, sans garanties"}, True),
     ({"transfers": "États-Unis", "safeguards": "clauses contractuelles types"}, False)],
)
def test_german_and_french_transfers_without_safeguards_are_flagged(
        fields: dict[str, str], unsafe: bool) -> None:
    from mailbot.register.transfers import unsafe_transfer

    assert (unsafe_transfer(fields) is not None) == unsafe
