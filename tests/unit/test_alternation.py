"""One expression of many alternatives, guarded by the characters they begin with
(parse/alternation.py): it finds exactly what the plain expression finds."""

from __future__ import annotations

import re

import pytest

from mailbot.classify.clauses import CLAUSE_LANGUAGES, clause_lexicon
from mailbot.parse.alternation import any_of, guarded

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
