"""Round twenty-six of issue 13: a mailing moved from an old address or number is no
opt-out, and what an optician chain's mail showed."""

from __future__ import annotations

import pytest
from test_classify_support import U, acted, mail

from mailbot.classify import classify


@pytest.mark.parametrize("body", [
    "Bitte schicken Sie den Newsletter nicht mehr an meine alte Adresse, sondern ab sofort an "
    "k.maier@example.org.",
    "Ik wil de nieuwsbrief niet meer op mijn oude adres ontvangen, stuur hem voortaan naar "
    "anna.smit@example.org.",
    "Merci de ne plus envoyer la newsletter à mon ancienne adresse mais à "
    "claire.dubois@example.org.",
    "Stuur de sms-berichten niet meer naar mijn oude nummer 06 39 98 11 22 maar naar "
    "06 39 98 33 44.",
    "Bitte keine SMS mehr an meine alte Nummer, sondern an 06 39 98 44 55.",
    "The old number (07700 900219) is blocked now, so please don't send any texts to it any "
    "more.",
])
def test_a_mailing_moved_from_an_old_address_is_no_opt_out(body: str) -> None:
    assert U not in classify(mail(body)).kinds
    assert U not in acted(body)


@pytest.mark.parametrize("body", [
    "Ik wil geen nieuwsbrief meer ontvangen, ook niet op mijn oude adres.",
    "Geen reclame meer graag, niet op het nieuwe en niet op het oude adres.",
    "En stuur op het nieuwe adres alsjeblieft geen folders meer, daar zaten we op het oude "
    "adres ook al niet op te wachten.",
])
def test_an_opt_out_that_also_names_the_old_address_stands(body: str) -> None:
    assert U in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Ik krijg geen mail met de link. Ook niet in de spam.",
    "The reset link never came, and there's nothing in my spam folder either.",
    "Der Link kam nicht an, auch nicht im Spam-Ordner.",
    "Je n'ai pas reçu le lien, même pas dans les spams.",
])
def test_where_mail_lands_is_no_mailing(body: str) -> None:
    assert U not in classify(mail(body)).kinds


@pytest.mark.parametrize("body", [
    "Stop met die spam, ik wil geen mails meer van jullie.",
    "Please stop the spam, I don't want any more e-mails from you.",
])
def test_spam_itself_is_still_a_mailing(body: str) -> None:
    assert U in classify(mail(body)).kinds
