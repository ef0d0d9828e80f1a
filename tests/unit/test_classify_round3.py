"""Issue 13, round three: an anaphor that stands for the object named just before ("Wilt u
dit corrigeren?"), "forget me" and "out of your systems", a complaint only threatened,
and a chase of an earlier request that waits for a person whatever the model says."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, triage_reasons
from mailbot.classify.clauses import find, hypothetical
from mailbot.classify.normalize import fold
from mailbot.domain.kinds import RequestKind

C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE


def kinds_found(text: str, language: str) -> set[RequestKind]:
    return {h.kind for h in find(fold(text), language) if h.why is None}


@pytest.mark.parametrize(("text", "language", "kind"), [
    ("Mijn postcode staat als 1234 AB bij jullie. Dat is 4321 BA. Kunt u dit aanpassen?",
     "nl", C),
    ("Ik krijg elke week een folder in de bus. Ik lees ze nooit. Stop daarmee.", "nl", U),
    ("Your records show my surname as Smit. Please correct that.", "en", C),
    ("Ich bekomme jede Woche einen Newsletter von Ihnen. Bitte stoppen Sie das.", "de", U),
    ("Mon numero de telephone est faux dans votre fichier. Merci de corriger cela.", "fr", C),
])
def test_an_anaphor_stands_for_the_object_named_before(text: str, language: str,
                                                       kind: RequestKind) -> None:
    assert kind in kinds_found(text, language)


@pytest.mark.parametrize(("text", "language"), [
    ("Kunt u dit aanpassen?", "nl"),  # nothing named before
    ("Ik heb gisteren gebeld. Kunt u dat bevestigen?", "nl"),  # no action on an object
    ("We spoke on the phone. Please stop that.", "en"),  # nothing a request acts on
])
def test_an_anaphor_with_nothing_to_stand_for_asks_nothing(text: str, language: str) -> None:
    assert kinds_found(text, language) == set()


@pytest.mark.parametrize(("text", "language"), [
    ("Vergeet mij alsjeblieft.", "nl"),
    ("Please forget me.", "en"),
    ("Bitte vergessen Sie mich.", "de"),
    ("Kunnen jullie mijn telefoonnummer uit jullie systeem halen?", "nl"),
    ("Please remove my details from your database.", "en"),
])
def test_forget_me_and_out_of_your_systems_ask_for_erasure(text: str, language: str) -> None:
    assert E in kinds_found(text, language)


@pytest.mark.parametrize(("text", "at", "language", "expected"), [
    ("Als ik niets hoor, dien ik een klacht in.", 20, "nl", True),
    ("Anders dien ik een klacht in bij de toezichthouder.", 10, "nl", True),
    ("Otherwise I will lodge a complaint.", 12, "en", True),
    ("Sonst reiche ich Beschwerde ein.", 10, "de", True),
    ("Sinon je depose une plainte.", 10, "fr", True),
    ("Ik dien hierbij een klacht in.", 10, "nl", False),
])
def test_a_condition_or_an_otherwise_is_a_threat(text: str, at: int, language: str,
                                                 expected: bool) -> None:
    assert hypothetical(fold(text), at, language) is expected


def test_a_threatened_complaint_leaves_the_request_standing() -> None:
    threatened = classify(mail(
        "Geachte heer/mevrouw,\n\nIk verzoek u al mijn persoonsgegevens te verwijderen.\n\n"
        "Als ik binnen een maand niets hoor, dien ik een klacht in bij de Autoriteit "
        "Persoonsgegevens.\n\nP. de Boer", subject="Verwijderen"))
    assert E in threatened.kinds
    lodged = classify(mail(
        "Geachte heer/mevrouw,\n\nHierbij dien ik een klacht in bij de Autoriteit "
        "Persoonsgegevens over het niet verwijderen van mijn gegevens.\n\nP. de Boer",
        subject="Klacht"))
    assert E not in lodged.kinds


def test_a_chase_of_an_earlier_erasure_waits_for_a_person() -> None:
    chase = classify(mail(
        "Geachte heer/mevrouw,\n\nOp 3 maart heb ik u verzocht mijn gegevens te verwijderen. "
        "De termijn is inmiddels verstreken en ik heb niets meer van u gehoord.\n\n"
        "R. Bakker", subject="Termijn verstreken"))
    assert any("earlier request" in r for r in triage_reasons(chase))


def test_a_repeated_opt_out_is_not_held_for_a_chase() -> None:
    again = classify(mail("Herinnering: haal mij van de nieuwsbrief af.", subject="Nieuwsbrief"))
    assert U in again.kinds
    assert not any("earlier request" in r for r in triage_reasons(again))


@pytest.mark.parametrize(("text", "language", "kind"), [
    ("Ik krijg elke maand jullie papieren magazine. Graag stopzetten.", "nl", U),
    ("Ich bekomme seit Wochen SMS von Ihnen. Bitte sofort aufhoeren.", "de", U),
])
def test_an_action_of_a_few_words_takes_its_object_from_before(text: str, language: str,
                                                              kind: RequestKind) -> None:
    assert kind in kinds_found(text.replace("oe", "o"), language)


def test_a_borrowed_object_serves_only_the_action_that_lacks_it() -> None:
    """A "no" before borrowed mail words must not turn into an opt-out, nor "what you hold"
    into an access request."""
    found = kinds_found("Ik kreeg geen mail van jullie, geen ramp. Wilt u dat aanpassen?", "nl")
    assert U not in found
    assert kinds_found("Jullie hebben een foto van mij. Wilt u die verwijderen?", "nl") <= {E}


def test_an_address_in_a_sentence_does_not_part_its_words() -> None:
    assert U in kinds_found(
        "Bitte melden Sie anna.beispiel@example.org von allen Newslettern ab.", "de")


def test_a_duplicate_removed_from_a_system_is_no_erasure() -> None:
    assert E not in kinds_found(
        "Could you please delete the duplicate invoice from your system?", "en")


def test_them_and_curiosity() -> None:
    assert E in kinds_found("Jullie bewaren mijn gegevens nog steeds. Wis ze alstublieft.", "nl")
    assert RequestKind.ACCESS in kinds_found(
        "Ik ben benieuwd welke gegevens jullie over mij verzamelen.", "nl")
    assert RequestKind.ACCESS in kinds_found(
        "Jetzt wurde ich gern wissen, was ihr alles uber mich gespeichert habt.", "de")


def test_a_disclaimer_asking_to_delete_the_message_is_no_erasure() -> None:
    assert E not in kinds_found(
        "Wij verwerken uw gegevens zorgvuldig. Indien u niet de geadresseerde bent, wordt u "
        "verzocht het bericht te verwijderen.", "nl")


@pytest.mark.parametrize("footer", [
    "This e-mail may contain confidential information. If you are not the intended recipient,"
    " please notify the sender and delete it.",
    "Dit bericht is uitsluitend bestemd voor de geadresseerde en kan vertrouwelijke informatie "
    "bevatten.",
    "Diese E-Mail enthaelt vertrauliche Informationen und ist ausschliesslich fuer den "
    "Adressaten bestimmt.".replace("ae", "ä").replace("ss", "ß", 1),
    "Ce message est confidentiel et destiné exclusivement à son destinataire.",
])
def test_a_legal_footer_is_nobodys_words(footer: str) -> None:
    from mailbot.parse.quotes import own_text

    own = own_text(f"Hallo,\n\nGraag mijn nieuwsbrief stoppen.\n\nPiet Bos\n\n{footer}")
    assert "nieuwsbrief" in own.text
    assert footer[:20] not in own.text


def test_a_footer_line_alone_is_kept() -> None:
    from mailbot.parse.quotes import own_text

    text = "If you are not the intended recipient, tell me and I will correct my records."
    assert own_text(text).text == text


def test_an_order_laid_out_as_a_table_names_its_fields() -> None:
    from mailbot.classify.rules.order import field_labels

    table = ("Graag in het register opnemen.\n\nBetrokkenen\n\nDeelnemers\n\nPersoonsgegevens\n\n"
             "Naam, e-mailadres\n\nDoel\n\nRegistratie\n\nBewaartermijn\n\n3 maanden\n")
    assert len(field_labels(table)) >= 3
    assert field_labels("Doel\n\nBetrokkenen\n") == []  # labels with nothing after them
