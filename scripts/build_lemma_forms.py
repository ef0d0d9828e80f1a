"""Build ``mailbot/classify/lexicons/forms/<lang>.tsv``: every inflected form of the words the
clause lexicons name, mapped to its lemma, from simplemma's dictionaries.

    .venv/bin/pip install -e '.[lexicons]'   # simplemma: a build-time dependency only
    .venv/bin/python scripts/build_lemma_forms.py

At run time mailbot reads the small tables and needs no lemmatiser: a word not in a table
stands for itself. Forms and lemmas are folded like the text they are matched against
(lower case, accents removed; Greek transliterated by ``normalize.fold``).
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.classify.lexicon import words  # noqa: E402
from mailbot.classify.normalize import fold  # noqa: E402

LEXICONS = ROOT / "mailbot" / "classify" / "lexicons"
# simplemma's name for a language, where it differs.
SIMPLEMMA = {"hr": "hbs"}
# Languages simplemma has no dictionary for (Maltese).
NO_DICTIONARY = frozenset({"mt"})
# Concepts of function words: listed in full in the lexicons, never expanded (simplemma maps
# French "je" to "me" and "a" to "avoir").
CLOSED = frozenset({"me", "neg", "qword", "about_me", "everything", "nomore", "inability",
                    "i_send", "need", "their", "self", "reader_offer", "you",
                    "track", "tracked"})
MIN_FORM = 3
# Forms that are far more often another word: Spanish and Portuguese "para" is the
# preposition "for", not a form of "parar" (to stop).
AS_WRITTEN = {"es": frozenset({"para"}), "pt": frozenset({"para"})}


def lexicon_words(language: str) -> set[str]:
    data = tomllib.loads((LEXICONS / "clauses" / f"{language}.toml").read_text("utf-8"))
    found: set[str] = set()
    for concept, entries in data["concepts"].items():
        if concept in CLOSED:
            continue
        for entry in entries:
            for raw in entry.replace(" ... ", " ").split():
                if not raw.startswith("*") and not raw.endswith("*"):
                    found.update(words(fold(raw)))
    return found


def build(language: str) -> int:
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    wanted = lexicon_words(language)
    dictionary = DefaultDictionaryFactory().get_dictionary(SIMPLEMMA.get(language, language))
    table: dict[str, str] = {}
    for form, lemma in dictionary.items():
        lemma = lemma.decode("utf-8") if isinstance(lemma, bytes) else lemma
        folded_lemma = " ".join(words(fold(lemma)))
        if folded_lemma not in wanted:
            continue
        folded_form = " ".join(words(fold(form)))
        if (len(folded_form) >= MIN_FORM and " " not in folded_form
                and folded_form != folded_lemma
                and folded_form not in AS_WRITTEN.get(language, ())):
            # A form of two lexicon words keeps the first lemma seen in a stable order.
            table.setdefault(folded_form, folded_lemma)
    out = LEXICONS / "forms" / f"{language}.tsv"
    out.parent.mkdir(exist_ok=True)
    lines = [f"# forms of the {language} clause lexicon's words -> lemma "
             "(scripts/build_lemma_forms.py, from simplemma)"]
    lines += [f"{form}\t{lemma}" for form, lemma in sorted(table.items())]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(table)


def main() -> None:
    for path in sorted((LEXICONS / "clauses").glob("*.toml")):
        if path.stem == "frames":
            continue
        if path.stem in NO_DICTIONARY:
            print(f"{path.stem}: no simplemma dictionary; its words stand as written")
            continue
        print(f"{path.stem}: {build(path.stem)} forms")


if __name__ == "__main__":
    main()
