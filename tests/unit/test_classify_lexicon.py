"""The lexicon files: they load, their patterns follow the rules, the index finds them."""

from __future__ import annotations

import re

import pytest

from mailbot.classify.lexicon import (
    LANGUAGES,
    REQUEST_SECTIONS,
    _load,
    expand,
    index,
    lexicons,
    required_words,
)
from mailbot.classify.normalize import fold


def test_every_language_has_every_request_kind() -> None:
    for lang in LANGUAGES:
        data = _load(lang)
        for section in REQUEST_SECTIONS:
            assert data[section]["strong"], (lang, section)


def test_patterns_are_written_in_folded_form() -> None:
    for phrase in index().phrases:
        letters = re.sub(r"\\.", "", phrase.source)
        assert letters == letters.lower(), phrase.source
        assert letters.isascii(), phrase.source


def test_subject_keywords_and_short_words_are_folded() -> None:
    for lexicon in lexicons().values():
        for keywords in lexicon.subject_keywords.values():
            for keyword in keywords:
                assert fold(keyword) == keyword, keyword
        for word in (*lexicon.thanks, *lexicon.greetings):
            assert fold(word) == word, word


def test_expand_splits_a_leading_choice() -> None:
    assert expand("(?:wis|verwijder) mijn") == [
        ("wis", "wis mijn"), ("verwijder", "verwijder mijn")]
    assert expand("welke gegevens") == [("welke", "welke gegevens")]


@pytest.mark.parametrize("bad", ["(?:ik )?wil", "\\bverwijder", "(?:wis|\\w+) mijn"])
def test_expand_refuses_patterns_without_a_literal_start(bad: str) -> None:
    with pytest.raises(ValueError, match="lexicon pattern"):
        expand(bad)


def test_required_words() -> None:
    assert required_words("i (?:just |recently )?moved (?:house|home)") == {"i", "moved"}
    assert required_words("(?:persoons)?gegevens") == frozenset()
    assert required_words("e-?mail me <gap2>now") == {"me", "now"}


def test_index_finds_phrases_by_anchor_and_stem() -> None:
    text = fold("Ik wil me graag afmelden voor de nieuwsbrief.")
    matches = index().search(text)
    assert any(m.phrase.section == "unsubscribe" for m in matches)


def test_index_match_starts_at_a_word_start() -> None:
    assert not [m for m in index().search(fold("xverwijder mijn account"))
                if m.phrase.section == "erasure"]
