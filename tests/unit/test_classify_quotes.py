"""The sender's own words: quoted history and signatures are cut off."""

from __future__ import annotations

import pytest

from mailbot.parse.quotes import own_text

QUOTED = [
    ("gmail en", "Hello\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <x@example.com> wrote:\n\n> Hi"),
    ("wrapped en", "Hello\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan <x@example.com>\nwrote:\n\nHi"),
    ("nl", "Hello\n\nOp ma 3 jun. 2024 om 09:00 schreef Nieuwsbrief <n@example.test>:\nHi"),
    ("nl outlook style", "Hello\n\nJan <jan@example.org> schreef op 3 juni 2024 09:00:\nHi"),
    ("de", "Hello\n\nAm 03.06.2024 um 09:00 schrieb Jan Muster <jan@example.org>:\nHi"),
    ("fr", "Hello\n\nLe lun. 3 juin 2024 à 09:00, Jan <jan@example.org> a écrit :\nHi"),
    ("outlook en", "Hello\n\n-----Original Message-----\nFrom: bob\nSent: Monday\n\nHi"),
    ("outlook de", "Hello\n\n-----Ursprüngliche Nachricht-----\nVon: bob\nGesendet: Montag\n\nHi"),
    ("outlook fr", "Hello\n\n-----Message d'origine-----\nDe : bob\nEnvoyé : lundi\n\nHi"),
    ("outlook block nl", "Hello\n\nVan: Privacy <p@example.test>\nVerzonden: maandag 3 juni\n"
                         "Aan: Eva\nOnderwerp: Uw verzoek\n\nHi"),
    ("outlook block fr", "Hello\n\nDe : Privacy <p@example.test>\nEnvoyé : lundi 3 juin\n"
                         "À : Eva\nObjet : Votre demande\n\nHi"),
    ("underscores", "Hello\n\n________________________________\nFrom: bob\nSent: Monday\n\nHi"),
    ("forward", "Hello\n\n---------- Forwarded message ---------\nFrom: bob\n\nHi"),
]


@pytest.mark.parametrize(("name", "body"), QUOTED, ids=[q[0] for q in QUOTED])
def test_history_is_cut(name: str, body: str) -> None:
    own = own_text(body)
    assert own.text == "Hello"
    assert own.cut_at


def test_quote_lines_are_dropped_and_own_text_around_them_kept() -> None:
    own = own_text("Yes please.\n> Do you want us to delete your data?\nAnd unsubscribe me.")
    assert own.text == "Yes please.\nAnd unsubscribe me."
    assert own.quoted_lines == 1


def test_signature_delimiter_cuts_the_rest() -> None:
    own = own_text("Delete my account.\n-- \nJan\nThis mail is confidential; delete it.")
    assert own.text == "Delete my account."
    assert own.signature


@pytest.mark.parametrize("line", ["Sent from my iPhone", "Verzonden vanaf mijn iPhone",
                                  "Von meinem iPhone gesendet", "Envoyé de mon iPhone"])
def test_sent_from_lines_are_dropped(line: str) -> None:
    assert own_text(f"Afmelden graag\n\n{line}").text == "Afmelden graag"


def test_closing_salutation_and_short_signature_are_dropped() -> None:
    own = own_text("Verwijder mijn account.\n\nMet vriendelijke groet,\nJan de Boer\n06-12345678")
    assert own.text == "Verwijder mijn account."
    assert own.signature


def test_salutation_followed_by_more_text_is_kept() -> None:
    body = ("Verwijder mijn account.\n\nGroet,\nJan\n\nPS: en haal me ook van de mailinglijst, "
            "want ik krijg elke week mails van jullie en dat wil ik niet meer.")
    assert own_text(body).text == body


def test_a_line_that_only_mentions_wrote_is_kept() -> None:
    body = "I wrote to you last week:\nplease delete my account."
    assert own_text(body).text == body


def test_greeting_line_before_a_header_is_kept() -> None:
    body = "Hello\n02.04.2012 14:20 пользователь bob <bob@example.com> написал:\n\n> Hi"
    assert own_text(body).text == "Hello"


def test_first_line_from_without_headers_is_own_text() -> None:
    body = "From: the shop I bought from last year I keep getting mail.\nPlease stop."
    assert own_text(body).text == body


def test_header_wrapped_after_a_date_is_cut() -> None:
    body = ('Hello\n02.04.2012 14:20 пользователь "bob@example.com" <\nbob@example.com> '
            "написал:\n\n> Hi")
    assert own_text(body).text == "Hello"


def test_reply_below_the_quote_is_read() -> None:
    body = "On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi\n\nPlease delete my account."
    own = own_text(body)
    assert own.text == "Please delete my account."
    assert own.cut_at == "On 04/02/2012 06:26 PM, Megan One wrote:"


@pytest.mark.parametrize("closing", ["Thanks,", "Many thanks!", "Thank you in advance,",
                                     "Alvast bedankt,", "Dank u wel.", "Vielen Dank,",
                                     "Danke schön", "Merci d'avance,"])
def test_thanks_as_a_closing_and_the_signature_under_it_are_dropped(closing: str) -> None:
    own = own_text(f"Graag mijn adres aanpassen naar Dorpsstraat 1.\n\n{closing}\nDana Ortiz\n"
                   "Data Protection Lead\n+31 20 000 0000")
    assert own.text == "Graag mijn adres aanpassen naar Dorpsstraat 1."
    assert own.signature


def test_thanks_in_a_sentence_is_the_writers_text() -> None:
    body = "Bedankt voor het snelle antwoord.\nWilt u nu ook mijn account verwijderen?"
    assert own_text(body).text == body


def test_a_disclaimer_after_a_sentence_on_the_same_line_is_cut() -> None:
    own = own_text("Wij beëindigen de opdracht per 15 november.\n\nClient Two Ltd is registered "
                   "in England and Wales. This e-mail may contain confidential information. "
                   "If you are not the intended recipient, please delete it.")
    assert own.text == "Wij beëindigen de opdracht per 15 november."
    assert own.signature


@pytest.mark.parametrize("footer", [
    "De informatie in dit e-mailbericht is vertrouwelijk. Wij verzoeken u dit bericht te "
    "vernietigen als het niet voor u bestemd is.",
    "The information contained in this email is confidential. Please destroy it if you are not "
    "its addressee.",
    "Les informations contenues dans ce message sont confidentielles. Merci de le détruire.",
])
def test_a_confidentiality_footer_opening_with_the_information_is_cut(footer: str) -> None:
    own = own_text(f"Bijgaand de getekende offerte.\n\nSam de Vries\nInkoop\n\n{footer}")
    assert "offerte" in own.text
    assert "vertrouwelijk" not in own.text and "confidenti" not in own.text


@pytest.mark.parametrize("header", [
    "Op 11 jun 2026, om 15:40 heeft Sanne Verbeek <privacy@podiumpas.test> het volgende\n"
    "geschreven:",
    "Op 11 jun 2026, om 15:40 heeft Sanne Verbeek <privacy@podiumpas.test> het volgende "
    "geschreven:",
    "Am 11.06.2026 um 15:40 hat Sanne Verbeek <privacy@podiumpas.test> geschrieben:",
])
def test_a_reply_below_an_apple_mail_style_header_keeps_only_the_reply(header: str) -> None:
    own = own_text(f"{header}\n\n> Beste heer,\n>\n> Wilt u bevestigen?\n\nJa, akkoord.\n")
    assert own.text == "Ja, akkoord."
    assert own.quoted_lines == 3
