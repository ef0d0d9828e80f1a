"""References to GDPR articles: "Art. 15 DSGVO", "artikel 17 AVG", "Article 21(2) GDPR"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailbot.classify.clauses import CLAUSE_LANGUAGES, article_words
from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.lexicon import lexicons
from mailbot.classify.rules.base import MEDIUM
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence
from mailbot.preload import preloaded

_ARTICLE_KINDS = {
    "15": RequestKind.ACCESS,
    "16": RequestKind.CORRECTION,
    "17": RequestKind.ERASURE,
}
# Art. 21(2)/(3) is the objection to direct marketing; 21(1) is an objection a person weighs.
_MARKETING_PARAGRAPHS = {"2", "3"}


@preloaded
def _pattern() -> re.Pattern[str]:
    words: set[str] = set()
    laws: set[str] = set()
    for lexicon in lexicons().values():
        words.update(lexicon.article_words)
        laws.update(lexicon.laws)
    # the other EU languages: "articulo 15 del RGPD", "clanku 15 Obecneho narizeni"
    for language in CLAUSE_LANGUAGES:
        more_words, more_laws = article_words(language)
        words.update(more_words)
        laws.update(more_laws)
    if any(not w.startswith(_STARTS) for w in words):
        raise ValueError(f"article words must start with one of {_STARTS}: {sorted(words)}")
    word = "|".join(sorted(words, key=len, reverse=True))
    law = "|".join(sorted((re.escape(w) for w in laws), key=len, reverse=True))
    paragraph = r"(?:lid|leden|abs\.?|absatz|paragraph|paragraphe|para\.?|al\.?|alinea|sub)"
    return re.compile(
        rf"(?:{word})\.? ?(?P<num>1[567]|21)(?![0-9])"
        rf"(?: ?\((?P<p1>\d)\)|,? {paragraph} ?(?P<p2>\d)(?![0-9]))?"
        rf"[^.\n]{{0,40}}?(?<![a-z])(?:{law})(?![a-z])"
    )


_STARTS = ("art", "cl")  # "article", "artikel", "articulo"; Czech and Croatian "clanek"


def _references(text: str) -> list[re.Match[str]]:
    """Article references; every article word starts with "art" or "cl", so look only
    there."""
    pattern = _pattern()
    found = []
    for start in _STARTS:
        pos = text.find(start)
        while pos >= 0:
            if not (pos and text[pos - 1].isalpha()):
                m = pattern.match(text, pos)
                if m:
                    found.append(m)
            pos = text.find(start, pos + len(start))
    return sorted(found, key=lambda m: m.start())


@dataclass(frozen=True, slots=True)
class ArticleReference:
    """A GDPR article named with its law speaks for the kind that article governs."""

    name: str = "article_reference"
    weight: float = field(default=MEDIUM)

    def apply(self, doc: Doc, found: Findings) -> None:
        for m in _references(doc.body):
            number = m.group("num")
            paragraph = m.group("p1") or m.group("p2")
            kind = _ARTICLE_KINDS.get(number)
            if number == "21":
                if paragraph in _MARKETING_PARAGRAPHS:
                    kind = RequestKind.UNSUBSCRIBE
                elif paragraph is None:
                    found.notes.append(Evidence(self.name, None, m.group(), 0.0))
                    continue
                else:
                    found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, m.group(), 0.0)))
                    continue
            if kind is not None:
                found.hits.append(Hit(Evidence(self.name, kind, m.group(), self.weight),
                                      at=m.start()))
