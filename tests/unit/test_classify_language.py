"""The language detector on two-line mails, longer letters and other scripts."""

from __future__ import annotations

import pytest

from mailbot.classify.language import detect
from mailbot.classify.normalize import casefold

SHORT = [
    ("nl", "welke gegevens hebben jullie van mij?"),
    ("nl", "mijn adres is veranderd"),
    ("nl", "bel me niet meer"),
    ("nl", "Graag afmelden, bedankt!"),
    ("nl", "Kunnen jullie mijn account verwijderen? Groetjes"),
    ("en", "Please delete my account, thanks."),
    ("en", "What data do you have about me?"),
    ("en", "thanks!"),
    ("de", "Auskunft nach Art. 15"),
    ("de", "Bitte löschen Sie mein Konto."),
    ("de", "Ich möchte keine Werbung mehr."),
    ("fr", "je demande l'effacement"),
    ("fr", "Merci de me désabonner."),
    ("fr", "Quelles données avez-vous sur moi ?"),
    ("it", "Vorrei sapere quali dati avete su di me."),
    ("es", "Quiero borrar mis datos, gracias."),
    ("pt", "Gostaria de saber quais dados vocês têm sobre mim."),
    ("cs", "Dobrý den, žádám o výmaz mých údajů."),
    ("hr", "Poštovani, molim vas da izbrišete moje podatke."),
    ("pl", "Dzień dobry, proszę o usunięcie moich danych."),
    ("sv", "Hej, jag vill att ni tar bort mina uppgifter."),
    ("da", "Hej, jeg vil gerne have mine oplysninger slettet."),
    ("el", "Γεια σας, διαγράψτε τα δεδομένα μου."),
    ("ru", "Здравствуйте, удалите мои данные."),
    ("ja", "私のデータを削除してください。"),
    ("zh", "请删除我的个人数据。"),
    ("ko", "제 개인 정보를 삭제해 주세요."),
]


@pytest.mark.parametrize(("lang", "text"), SHORT, ids=[f"{x[0]}-{x[1][:20]}" for x in SHORT])
def test_two_line_mails(lang: str, text: str) -> None:
    assert detect(casefold(text)) == lang


def test_nothing_to_tell_is_und() -> None:
    assert detect(casefold("12345 !!!")) == "und"
    assert detect("") == "und"


def test_hint_from_a_lexicon_match_decides_a_bare_keyword() -> None:
    assert detect(casefold("Afmelden"), hints=["nl"]) == "nl"


def test_dutch_beats_german_on_shared_words() -> None:
    assert detect(casefold("Ik wil graag weten wat jullie van mij hebben, dank je wel.")) == "nl"
    assert detect(casefold("Ich möchte gern wissen, was Sie von mir haben, danke.")) == "de"


def test_latin_words_in_a_chinese_mail_do_not_hide_its_language() -> None:
    text = "全新原装进口，送货上门，货到付款。 IBM T23 notebook 1500"  # noqa: RUF001
    assert detect(casefold(text)) == "zh"
