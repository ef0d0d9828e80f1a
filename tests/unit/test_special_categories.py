"""Special categories (art. 9, 10) in a person's words, per language and category; and the
idioms and look-alikes that are none."""

from __future__ import annotations

import re

import pytest

from mailbot.classify.special import Category, detect, minimise

H, R, P, E, S, T, G, C = (Category.HEALTH, Category.RELIGION, Category.POLITICAL,
                          Category.ETHNICITY, Category.SEXUAL, Category.TRADE_UNION,
                          Category.GENETIC_BIOMETRIC, Category.CRIMINAL)

FOUND = [
    # Dutch
    ("nl", "Ik heb diabetes type 1 en kan daarom niet altijd komen.", H, "diabetes type 1"),
    ("nl", "Sinds mijn burn-out werk ik minder.", H, "burn-out"),
    ("nl", "Ik ben al twee weken ziek, vandaar mijn late reactie.", H, "ziek"),
    ("nl", "Mijn moeder heeft kanker en leest uw post niet meer.", H, "kanker"),
    ("nl", "Ik lag vorige maand in het ziekenhuis.", H, "in het ziekenhuis"),
    ("nl", "Ik ben zwanger en wil geen babyreclame meer.", H, "zwanger"),
    ("nl", "Ik ben moslim en eet daarom halal.", R, "moslim"),
    ("nl", "Wij gaan elke zondag naar de kerk.", R, "naar de kerk"),
    ("nl", "Mijn geloof verbiedt dat.", R, "Mijn geloof"),
    ("nl", "Ik ben lid van GroenLinks.", P, "GroenLinks"),
    ("nl", "Ik stem al jaren op de SP.", P, "SP"),
    ("nl", "Mijn politieke voorkeur gaat u niets aan.", P, "politieke voorkeur"),
    ("nl", "Ik ben van Marokkaanse afkomst.", E, "Marokkaanse afkomst"),
    ("nl", "Ik ben homoseksueel en dat hoeft niet in jullie systeem.", S, "homoseksueel"),
    ("nl", "Ik ben non-binair.", S, "non-binair"),
    ("nl", "Ik ben lid van de FNV.", T, "FNV"),
    ("nl", "Als vakbondslid wil ik weten wat u bewaart.", T, "vakbondslid"),
    ("nl", "Verwijder de uitslag van mijn DNA-test.", G, "DNA-test"),
    ("nl", "Het tijdregistratiesysteem gebruikt mijn vingerafdruk.", G, "vingerafdruk"),
    ("nl", "Ik heb een strafblad, maar dat is twintig jaar oud.", C, "strafblad"),
    ("nl", "Mijn broer zit in een tbs-kliniek en post komt daar niet aan.", C, "tbs-kliniek"),
    ("nl", "Mijn zoon is veroordeeld voor winkeldiefstal.", C, "veroordeeld"),
    # English
    ("en", "I was signed off with burnout and take medication for anxiety.", H, "burnout"),
    ("en", "I have been ill since March.", H, "ill"),
    ("en", "My daughter is autistic.", H, "autistic"),
    ("en", "I'm pregnant, please stop the baby offers.", H, "pregnant"),
    ("en", "I am a practising Muslim.", R, "Muslim"),
    ("en", "For religious reasons I cannot attend on Saturdays.", R, "religious reasons"),
    ("en", "I am a member of the Labour Party.", P, "Labour Party"),
    ("en", "My political views are none of your business.", P, "political views"),
    ("en", "I am of Nigerian descent.", E, "of Nigerian descent"),
    ("en", "As a black woman I noticed your forms ask for skin colour.", E, "black woman"),
    ("en", "I'm gay and do not want that recorded.", S, "gay"),
    ("en", "My sexual orientation is private.", S, "sexual orientation"),
    ("en", "Since coming out as trans I use a new first name.", S, "coming out as trans"),
    ("en", "I am a trade union rep at my workplace.", T, "trade union"),
    ("en", "My union dues are paid through your payroll.", T, "union dues"),
    ("en", "Delete my DNA test results.", G, "DNA test"),
    ("en", "Your gym scanned my fingerprints at the door.", G, "my fingerprints"),
    ("en", "I have a criminal record from 2009.", C, "criminal record"),
    ("en", "My brother was in prison.", C, "prison"),
    # German
    ("de", "Ich habe Diabetes Typ 1 und brauche feste Pausen.", H, "Diabetes Typ 1"),
    ("de", "Ich bin seit Wochen krank.", H, "krank"),
    ("de", "Meine Tochter hat Krebs.", H, "Krebs"),
    ("de", "Ich bin schwanger.", H, "schwanger"),
    ("de", "Meine Tochter ist Muslima.", R, "Muslima"),
    ("de", "Ich bin aus der Kirche ausgetreten, die Kirchensteuer stimmt nicht.", R,
     "Kirchensteuer"),
    ("de", "Ich bin Mitglied der SPD.", P, "SPD"),
    ("de", "Meine politische Einstellung geht Sie nichts an.", P, "politische Einstellung"),
    ("de", "Ich bin türkischer Herkunft.", E, "türkischer Herkunft"),
    ("de", "Ich bin schwul.", S, "schwul"),
    ("de", "Ich bin Mitglied bei ver.di.", T, "ver.di"),
    ("de", "Die Gewerkschaft hat mir geraten, Ihnen zu schreiben.", T, "Gewerkschaft"),
    ("de", "Bitte löschen Sie meinen Fingerabdruck aus dem Zeiterfassungssystem.", G,
     "Fingerabdruck"),
    ("de", "Ich bin vorbestraft.", C, "vorbestraft"),
    ("de", "Er wurde zu einer Geldstrafe verurteilt.", C, "wurde zu einer Geldstrafe verurteilt"),
    # French
    ("fr", "Je suis diabétique.", H, "diabétique"),
    ("fr", "Je suis malade depuis un mois.", H, "malade"),
    ("fr", "J'ai une reconnaissance de travailleur handicapé (RQTH).", H, "handicapé"),
    ("fr", "Je suis enceinte de cinq mois.", H, "enceinte"),
    ("fr", "Je suis musulmane pratiquante.", R, "musulmane"),
    ("fr", "Je vais à la mosquée le vendredi.", R, "à la mosquée"),
    ("fr", "Je suis membre du Parti socialiste.", P, "Parti socialiste"),
    ("fr", "Mes opinions politiques ne vous regardent pas.", P, "opinions politiques"),
    ("fr", "Je suis d'origine algérienne.", E, "d'origine algérienne"),
    ("fr", "Je suis lesbienne.", S, "lesbienne"),
    ("fr", "Je suis syndiqué à la CGT.", T, "syndiqué"),
    ("fr", "Vos bornes utilisent la reconnaissance faciale.", G, "reconnaissance faciale"),
    ("fr", "J'ai un casier judiciaire.", C, "casier judiciaire"),
    ("fr", "Il a été condamné en 2015.", C, "été condamné"),
]


