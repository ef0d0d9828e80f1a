"""What a person's answer to the verification mail says, in the four languages."""

from __future__ import annotations

import pytest

from mailbot.parse.answer import Said, read_answer


@pytest.mark.parametrize(("text", "said"), [
    ("Ik heb dit NIET aangevraagd! Verwijder niets.", Said.REFUSAL),
    ("Dit was ik niet.", Said.REFUSAL),
    ("Nee, dat heb ik nooit gevraagd.", Said.REFUSAL),
    ("Fraude! Iemand anders gebruikt mijn naam.", Said.REFUSAL),
    ("I did not request this.", Said.REFUSAL),
    ("This wasn't me, please do not delete anything.", Said.REFUSAL),
    ("Das habe ich nicht beantragt.", Said.REFUSAL),
    ("Nein, bitte nichts löschen.", Said.REFUSAL),
    ("Je n'ai jamais demandé cela.", Said.REFUSAL),
    ("Ce n\u2019est pas moi, ne supprimez rien.", Said.REFUSAL),
    ("Ja, dat klopt.", Said.YES),
    ("Yes, that was me.", Said.YES),
    ("Ja, das stimmt.", Said.YES),
    ("Oui, c'est bien moi.", Said.YES),
    ("Ja, maar ik heb de verwijdering NIET aangevraagd.", Said.REFUSAL),  # a no wins
    ("Waarom moet ik dit bevestigen?", Said.NEITHER),  # a question is no yes
    ("12345678", Said.NEITHER),
    ("", Said.NEITHER),
])
def test_what_an_answer_says(text: str, said: Said) -> None:
    assert read_answer(text).said is said
