"""Folding text for matching."""

from __future__ import annotations

from mailbot.classify.normalize import casefold, fold


def test_fold_lowercases_drops_accents_and_joins_wrapped_lines() -> None:
    assert fold("Ik wil  me NIET\nafmelden. Straße, café, Ærø") == (
        "ik wil me niet afmelden. strasse, cafe, aero")


def test_fold_keeps_paragraphs_apart() -> None:
    assert fold("een\n\n  twee\r\n\r\ndrie") == "een\ntwee\ndrie"


def test_fold_normalises_compatibility_forms_and_quotes() -> None:
    text = "\ufb01le \u201cquoted\u201d m\u2019n \u2013 dash"
    assert fold(text) == "file \"quoted\" m'n - dash"


def test_casefold_keeps_accents() -> None:
    assert casefold("Löschung É") == "löschung é"


def test_cyrillic_is_spelled_in_latin_letters() -> None:
    assert fold("Моля да изтриете личните ми данни") == "molya da iztriete lichnite mi danni"
