"""simplemma (lemmas) against snowballstemmer (stems), on the development part's own text.

    .venv/bin/pip install -e '.[lexicons]' && .venv/bin/python bench/stemmers.py

Both are asked to map the forms a request is written in onto one key. Measured per
language (nl, en, de, fr):

- *families*: inflected and derived forms that must share a key for clause matching to work
  ("verwijder", "verwijderd", "verwijderen", ...): the share of forms that land on the family's
  most common key;
- *false merges*: pairs of words of different meaning that must not share a key
  ("gegevens"/"geven", "wijzigen"/"wijzen", ...);
- *vocabulary*: distinct word forms in the development part's request mails, and distinct
  keys after normalising (fewer keys = more conflation, good only without false merges);
- *speed*: words per second, as called, over those mails' words.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from corpus import DEV, load_rows

from mailbot.classify.lexicon import words
from mailbot.classify.normalize import casefold
from mailbot.parse import parse
from mailbot.parse.quotes import own_text

FAMILIES = {
    "nl": [
        "verwijder verwijderen verwijderd verwijdert verwijderde",
        "wis wissen gewist wist",
        "afmelden afgemeld meld afmeldt",
        "uitschrijven uitgeschreven schrijf",
        "bel bellen gebeld belt belde",
        "wijzig wijzigen gewijzigd wijzigt",
        "verander veranderen veranderd verandert",
        "pas aanpassen aangepast",
        "klopt kloppen klopte",
        "verhuisd verhuizen verhuis",
        "nieuwsbrief nieuwsbrieven",
        "gegevens persoonsgegevens",
        "ontvang ontvangen ontvangt",
        "intrekken ingetrokken trek",
        "stuur sturen gestuurd stuurt",
    ],
    "en": [
        "delete deleted deleting deletes",
        "erase erased erasing",
        "remove removed removing",
        "unsubscribe unsubscribed unsubscribing",
        "call calls called calling",
        "change changed changing changes",
        "update updated updating",
        "correct corrected correcting",
        "email emails emailed",
        "newsletter newsletters",
        "move moved moving",
        "send sent sending",
        "stop stopped stopping",
    ],
    "de": [
        "löschen gelöscht lösche löscht",
        "abmelden abgemeldet melde",
        "austragen ausgetragen trage",
        "anrufen angerufen rufe",
        "ändern geändert ändere",
        "berichtigen berichtigt berichtige",
        "speichern gespeichert speichert",
        "schicken geschickt schicke",
        "erhalten erhalte erhält",
        "umziehen umgezogen",
        "daten",
    ],
    "fr": [
        "supprimer supprimé supprimez supprimées supprime",
        "effacer effacé effacées effacez",
        "désabonner désabonné désabonnez",
        "désinscrire désinscrit désinscrivez",
        "modifier modifié modifiez",
        "corriger corrigé corrigez",
        "recevoir reçois reçu recevez",
        "envoyer envoyé envoyez envoie",
        "appeler appelé appelez appels",
        "donnée données",
    ],
}
FALSE_MERGES = {
    "nl": [("gegevens", "geven"), ("wijzigen", "wijzen"), ("post", "posten"),
           ("wissen", "wisselen"), ("bezwaar", "bezwaard")],
    "en": [("data", "date"), ("news", "new"), ("general", "generous"), ("address", "addressee")],
    "de": [("ändern", "andern"), ("daten", "datum"), ("wissen", "wissenschaft"),
           ("post", "posten")],
    "fr": [("données", "donner"), ("compte", "compter"), ("nom", "nommer"),
           ("suppression", "supprimer")],
}
SNOWBALL = {"nl": "dutch", "en": "english", "de": "german", "fr": "french"}


def normalisers() -> dict[str, Callable[[str, str], str]]:
    import simplemma
    import snowballstemmer

    stemmers = {lang: snowballstemmer.stemmer(name) for lang, name in SNOWBALL.items()}
    return {
        "simplemma": lambda w, lang: simplemma.lemmatize(w, lang=lang).casefold(),
        "snowballstemmer": lambda w, lang: stemmers[lang].stemWord(w),
    }


def corpus_words() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {lang: [] for lang in SNOWBALL}
    for row in load_rows():
        if row.part != DEV or row.language not in found or not row.is_request:
            continue
        if row.path.suffix != ".eml":
            text = row.path.read_text("utf-8")
        else:
            mail = parse(row.path.read_bytes())
            text = getattr(mail, "text", "")
        found[row.language].extend(words(casefold(own_text(text).text)))
    return found


def main() -> None:
    texts = corpus_words()
    for name, key in normalisers().items():
        print(f"\n{name}")
        total_right = total_forms = total_merges = total_pairs = 0
        for lang in SNOWBALL:
            right = forms = 0
            for family in FAMILIES[lang]:
                members = family.split()
                keys = Counter(key(w, lang) for w in members)
                right += keys.most_common(1)[0][1]
                forms += len(members)
            merged = [f"{a}/{b}" for a, b in FALSE_MERGES[lang] if key(a, lang) == key(b, lang)]
            merges = len(merged)
            vocabulary = set(texts[lang])
            keys_of = {key(w, lang) for w in vocabulary}
            start = time.perf_counter()
            for w in texts[lang]:
                key(w, lang)
            took = time.perf_counter() - start
            print(f"  {lang}: families {right}/{forms} forms on one key; false merges "
                  f"{merges}/{len(FALSE_MERGES[lang])} {merged}; vocabulary "
                  f"{len(vocabulary)} forms -> {len(keys_of)} keys; "
                  f"{len(texts[lang]) / took:,.0f} words/s as called")
            total_right += right
            total_forms += forms
            total_merges += merges
            total_pairs += len(FALSE_MERGES[lang])
        print(f"  all: families {total_right}/{total_forms}, false merges "
              f"{total_merges}/{total_pairs}")


if __name__ == "__main__":
    main()
