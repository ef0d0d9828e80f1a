"""What a correction asks to change, read from Dutch and English mails."""

from __future__ import annotations

import pytest

from mailbot.handle.extract.changes import find_addresses, find_changes

ADDRESS = [("street", "Dorpsstraat 12"), ("postcode", "1234 AB"), ("city", "Ergens")]


def changes(text: str, ignore: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(c.field, c.value) for c in find_changes(text, ignore=ignore)]


@pytest.mark.parametrize(("text", "expected"), [
    # addresses
    ("Mijn adres is veranderd naar Dorpsstraat 12, 1234 AB Ergens.", ADDRESS),
    ("Ik ben verhuisd. Mijn nieuwe adres is:\n\nDorpsstraat 12\n1234AB  Ergens\n\nGroet, Jan",
     ADDRESS),
    ("Ik ben verhuisd van Kerkweg 1, 1111 AA Oudedorp naar Laan van Meerdervoort 120a, "
     "2517 AB Den Haag.",
     [("street", "Laan van Meerdervoort 120a"), ("postcode", "2517 AB"),
      ("city", "Den Haag")]),
    ("We moved to 12 High Street, 1234 ab Ergens last week, please update my address.",
     [("street", "12 High Street"), ("postcode", "1234 AB"), ("city", "Ergens")]),
    ("Mijn postcode klopt niet, het moet 3511 AB zijn.", [("postcode", "3511 AB")]),
    # phone numbers
    ("My new phone number is +31 6 12345678.", [("phone", "+31 6 12345678")]),
    ("Mijn telefoonnummer 06-11111111 is veranderd in 06-22222222.",
     [("phone", "06-22222222")]),
    ("Mijn mobiele nummer is nu 0031 (0)6 1234 5678", [("phone", "0031 (0)6 1234 5678")]),
    ("Graag mijn telefoonnummer aanpassen naar 020-1234567.", [("phone", "020-1234567")]),
    ("Please change my number to +44 20 7946 0958, thanks", [("phone", "+44 20 7946 0958")]),
    # names
    ("Mijn naam is verkeerd gespeld, het moet zijn: Sanne Jansen-de Vries\nGroet",
     [("name", "Sanne Jansen-de Vries")]),
    ("My name is spelled wrong. It should be J.P. van der Berg. Kind regards",
     [("name", "J.P. van der Berg")]),
    ("Mijn achternaam is gewijzigd in El Amrani.", [("name", "El Amrani")]),
    ("My new surname is O'Brien since my wedding.", [("name", "O'Brien")]),
    # e-mail addresses
    ("Mijn e-mailadres is veranderd naar sanne.nieuw@example.org.",
     [("email", "sanne.nieuw@example.org")]),
    ("Please update my email from sanne@example.org to Sanne.New@Example.org",
     [("email", "sanne.new@example.org")]),
    # several at once
    ("Mijn adres is veranderd naar Dorpsstraat 12, 1234 AB Ergens en mijn telefoonnummer is "
     "nu 06 1234 5678.", [*ADDRESS, ("phone", "06 1234 5678")]),
])
def test_structured_changes(text: str, expected: list[tuple[str, str]]) -> None:
    assert changes(text, ignore=("sanne@example.org",)) == expected


def test_free_text_when_nothing_structured_is_found() -> None:
    text = ("Goedemiddag,\n\nMijn gegevens kloppen niet. Kunt u mijn geboortedatum aanpassen? "
            "Die is 3 mei 1980.\n\nMet vriendelijke groet,\nSanne")
    assert changes(text) == [("text", "Mijn gegevens kloppen niet. Kunt u mijn "
                                      "geboortedatum aanpassen? Die is 3 mei 1980.")]


def test_the_signature_is_the_current_data_not_the_new() -> None:
    text = ("Mijn telefoonnummer klopt niet meer.\n\nMet vriendelijke groet,\nSanne Jansen\n"
            "Tel: 06-11111111\nKerkweg 1, 1111 AA Oudedorp")
    assert changes(text) == [("text", "Mijn telefoonnummer klopt niet meer.")]


def test_introducing_oneself_is_not_a_name_change() -> None:
    text = "Mijn naam is Sanne Jansen. Mijn adres is veranderd naar Dorpsstraat 12, 1234 AB Ergens."
    assert changes(text) == ADDRESS


def test_the_senders_own_address_is_not_a_new_one() -> None:
    text = "Mijn e-mailadres sanne@example.org klopt niet meer."
    assert changes(text, ignore=("sanne@example.org",)) == [
        ("text", "Mijn e-mailadres sanne@example.org klopt niet meer.")]


def test_nothing_to_read() -> None:
    assert changes("Hallo, hoe gaat het?") == []


def test_find_addresses_in_order_each_once() -> None:
    assert find_addresses("Stuur naar A@example.org of b@example.org, niet a@example.org.") \
        == ["a@example.org", "b@example.org"]


def test_an_adjective_that_starts_a_street_name_is_kept() -> None:
    assert [c.as_dict() for c in find_changes("Mijn adres is nu Nieuwe Gracht 1, 3512 LB "
                                              "Utrecht.")] == [
        {"field": "street", "value": "Nieuwe Gracht 1"},
        {"field": "postcode", "value": "3512 LB"}, {"field": "city", "value": "Utrecht"}]
    assert find_changes("My new address is New Street 5, 1234 AB Town")[0].value == \
        "New Street 5"
