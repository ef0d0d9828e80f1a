"""Every official language of the EU is told (issue 13): Slovak, Lithuanian, Latvian,
Estonian, Maltese, Irish and Bulgarian, and the close pairs Slovak/Czech and
Bulgarian/Russian/Ukrainian. All people and addresses are invented."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify
from mailbot.classify.clauses import clause_lexicon
from mailbot.classify.language import detect
from mailbot.classify.normalize import casefold, fold
from mailbot.domain.kinds import RequestKind

FORMAL = [
    ("sk", "Dobrý deň,\ntýmto žiadam o prístup k mojim osobným údajom podľa článku 15 "
           "nariadenia. S pozdravom, Ján Horváth, jan.horvath@mail.example"),
    ("lt", "Laba diena,\nšiuo prašau pateikti mano asmens duomenis pagal BDAR 15 straipsnį.\n"
           "Pagarbiai, Jonas Petraitis"),
    ("lv", "Labdien,\nar šo lūdzu sniegt informāciju par maniem personas datiem saskaņā ar "
           "regulas 15. pantu.\nAr cieņu, Anna Bērziņa"),
    ("et", "Tere,\nkäesolevaga palun teavet minu isikuandmete kohta vastavalt määruse "
           "artiklile 15.\nLugupidamisega, Mari Tamm"),
    ("mt", "Għażiż Sinjur,\nb'dan qed nitlob kopja tad-data personali tiegħi skont "
           "l-artikolu 15.\nTislijiet, Marija Borg"),
    ("ga", "A chara,\niarraim leis seo cóip de mo shonraí pearsanta de réir Airteagal 15.\n"
           "Le meas, Seán Ó Briain"),
    ("bg", "Здравейте,\nс настоящото искам достъп до моите лични данни съгласно член 15.\n"  # noqa: RUF001
           "С уважение, Иван Петров"),  # noqa: RUF001
]

EVERYDAY = [
    ("sk", "Ďakujem, ale už nechcem dostávať váš newsletter."),
    ("sk", "Som ešte vo vašej databáze? Ak áno, chcem vedieť, aké údaje o mne máte."),
    ("lt", "Ačiū, bet aš nebenoriu gauti jūsų naujienlaiškio."),
    ("lt", "Prašau ištrinti mano duomenis, nes esu ne jūsų klientas."),
    ("lv", "Paldies, bet es vairs nevēlos saņemt jūsu jaunumus."),
    ("lv", "Lūdzu, izdzēsiet manus datus un kontu."),
    ("et", "Aitäh, aga ma ei soovi enam teie uudiskirja saada."),
    ("et", "Palun kustutage minu andmed ja konto."),
    ("mt", "Grazzi, imma ma rridx nibqa' nirċievi l-ittri tagħkom."),
    ("mt", "Jekk jogħġbok ħassru d-dettalji tiegħi mis-sistema tagħkom."),
    ("ga", "Go raibh maith agat, ach níl mé ag iarraidh an nuachtlitir a fháil níos mó."),
    ("ga", "Scrios mo chuntas agus mo shonraí, le do thoil."),
    ("bg", "Благодаря, но не искам повече да получавам вашия бюлетин."),
    ("bg", "Моля, изтрийте моите данни."),
]


@pytest.mark.parametrize(("lang", "text"), FORMAL, ids=[x[0] for x in FORMAL])
def test_a_formal_request_is_told(lang: str, text: str) -> None:
    assert detect(casefold(text)) == lang


@pytest.mark.parametrize(("lang", "text"), EVERYDAY,
                         ids=[f"{x[0]}-{i}" for i, x in enumerate(EVERYDAY)])
def test_an_everyday_sentence_is_told(lang: str, text: str) -> None:
    assert detect(casefold(text)) == lang


SLOVAK_CZECH = [
    ("Prosím, vymažte moje údaje, nie som váš zákazník.",
     "Prosím, smažte moje údaje, nejsem váš zákazník."),
    ("Ďakujem, chcem vedieť, ktoré údaje o mne spracúvate.",
     "Děkuji, chci vědět, které údaje o mně zpracováváte."),
    ("Dobrý deň, týmto žiadam o vymazanie mojich osobných údajov. S pozdravom, Eva Malá",
     "Dobrý den, tímto žádám o výmaz mých osobních údajů. S pozdravem, Eva Malá"),
]


@pytest.mark.parametrize(("slovak", "czech"), SLOVAK_CZECH, ids=["erase", "know", "formal"])
def test_slovak_and_czech_are_told_apart(slovak: str, czech: str) -> None:
    assert (detect(casefold(slovak)), detect(casefold(czech))) == ("sk", "cs")


NEIGHBOURS = [
    ("hr", "Poštovani, vaše pismo sa zahtjevom za pristup je stiglo, odgovorit ćemo vam uskoro."),
    ("hr", "Ako je moguće, izbrišite moj račun. Hvala!"),
    ("cs", "Už nechci dostávat vaše e-maily, děkuji."),
    ("cs", "Chtěl bych vědět, jaké údaje o mně máte."),
    ("pl", "Nie chcę już otrzymywać waszych wiadomości."),
]


@pytest.mark.parametrize(("lang", "text"), NEIGHBOURS, ids=[x[0] for x in NEIGHBOURS])
def test_slovak_words_do_not_take_its_neighbours_mail(lang: str, text: str) -> None:
    assert detect(casefold(text)) == lang


CYRILLIC = [
    ("Моля, изтрийте моите данни.", "Пожалуйста, удалите мои данные.",
     "Будь ласка, видаліть мої дані."),
    ("Здравейте, искам копие на личните си данни, които обработвате.",
     "Здравствуйте, прошу прислать копию моих персональных данных, которые вы храните.",
     "Добрий день, прошу надіслати копію моїх персональних даних, які ви зберігаєте."),
]


@pytest.mark.parametrize(("bulgarian", "russian", "ukrainian"), CYRILLIC, ids=["erase", "copy"])
def test_bulgarian_russian_and_ukrainian_are_told_apart(
        bulgarian: str, russian: str, ukrainian: str) -> None:
    found = tuple(detect(casefold(t)) for t in (bulgarian, russian, ukrainian))
    assert found == ("bg", "ru", "uk")


def test_maltese_h_with_stroke_folds_to_h() -> None:
    assert fold("Ħassru d-dettalji tiegħi") == "hassru d-dettalji tieghi"


def test_slovak_is_read_with_the_czech_clause_lexicon() -> None:
    lexicon = clause_lexicon("sk")
    assert lexicon is not None and lexicon.language == "sk"


@pytest.mark.parametrize(("subject", "body", "kind"), [
    ("Žiadosť o prístup",
     "Dobrý deň,\n\ntýmto žiadam o prístup k mojim osobným údajom podľa článku 15 GDPR. "
     "Prosím, pošlite mi kópiu všetkých údajov, ktoré o mne spracúvate.\n\n"
     "S pozdravom\nJana Kováčová", RequestKind.ACCESS),
    ("", "Dobrý deň, prosím vymažte všetky moje osobné údaje z vašej databázy. "
         "Ďakujem, Peter Novák", RequestKind.ERASURE),
], ids=["access", "erasure"])
def test_a_slovak_request_keeps_its_kind_and_its_language(
        subject: str, body: str, kind: RequestKind) -> None:
    verdict = classify(mail(body, subject, sender="jana.kovacova@mail.example", name="Jana"))
    assert verdict.language == "sk"
    assert kind in verdict.kinds


GREEKLISH = [
    "Kalimera sas, tha ithela na diagrapsete ola ta prosopika mou dedomena. Efharisto, Giorgos",
    "Kalispera, mporeite na allaxete ti dieythynsi mou? Efcharisto",
]


@pytest.mark.parametrize("text", GREEKLISH, ids=["erase", "correct"])
def test_greek_in_latin_letters_is_greek(text: str) -> None:
    assert detect(casefold(text)) == "el"


def test_greek_in_latin_letters_is_read_with_the_greek_clause_lexicon() -> None:
    verdict = classify(mail(GREEKLISH[0], sender="giorgos@mail.example", name="Giorgos"))
    assert (verdict.language, set(verdict.kinds)) == ("el", {RequestKind.ERASURE})
