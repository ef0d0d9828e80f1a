"""What a parent gives about a child, and who writes: a parent, or a young person about
themselves; in nl, en, de and fr."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mailbot.domain.mail import ParsedMail
from mailbot.handle.extract.child import is_child
from mailbot.handle.extract.child_data import ChildData, Writer, child_data
from mailbot.parse import parse

ON = date(2026, 11, 20)
PARENT = "ouder@example.org"


def read(text: str) -> ChildData:
    found = child_data(text, ON, known_addresses=[PARENT, "privacy@example.test"])
    assert found is not None, text
    return found


@pytest.mark.parametrize(("text", "relation", "age"), [
    ("Mijn dochter van 12 krijgt jullie nieuwsbrief.", "dochter", 12),
    ("Onze zoon is 9 en staat in jullie systeem.", "zoon", 9),
    ("My son (14) signed up without asking us.", "son", 14),
    ("Our daughter is only 11 and gets your offers.", "daughter", 11),
    ("Meine Tochter, 12 Jahre, bekommt Ihren Newsletter.", "Tochter", 12),
    ("Mein Sohn ist erst 13 und hat ein Konto bei Ihnen.", "Sohn", 13),
    ("Ma fille de 12 ans reçoit vos courriels.", "fille", 12),
    ("Mon fils a 15 ans et il est inscrit chez vous.", "fils", 15),
])
def test_a_parent_about_their_child(text: str, relation: str, age: int) -> None:
    found = read(text)

    assert (found.writer, found.relation, found.age) == (Writer.PARENT, relation, age)
    assert found.under_16 is True


@pytest.mark.parametrize("text", [
    "Ze is 12 jaar. Verwijder haar gegevens.",
    "She is 12. Please delete her data.",
    "Sie ist 12. Bitte löschen Sie seine Daten.",
    "Elle a 12 ans. Supprimez ses données.",
])
def test_someone_elses_data_with_a_childs_age_is_a_parent_writing(text: str) -> None:
    found = read(text)

    assert (found.writer, found.age, found.relation) == (Writer.PARENT, 12, None)


@pytest.mark.parametrize(("text", "age"), [
    ("Ik ben 14 en wil weten wat jullie van mij hebben.", 14),
    ("I'm 14 years old and I want my data.", 14),
    ("Ich bin 13 Jahre alt und möchte gelöscht werden.", 13),
    ("J'ai 15 ans et je veux voir mes données.", 15),
    ("Ik ben geboren op 3 mei 2012. Welke gegevens hebben jullie?", 14),
])
def test_a_young_person_about_themselves(text: str, age: int) -> None:
    found = read(text)

    assert (found.writer, found.age) == (Writer.SELF, age)
    assert (found.name, found.email, found.address, found.relation) == (None,) * 4


@pytest.mark.parametrize(("text", "name"), [
    ("Mijn dochter Emma (12) heeft een account.", "Emma"),
    ("Mijn zoon, Tim, is 13.", "Tim"),
    ("Mijn dochter Emma de Vries is 12.", "Emma de Vries"),
    ("Mijn dochter is 12. Ze heet Lotte.", "Lotte"),
    ("Ik ben de moeder van Sanne (12).", "Sanne"),
    ("My daughter Lily's account must go; she is 12.", "Lily"),
    ("My son is 14. His name is Tom Baker.", "Tom Baker"),
    ("I am the father of Noah, 10 years old.", "Noah"),
    ("Meine Tochter Lena ist 12.", "Lena"),
    ("Mein Sohn ist 11, er heißt Jonas.", "Jonas"),
    ("Ma fille Chloé a 12 ans.", "Chloé"),
    ("Mon fils a 13 ans. Il s'appelle Hugo Martin.", "Hugo Martin"),
])
def test_the_childs_name(text: str, name: str) -> None:
    found = read(text)

    assert found.name == name
    assert found.age is not None and found.age < 16


@pytest.mark.parametrize("text", [
    "Mijn dochter is 12. Zij heeft een account.",
    "Meine Tochter Jahrgang 2012 hat ein Konto.",
    "Meine Tochter Daten sind bei Ihnen.",
    "My daughter I think is registered.",
    "Ma fille Elle a 12 ans.",
])
def test_a_word_that_is_no_name_is_not_taken_for_one(text: str) -> None:
    assert read(text).name is None


@pytest.mark.parametrize(("text", "email"), [
    ("Mijn dochter van 12 staat op jullie lijst. Haar e-mailadres is emma@example.org.",
     "emma@example.org"),
    ("My son (13) is on your list. His email: tom.b@example.org", "tom.b@example.org"),
    ("Meine Tochter (12) ist registriert. Ihre E-Mail-Adresse lautet lena@example.org.",
     "lena@example.org"),
    ("Ma fille de 12 ans est inscrite. Son adresse e-mail est chloe@example.org.",
     "chloe@example.org"),
    ("Het e-mailadres van mijn dochter is sanne.k@example.org, ze is 11.",
     "sanne.k@example.org"),
])
def test_the_childs_email_address(text: str, email: str) -> None:
    assert read(text).email == email


def test_the_parents_own_address_is_not_the_childs() -> None:
    text = ("Mijn zoon van 12 krijgt jullie mails. Mijn e-mailadres is ouder@example.org, "
            "zijn e-mailadres is ouder@example.org ook, helaas.")

    assert read(text).email is None


@pytest.mark.parametrize(("text", "address"), [
    ("Mijn dochter van 12 woont bij haar vader. Ze woont op Kerkstraat 12, 1234 AB Utrecht.",
     "Kerkstraat 12, 1234 AB Utrecht"),
    ("Ik ben de moeder van Sanne (12). Haar adres:\nDorpsstraat 3\n1111 AA Ergens\n\nDank!",
     "Dorpsstraat 3, 1111 AA Ergens"),
    ("My daughter is 12. Her address is 4 Mill Lane, Oxford OX1 2AB; please check it.",
     "4 Mill Lane, Oxford OX1 2AB"),
    ("Mein Sohn ist 12. Seine Anschrift lautet Hauptstraße 5, 10115 Berlin.",
     "Hauptstraße 5, 10115 Berlin"),
    ("Ma fille a 12 ans. Elle habite au 12 rue de la Paix, 75002 Paris et reçoit vos "
     "catalogues.", "12 rue de la Paix, 75002 Paris"),
])
def test_the_childs_postal_address(text: str, address: str) -> None:
    assert read(text).address == address


def test_an_address_without_a_number_is_no_address() -> None:
    assert read("Mijn dochter is 12. Ze woont in Utrecht.").address is None


def test_the_birth_date_and_the_age_it_gives() -> None:
    found = read("Mijn dochter Emma, geboren op 3 mei 2014, heeft een account.")

    assert (found.birth_date, found.age, found.name) == (date(2014, 5, 3), 12, "Emma")


def test_an_older_child_is_read_but_not_under_16() -> None:
    found = read("My son is 17 and gets your newsletter.")

    assert (found.writer, found.age, found.under_16) == (Writer.PARENT, 17, False)


def test_a_child_without_an_age() -> None:
    found = read("Mijn dochter Emma staat in jullie nieuwsbrief.")

    assert (found.writer, found.name, found.age, found.under_16) == (
        Writer.PARENT, "Emma", None, None)


def test_the_signature_and_the_quote_are_not_read() -> None:
    text = ("Mijn zoon van 12 staat in jullie bestand. Verwijder zijn gegevens.\n\n"
            "Met vriendelijke groet,\nKarin Jansen\nHaar adres is Laan 1, 1000 AA Stad\n\n"
            "Op 3 november schreef Privacy <privacy@example.test>:\n"
            "> Ze woont op Kerkstraat 12, 1234 AB Utrecht. Haar e-mailadres is x@example.org")

    found = read(text)

    assert (found.address, found.email) == (None, None)
    assert found.age == 12


@pytest.mark.parametrize("text", [
    "Please delete all my data.",
    "Verwijder haar gegevens.",  # someone else's, but no child
    "Ik ben 14 jaar klant bij jullie.",
    "",
])
def test_nothing_about_a_child(text: str) -> None:
    assert child_data(text, ON) is None


@pytest.mark.parametrize("text", [
    "My son is 3 times on your list.",
    "Mon fils a 2 comptes chez vous.",
    "Mijn dochter Emma is 3 keer gebeld.",
])
def test_a_number_that_is_no_age(text: str) -> None:
    found = read(text)

    assert (found.writer, found.age) == (Writer.PARENT, None)


def test_it_agrees_with_is_child_on_the_age() -> None:
    for text in ("Mijn dochter van 13 heeft zich aangemeld.", "I'm 15.",
                 "Meine Tochter ist 12 Jahre alt.", "Ma fille a 12 ans."):
        sign = is_child(text, ON)
        found = read(text)
        assert sign is not None and found.age == sign.age
        assert sign.about == ("self" if found.writer is Writer.SELF else "child")


def test_the_record() -> None:
    found = read("Mijn dochter Emma, geboren op 3 mei 2014. Haar e-mailadres is "
                 "emma@example.org.")

    assert found.as_dict() == {
        "writer": "parent", "age": 12, "birth_date": "2014-05-03", "name": "Emma",
        "email": "emma@example.org", "address": None, "relation": "dochter",
        "evidence": ["Mijn dochter", "geboren op 3 mei 2014", "Emma", "emma@example.org"],
        "own_too": False}


WRITTEN = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "written"
# Mails of the written corpus where a parent writes about a child, and what they give.
PARENTS = {
    "nl/acc-0009.eml": ("Lieke", "lieke.meijer2010@home.example"),
    "nl/cor-0034.eml": ("Tim", "t.koning@leerling.ozb-college.example"),
    "nl/era-0003.eml": (None, "daanbakker.gamer@gmail.example"),
    "nl/era-0020.eml": (None, None),
    "nl/mul-0013.eml": ("Adam", None),
    "nl/mul-0023.eml": ("Fenna", "fenna.koster@ziggo.example"),
    "en/era-0003.eml": ("Isla", None),
    "en/mul-0009.eml": ("Arjun", None),
    "de/mul-0005.eml": ("Lina", "lina.h@schule.example.de"),
    "fr/mul-0005.eml": ("Hugo", "hugo.r@college.example.fr"),
}


def test_the_written_corpus() -> None:
    if not WRITTEN.is_dir():
        pytest.skip(f"shared corpus not found at {WRITTEN}")
    found = {}
    for path in sorted(WRITTEN.rglob("*.eml")):
        mail = parse(path.read_bytes())
        if isinstance(mail, ParsedMail):
            sender = [mail.sender.addr] if mail.sender else []
            data = child_data(mail.text, ON, known_addresses=sender)
            if data is not None:
                found[str(path.relative_to(WRITTEN))] = data
    assert len(list(WRITTEN.rglob("*.eml"))) >= 600
    assert {name: (d.name, d.email) for name, d in found.items()} == PARENTS
    assert all(d.writer is Writer.PARENT and d.under_16 for d in found.values())


@pytest.mark.parametrize("text", [
    "Mijn dochter Lotte is 12. Wilt u haar gegevens verwijderen? En wis ook mijn gegevens.",
    "Mijn zoon is 11 jaar. Verwijder zijn account en ook mijn eigen gegevens graag.",
    "My daughter Emma is 12. Please delete her data, and delete my data too.",
    "Meine Tochter Emma ist 12. Bitte löschen Sie ihre Daten und auch meine Daten.",
    "Ma fille Emma a 12 ans. Veuillez supprimer ses données et effacer aussi mes données.",
])
def test_a_parent_asking_for_their_own_erasure_too(text: str) -> None:
    found = child_data(text, date(2026, 11, 20))
    assert found is not None and found.writer == Writer.PARENT and found.own_too


@pytest.mark.parametrize("text", [
    "Mijn dochter Lotte is 12 jaar. Wilt u haar gegevens verwijderen? Mijn gegevens: Sanne.",
    "My son is 10. Please delete his account. My details are below.",
])
def test_a_parent_who_asks_nothing_for_themselves(text: str) -> None:
    found = child_data(text, date(2026, 11, 20))
    assert found is not None and not found.own_too