@pytest.mark.parametrize(("language", "text", "category", "passage"), FOUND,
                         ids=[f"{c[0]}-{c[2].value}-{i}" for i, c in enumerate(FOUND)])
def test_found(language: str, text: str, category: Category, passage: str) -> None:
    detection = detect(text)

    assert category in detection.categories, detection.as_dict()
    finding = next(f for f in detection.findings if f.category is category)
    assert text[finding.start:finding.end] == finding.text
    assert passage in finding.phrase or finding.text in passage
    left = re.sub(r"\[[^\]]*\]", "", detection.minimised(language))
    assert finding.text not in left


NOT_FOUND = [
    # Idioms and words that only look like special data.
    "Ik word ziek van jullie mails.",
    "Ik ben ziek van die nieuwsbrief, haal me eraf.",
    "Krijg de kanker met je spam.",
    "I'm sick of your newsletter.",
    "I am sick and tired of these calls.",
    "This makes me sick.",
    "I religiously read your blog.",
    "Which third parties receive my data?",
    "I disabled the notifications but the mails keep coming.",
    "My card was charged with the wrong amount.",
    "I am a doctor and use your app at work.",
    "Emails of unknown origin keep arriving.",
    "Privacy is in our DNA, your newsletter says.",
    "Your PGP key fingerprint: 3AA5 C343 7136 7E1A",
    "Stop browser fingerprinting me.",
    "Ich möchte nicht Partei ergreifen.",
    "Welche Dritte Partei bekommt meine Daten?",
    "Das macht mich krank.",
    "Bitte nennen Sie die Herkunft der Daten.",
    "Ich widerrufe meine Einwilligung; der Entzug gilt ab heute.",
    "Das ist leider nicht ganz orthodox.",
    "Lisez notre politique de confidentialité.",
    "Vos mails me rendent malade.",
    "Le syndicat de copropriété a mon adresse.",
    "C'est dans notre ADN.",
    "Message d'origine: voir ci-dessous.",
    "Je condamne ces pratiques.",
    "Ik wil inzage in welke partijen mijn gegevens krijgen.",
    "Andere partijen: weet ik niet.",
    "Ik woon in de Kerkstraat 12.",
    "Op al onze werkzaamheden zijn de AVC 2002 van toepassing.",
    "Ik wil beperking van de verwerking.",
    "Mijn verzoek is verdachte inlogpoging gerelateerd.",
    "Deze mail lijkt verdacht, klopt hij?",
    "Ik geloof dat u mijn adres nog heeft.",
    "I am a member of the loyalty programme.",
    "Mijn dochter is lid van de MR op school.",
    "The Ni in my surname is coming out as \"Nl\" on the last bill.",
    "Sie hat als Beispiel Ihre Webseite genommen.",
    "Graag de meetdata van de pilot TBS verwijderen.",
]


