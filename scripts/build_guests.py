"""Build ``mailbot/classify/lexicons/guests.tsv``: the nouns a sentence in nl, en, de or fr
may borrow from another of the four ("Please stop sending me de nieuwsbrief").

    .venv/bin/pip install -e '.[lexicons]'   # simplemma: a build-time dependency only
    .venv/bin/python scripts/build_guests.py

For each language, the single-word nouns of a request's object (``clauses.GUEST_CONCEPTS``)
that exactly one other of the four lists, at least ``GUEST_LENGTH`` letters long, and that
are no word of its own: not in its clause lexicon or its everyday words
(``language.common_words``), and unknown to simplemma's dictionary of it ("portable" is
English too, "abonnement" Dutch). A word two others list ("adresse") is likely the
language's own as well.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.classify.clauses import (  # noqa: E402
    GUEST_CONCEPTS,
    GUEST_LENGTH,
    GUESTS_OF,
    clause_lexicon,
)
from mailbot.classify.language import common_words  # noqa: E402

LEXICONS = ROOT / "mailbot" / "classify" / "lexicons"


def nouns(language: str) -> set[str]:
    """The single words ``language``'s clause lexicon lists under a guest concept."""
    data = tomllib.loads((LEXICONS / "clauses" / f"{language}.toml").read_text("utf-8"))
    return {entry.removeprefix("=") for concept, entries in data["concepts"].items()
            if concept in GUEST_CONCEPTS for entry in entries
            if " " not in entry.strip() and "*" not in entry}


def concepts(language: str, word: str) -> set[str]:
    """What ``word`` means to ``language``'s lexicon as it reads a text (forms included)."""
    lexicon = clause_lexicon(language)
    assert lexicon is not None
    return {e.concept for e in lexicon.entries(word)}


def build() -> list[str]:
    from simplemma import is_known

    lines = ["# language\tword\tconcepts: a noun of another language that a sentence in this "
             "one may take (scripts/build_guests.py)"]
    candidates = set().union(*(nouns(language) for language in GUESTS_OF))
    for language in GUESTS_OF:
        own = common_words(language)
        for word in sorted(candidates):
            if (len(word) < GUEST_LENGTH or not word.isalpha() or word in own
                    or concepts(language, word) or is_known(word, lang=language)):
                continue
            lent = {o: concepts(o, word) & GUEST_CONCEPTS for o in GUESTS_OF if o != language}
            lenders = [o for o, c in lent.items() if c]
            if len(lenders) == 1:
                lines.append(f"{language}\t{word}\t{','.join(sorted(lent[lenders[0]]))}")
    return lines


def main() -> None:
    lines = build()
    (LEXICONS / "guests.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {LEXICONS / 'guests.tsv'}: {len(lines) - 1} borrowed nouns")


if __name__ == "__main__":
    main()
