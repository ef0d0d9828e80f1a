"""One expression of many alternatives, guarded by the characters they begin with
(parse/alternation.py): it finds exactly what the plain expression finds."""

from __future__ import annotations

import re

import pytest

from mailbot.classify.clauses import CLAUSE_LANGUAGES, clause_lexicon
from mailbot.parse.alternation import any_of, guarded, may_match, needs, search

TEXTS = [
    "please do not reply to this e-mail",
    "Bitte antworten Sie nicht auf diese Nachricht.",
    "je ne veux plus recevoir votre lettre, merci",
    "ik wil niet meer gebeld worden\nmet vriendelijke groet",
    "call 0800 123 and ask for 15 minutes",
    "",
    "x" * 300 + " never mind " + "y" * 300,
]


@pytest.mark.parametrize(("pattern", "flags"), [
    (r"\b(?:please )?do not reply|\bnever ?mind\b", 0),
    (r"(?:niet|nicht) meer|\bplus (?:de )?recevoir", 0),
    (r"^[ \t]*(?:bitte|please)\b", re.MULTILINE | re.IGNORECASE),
    (r"\b\d{2,4} (?:minutes|min)\b|\b[0-9]+ and\b", 0),
    (r"(?:ne )?(?:veux|peux)+ plus", 0),
])
def test_a_guarded_expression_finds_what_the_plain_one_finds(pattern: str, flags: int) -> None:
    plain = re.compile(pattern, flags)
    fast = guarded(pattern, flags)
    assert fast.pattern.startswith("(?=[")
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert bool(fast.match(text)) == bool(plain.match(text))


@pytest.mark.parametrize("pattern", [r"\w+ meer", r".{0,3}stop", r"(?:please )?", r"x?y*"])
def test_an_expression_whose_first_character_cannot_be_told_is_compiled_as_it_is(
        pattern: str) -> None:
    assert guarded(pattern).pattern == pattern


def test_no_alternatives_never_match() -> None:
    assert all(any_of([]).search(text) is None for text in TEXTS)


def test_every_cue_list_finds_the_same_in_every_language() -> None:
    sample = " ".join(TEXTS).lower()
    checked = 0
    for language in CLAUSE_LANGUAGES:
        lexicon = clause_lexicon(language)
        if lexicon is None:
            continue
        for name in ("withdraw", "pitch", "says_no_request", "undecided", "subject_pointer"):
            fast = getattr(lexicon, name)
            if fast is None:
                continue
            inner = fast.pattern
            if inner.startswith("(?=["):
                inner = inner[inner.index("])(?:") + 5:-1]
            plain = re.compile(inner, fast.flags)
            for text in [sample, *TEXTS]:
                assert [m.span() for m in fast.finditer(text)] == [
                    m.span() for m in plain.finditer(text)]
            checked += 1
    assert checked >= 16


# ---------------------------------------------------------------- what a match needs

NEEDS_TEXTS = [
    *TEXTS,
    "Never mind, I found it.",
    "nevermind", "whenever minding", "never_mind", "never-mind", "x~never mind~y",
    "this is an automatic reply", "this is an automatically generated message",
    "onderzoeksjournalist", "freelance journalist", "journalists",
    "Bitte antworten Sie nicht", "na\u00efve never mind caf\u00e9", "\u00e9never mind\u00e9",
    "do not reply\n", "don't respond directly to this e-mail  ",
]


@pytest.mark.parametrize(("pattern", "flags"), [
    (r"\bnever ?mind\b", 0),
    (r"\bthis is an automat(?:ed|ic|ically generated) (?:message|reply)", 0),
    (r"\b(?:freelance |onderzoeks)?journalist\b", 0),
    (r"\b(?:do not|don.t|never) (?:reply|respond)(?: directly)?\W*$", re.MULTILINE),
    (r"^(?:voordat|voor ik|voor u)\b", re.MULTILINE),
    (r"\b(?:i|we) (?:have |.ve )?(?:already )?unsubscribed\b", 0),
    (r"(?:ne )?(?:veux|peux)+ plus", 0),
    (r"mind\b", 0),
    (r"\bnever", 0),
    (r"\b(?i:never) mind\b", 0),
    (r"\bNEVER mind\b", re.IGNORECASE),
])
def test_a_text_without_what_a_match_needs_is_not_searched_and_nothing_is_missed(
        pattern: str, flags: int) -> None:
    for compiled in (re.compile(pattern, flags), guarded(pattern, flags)):
        for text in NEEDS_TEXTS:
            if compiled.search(text) is not None:
                assert may_match(compiled, text), (pattern, text)
            found, plain = search(compiled, text), compiled.search(text)
            assert (found and found.span()) == (plain and plain.span()), (pattern, text)


def test_the_words_a_match_needs_are_read_with_what_stands_beside_them() -> None:
    # "mind" may follow "never" with no space: only "never" is sure, and as a piece of text
    mind = needs(re.compile(r"\bnever ?mind\b"))
    assert mind is not None and mind.pieces == {"never"} and not mind.words
    # "automat" begins a longer word: the run of literal text is looked for instead
    notice = needs(re.compile(r"\bthis is an automat(?:ic|ed)"))
    assert notice is not None and "this" in notice.words | {p.split()[0] for p in notice.pieces}
    assert needs(re.compile(r"\b(?:i|we) stay\b")).words == {"stay"}
    assert needs(re.compile(r"\bnever mind\b", re.IGNORECASE)) is None
    assert needs(re.compile(r"\w+ meer|x")) is None  # one alternative needs nothing told
    assert not may_match(re.compile(r"\bnever ?mind\b"), "mind the shop")
    assert not may_match(re.compile(r"\b(?:i|we) stay\b"), "we stayed")


def test_every_cue_list_needs_words_and_misses_no_match() -> None:
    sample = [" ".join(TEXTS).lower(), *NEEDS_TEXTS]
    told = 0
    for language in CLAUSE_LANGUAGES:
        lexicon = clause_lexicon(language)
        if lexicon is None:
            continue
        for pattern in [getattr(lexicon, name) for name in (
                "withdraw", "pitch", "says_no_request", "undecided", "representative",
                "deceased", "accounts", "conditional")] + list(lexicon.asides.values()):
            if pattern is None:
                continue
            told += needs(pattern) is not None
            for text in sample:
                if pattern.search(text) is not None:
                    assert may_match(pattern, text)
    assert told >= 100
