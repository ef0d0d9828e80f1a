"""Which purposes an objection names, in the four languages mailbot answers in."""

from __future__ import annotations

import pytest

from mailbot.handle.extract.purposes import ALL_MARKETING, Purpose, find_purposes

C, E, S, ST, A = (Purpose.CONTENT_MAILINGS, Purpose.EVENT_MAILINGS, Purpose.SALES_CALLS,
                  Purpose.STATISTICS, Purpose.AD_NETWORKS)


@pytest.mark.parametrize(("text", "expected"), [
    # Dutch
    ("Haal me van de nieuwsbrief en bel me niet meer", {C, S}),
    ("Haal mij alstublieft van jullie mailinglijst.", {C}),
    ("Ik wil geen uitnodigingen meer voor evenementen.", {E}),
    ("Bel me niet meer!", {S}),
    ("Geen cookies en geen statistieken meer graag.", {ST}),
    ("Ik maak bezwaar tegen het delen van mijn gegevens met advertentienetwerken.", {A}),
    ("Geen reclame per mail meer a.u.b.", {C}),
    ("Ik wil geen e-mails meer van jullie ontvangen.", {C, E}),
    ("Ik lees de nieuwsbrief graag, maar bel me niet meer.", {S}),
    ("Meld me af voor alles behalve de nieuwsbrief.", {E, S, A}),
    ("Meld me af.", set(ALL_MARKETING)),
    ("Ik wil geen reclame meer ontvangen.", set(ALL_MARKETING)),
    ("Geen reclame meer, en ook geen cookies.", {*ALL_MARKETING, ST}),
    # English
    ("Please remove me from your newsletter and stop calling me.", {C, S}),
    ("No more invitations to your webinars please.", {E}),
    ("Stop tracking me with cookies and analytics.", {ST}),
    ("I object to targeted ads and to sharing my data with advertising networks.", {A}),
    ("My phone number is 0612345678; unsubscribe me from the newsletter.", {C}),
    ("I enjoy the newsletter, but please don't phone me again.", {S}),
    ("Unsubscribe me.", set(ALL_MARKETING)),
    ("Stop all marketing.", set(ALL_MARKETING)),
    # German
    ("Bitte streichen Sie mich aus dem Newsletter und rufen Sie mich nicht mehr an.", {C, S}),
    ("Keine Einladungen zu Veranstaltungen mehr.", {E}),
    ("Ich widerspreche der Webanalyse und den Cookies.", {ST}),
    ("Keine personalisierte Werbung über Werbenetzwerke.", {A}),
    ("Ich möchte keine Werbung mehr.", set(ALL_MARKETING)),
    # French
    ("Merci de me désinscrire de la newsletter et de ne plus m'appeler.", {C, S}),
    ("Je ne veux plus recevoir d'invitations à vos événements.", {E}),
    ("Je refuse les cookies de mesure d'audience.", {ST}),
    ("Je m'oppose à la publicité ciblée et aux régies publicitaires.", {A}),
    ("Je ne veux plus de publicité.", set(ALL_MARKETING)),
])
def test_purposes_named(text: str, expected: set[Purpose]) -> None:
    assert set(find_purposes(text).purposes) == expected


def test_nothing_named_means_all_marketing_but_not_statistics() -> None:
    finding = find_purposes("Graag afmelden.")
    assert finding.general
    assert finding.purposes == ALL_MARKETING
    assert ST not in finding.purposes


def test_the_words_that_named_each_purpose_are_kept_as_evidence() -> None:
    finding = find_purposes("Haal me van de nieuwsbrief en bel me niet meer")
    assert not finding.general
    assert finding.named == {"content_mailings": "nieuwsbrief", "sales_calls": "bel me"}


def test_what_the_person_keeps_is_reported_and_left_out() -> None:
    finding = find_purposes("Ik lees de nieuwsbrief graag, maar meld me af voor de rest.")
    assert finding.kept == (C,)
    assert set(finding.purposes) == {E, S, A}


def test_result_follows_the_fixed_purpose_order() -> None:
    finding = find_purposes("Geen cookies, bel me niet, geen nieuwsbrief")
    assert finding.purposes == (C, S, ST)