@pytest.mark.parametrize("text", NOT_FOUND)
def test_not_found(text: str) -> None:
    detection = detect(text)

    assert not detection.flagged, detection.as_dict()
    assert detection.minimised("en") == text


def test_a_mail_with_illness_party_and_religion_is_flagged_and_minimised() -> None:
    text = ("Beste privacyteam,\n\nIk heb sinds vorig jaar kanker, ik ben lid van de "
            "ChristenUnie en ik ben katholiek. Stuur mij een overzicht van mijn gegevens.\n"
            "\nMet vriendelijke groet,\nAnna de Vries")

    detection = detect(text)

    assert detection.categories == (H, R, P)
    assert detection.minimised("nl") == (
        "Beste privacyteam,\n\nIk heb sinds vorig jaar [gezondheid], ik ben lid van de "
        "[politieke voorkeur] en ik ben [levensovertuiging]. Stuur mij een overzicht van "
        "mijn gegevens.\n\nMet vriendelijke groet,\nAnna de Vries")


@pytest.mark.parametrize(("language", "marker"), [
    ("nl", "[gezondheid]"), ("en", "[health]"), ("de", "[Gesundheit]"), ("fr", "[santé]"),
    ("it", "[health]"),  # a language without markers of its own: English
])
def test_markers_are_in_the_mails_language(language: str, marker: str) -> None:
    assert detect("I have diabetes.").minimised(language) == f"I have {marker}."


def test_spans_are_in_the_original_text_whatever_its_accents_and_spacing() -> None:
    text = "Je   suis\u00a0DIABÉTIQUE\r\n et j'ai été condamné."

    detection = detect(text)

    assert [f.text for f in detection.findings] == ["DIABÉTIQUE", "été condamné"]
    assert detection.minimised("fr") == ("Je   suis\u00a0[santé]\r\n et j'ai "
                                         "[données pénales].")


def test_minimise_keeps_findings_from_an_earlier_detection() -> None:
    text = "Ich bin Mitglied der SPD und habe Diabetes."
    findings = detect(text).findings

    assert minimise(text, findings, "de") == (
        "Ich bin Mitglied der [politische Meinung] und habe [Gesundheit].")


def test_the_record_for_staff_names_categories_and_passages() -> None:
    record = detect("I'm gay.").as_dict()

    assert record == {"categories": ["sexual"], "findings": [{
        "category": "sexual", "start": 4, "end": 7, "text": "gay", "phrase": "gay",
        "rule": "en:sexual"}]}


def test_languages_can_be_narrowed() -> None:
    text = "Ik ben katholiek."

    assert detect(text, languages=("nl",)).categories == (R,)
    assert detect(text, languages=("en",)).categories == ()


def test_empty_and_strange_text() -> None:
    for text in ("", "   \n\n  ", "\x00\ufeff", "😀 " * 1000, "ß" * 50):
        detection = detect(text)
        assert not detection.flagged
        assert detection.minimised("nl") == text
