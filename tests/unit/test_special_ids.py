"""National identification numbers: check digits, the word that names them, and the numbers
that only look like one (IBANs, phone, order and customer numbers, postcodes)."""

from __future__ import annotations

import pytest

from mailbot.classify.special import Category, detect
from mailbot.classify.special.ids import bsn_valid, nir_valid, rrn_valid, steuer_id_valid


@pytest.mark.parametrize(("number", "valid"), [
    ("123456782", True), ("111222333", True), ("123456789", False), ("000000000", False),
    ("12345678", False), ("12345678a", False),
])
def test_bsn_11_proof(number: str, valid: bool) -> None:
    assert bsn_valid(number) is valid


@pytest.mark.parametrize(("number", "valid"), [
    ("86095742719", True), ("47036892816", True), ("65929970489", True),
    ("86095742718", False),  # check digit
    ("06095742719", False),  # leading zero
    ("12345678903", False),  # every digit once
    ("11123456789", False),  # one digit three times in a row
])
def test_steuer_id_check_digit(number: str, valid: bool) -> None:
    assert steuer_id_valid(number) is valid


@pytest.mark.parametrize(("number", "valid"), [
    ("185057800608491", True), ("269054958815780", True),
    ("185052b12345660", True),  # Corsica: 2B counts as 18
    ("185057800608490", False), ("385057800608491", False),  # key; sex
    ("185137800608491", False),  # month 13
])
def test_nir_key(number: str, valid: bool) -> None:
    assert nir_valid(number) is valid


@pytest.mark.parametrize(("number", "valid"), [
    ("85073003328", True),
    ("12031512320", True),  # born in 2012: a 2 before the nine digits
    ("85073003329", False), ("85133003328", False),  # check; month 13
    ("85023003328", False),  # 30 February
])
def test_rijksregisternummer_check(number: str, valid: bool) -> None:
    assert rrn_valid(number) is valid


FOUND = [
    ("Mijn BSN is 123456782.", "123456782", "bsn"),
    ("burgerservicenummer: 1234.56.782", "1234.56.782", "bsn"),
    ("Mijn BSN-nummer is 123 456 782, mijn naam staat hierboven.", "123 456 782", "bsn"),
    ("Ik stuur u mijn nummer: 1112.22.333", "1112.22.333", "bsn"),  # its own form
    ("Meine Steuer-ID lautet 86 095 742 719.", "86 095 742 719", "de_steuer_id"),
    ("Steueridentifikationsnummer 47036892816", "47036892816", "de_steuer_id"),
    ("Mon numéro de sécurité sociale : 2 69 05 49 588 157 80", "2 69 05 49 588 157 80",
     "fr_nir"),
    ("Je vous donne 185057800608491 pour m'identifier.", "185057800608491", "fr_nir"),
    ("Mijn rijksregisternummer is 85.07.30-033.28.", "85.07.30-033.28", "be_rrn"),
    ("Numéro de registre national : 85073003328", "85073003328", "be_rrn"),
    ("Rijksregister: 12.03.15-123.20", "12.03.15-123.20", "be_rrn"),
]


@pytest.mark.parametrize(("text", "number", "scheme"), FOUND)
def test_found(text: str, number: str, scheme: str) -> None:
    detection = detect(text)

    assert detection.categories == (Category.NATIONAL_ID,)
    (finding,) = detection.findings
    assert (finding.text, finding.rule) == (number, f"id:{scheme}")
    assert number not in detection.minimised("nl")
    assert "[identificatienummer]" in detection.minimised("nl")


NOT_FOUND = [
    "BSN 123456789",  # fails the 11-proof
    "Bestelnummer 123456782",  # passes the 11-proof, but no word for a BSN
    "Bestelnummer: 1234.56.782",  # the BSN's form, after an order label
    "Klantnummer 123 456 782",
    "Mijn IBAN is NL91ABNA0417164300 en mijn BSN staat op het formulier.",
    "BSN en IBAN: NL91 ABNA 0417 1643 00",
    "BSN: zie bijlage. Bel me op +31 612345609.",  # 612345609 passes the 11-proof
    "Mijn BSN heb ik niet bij de hand; tel. 06-12345678",
    "Postcode 1011 AB, huisnummer 12, BSN volgt.",
    "Sie erreichen mich unter 86095742719.",  # a valid Steuer-ID, but said to be a phone
    "Rechnung 47036892816 ist bezahlt.",
    "Mijn zoon is geboren op 30-07-1985.",
    "Ordernummer 85.07.30-033.28",
    "Kontonummer DE89 3704 0044 0532 0130 00, Steuer-ID folgt",
    "numéro de commande 185057800608490",  # a NIR's shape, wrong key
    "Referentie 2024-000123-456",
    "Mijn identiteitsbewijs (met afgeschermd BSN en pasfoto) treft u als bijlage aan.",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_found(text: str) -> None:
    detection = detect(text)

    assert not detection.flagged, detection.as_dict()


def test_two_numbers_each_with_its_own_word() -> None:
    text = "BSN: 123456782\nRijksregisternummer: 85073003328"

    detection = detect(text)

    assert [(f.text, f.rule) for f in detection.findings] == [
        ("123456782", "id:bsn"), ("85073003328", "id:be_rrn")]
    assert detection.minimised("en") == "BSN: [ID number]\nRijksregisternummer: [ID number]"
