"""References to GDPR articles: "Art. 15 DSGVO", "artikel 17 AVG", "Article 21(2) GDPR",
"a GDPR 17. cikke", "tietosuoja-asetuksen 15 artiklan", "VDAR 15. pants"."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailbot.classify.clauses import CLAUSE_LANGUAGES, article_table, article_words
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
_NUMBERS = ("15", "16", "17", "21")
_LAW_BEFORE = 30  # characters between a law named first and its article ("VDAR 15. pants")
_START = 3  # the letters an article word is looked for by ("art", "cl", "air", "chl")
# A paragraph named after the article: "lid 2", "Abs. 3", "loige 2" (Estonian) ...
_PARAGRAPH = (r"(?:lid|leden|abs\.?|absatz|paragraph|paragraphe|para\.?|al\.?|alinea|sub"
              r"|loige|loike)")
# ... or with its number first, as the languages that number articles so write it:
# "21 artiklan 2 kohdan", "21 straipsnio 2 dalis", "21. panta 2. punkts".
_NUMBERED_PARAGRAPH = r"(?:kohd\w*|kohta|bekezdes\w*|odstav\w*|punkt\w*|dal\w*|loig\w*|loik\w*)"


@dataclass(frozen=True, slots=True)
class _Reference:
    start: int  # where the reference (its law, when named first) starts
    at: int  # where the article starts
    text: str
    number: str
    paragraph: str | None


@dataclass(frozen=True, slots=True)
class _Patterns:
    starts: tuple[str, ...]  # the first letters of the article words
    word_first: re.Pattern[str]  # "art. 15 ... DSGVO", "airteagal 17 den RGCS"
    numbered: re.Pattern[str] | None  # "17. cikke", "15 artiklan", "17. clenom"
    law_after: re.Pattern[str]  # the law after the article, within a few words
    law_before: re.Pattern[str]  # the law just before it ("a GDPR 17. cikke")
    # the article words (or numbered words) a law may stand before: those of the languages
    # that name the law first
    law_first: re.Pattern[str] | None


def _alternation(words: set[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@preloaded
def _patterns() -> _Patterns:
    words: set[str] = set()
    laws: set[str] = set()
    numbered: set[str] = set()
    law_first: set[str] = set()
    for lexicon in lexicons().values():
        words.update(lexicon.article_words)
        laws.update(lexicon.laws)
    # the other EU languages: "articulo 15 del RGPD", "clanku 15 Obecneho narizeni"; and the
    # ones that put the number first ("17. cikke") or the law first ("VDAR 15. pants")
    for language in CLAUSE_LANGUAGES:
        more_words, more_laws = article_words(language)
        words.update(more_words)
        laws.update(more_laws)
        table = article_table(language)
        numbered.update(table.get("numbered", ()))
        if table.get("law_first"):
            law_first.update(more_words)
            law_first.update(table.get("numbered", ()))
    starts = set()
    for word in words:
        lead = re.match(r"[a-z]+", word)
        if lead is None or len(lead.group()) < 2:
            raise ValueError(f"an article word must start with two letters: {word!r}")
        starts.add(lead.group()[:_START])
    # one start for "cl", "clanku" and "clen": the shortest finds them all
    starts = {s for s in starts if not any(o != s and s.startswith(o) for o in starts)}
    law = _alternation({re.escape(w) for w in laws})
    number = r"(?P<num>1[567]|21)(?![0-9])"
    after_number = (rf"(?: ?\((?P<p1>\d)\)|,? {_PARAGRAPH} ?(?P<p2>\d)(?![0-9])"
                    rf"|,? (?P<p3>\d)\.? ?{_NUMBERED_PARAGRAPH})?")
    return _Patterns(
        starts=tuple(sorted(starts)),
        word_first=re.compile(rf"(?P<word>{_alternation(words)})\.? ?{number}{after_number}"),
        numbered=re.compile(
            rf"(?<![0-9.]){number}\.? ?(?P<word>{_alternation(numbered)})(?![a-z]){after_number}"
        ) if numbered else None,
        law_after=re.compile(rf"[^.\n]{{0,40}}?(?<![a-z])(?:{law})(?![a-z])"),
        law_before=re.compile(rf"(?<![a-z])(?:{law})(?![a-z])[^.\n]{{0,{_LAW_BEFORE}}}$"),
        law_first=re.compile(rf"(?:{_alternation(law_first)})$") if law_first else None,
    )


def _with_law(text: str, m: re.Match[str], patterns: _Patterns) -> _Reference | None:
    """The article ``m`` with its law: after it (every language), or just before it (the
    languages that name the law first: "a GDPR 17. cikke", "VDAR 15. pants")."""
    start, end = m.start(), m.end()
    after = patterns.law_after.match(text, end)
    if after is not None:
        end = after.end()
    elif patterns.law_first is not None and patterns.law_first.match(m.group("word")):
        before = patterns.law_before.search(text, max(0, m.start() - _LAW_BEFORE - 60),
                                            m.start())
        if before is None:
            return None
        start = before.start()
    else:
        return None
    return _Reference(start, m.start(), text[start:end], m.group("num"),
                      m.group("p1") or m.group("p2") or m.group("p3"))


def _references(text: str) -> list[_Reference]:
    """Article references. Every article word starts with one of a few first letters, and
    every numbered one follows 15, 16, 17 or 21: look only there."""
    patterns = _patterns()
    found: dict[int, _Reference] = {}
    for start in patterns.starts:
        pos = text.find(start)
        while pos >= 0:
            if not (pos and text[pos - 1].isalpha()):
                m = patterns.word_first.match(text, pos)
                if m and (ref := _with_law(text, m, patterns)):
                    found.setdefault(ref.at, ref)
            pos = text.find(start, pos + len(start))
    if patterns.numbered is not None:
        for number in _NUMBERS:
            pos = text.find(number)
            while pos >= 0:
                if not (pos and text[pos - 1].isdigit()):
                    m = patterns.numbered.match(text, pos)
                    if m and (ref := _with_law(text, m, patterns)):
                        found.setdefault(ref.at, ref)
                pos = text.find(number, pos + len(number))
    return sorted(found.values(), key=lambda r: r.at)


@dataclass(frozen=True, slots=True)
class ArticleReference:
    """A GDPR article named with its law speaks for the kind that article governs."""

    name: str = "article_reference"
    weight: float = field(default=MEDIUM)

    def apply(self, doc: Doc, found: Findings) -> None:
        for ref in _references(doc.body):
            number, paragraph = ref.number, ref.paragraph
            kind = _ARTICLE_KINDS.get(number)
            if number == "21":
                if paragraph in _MARKETING_PARAGRAPHS:
                    kind = RequestKind.UNSUBSCRIBE
                elif paragraph is None:
                    found.notes.append(Evidence(self.name, None, ref.text, 0.0))
                    continue
                else:
                    found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, ref.text, 0.0)))
                    continue
            if kind is not None:
                found.hits.append(Hit(Evidence(self.name, kind, ref.text, self.weight),
                                      at=ref.start))
