"""What a person's answer to the verification mail says, in the four languages."""

from __future__ import annotations

import pytest

from mailbot.parse.answer import Said, read_answer, says_nothing


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
    # a no in other words, in each language
    ("Ik heb hier nooit om gevraagd.", Said.REFUSAL),
    ("Ik heb niets aangevraagd, wie is dit?", Said.REFUSAL),
    ("Dit verzoek komt niet van mij.", Said.REFUSAL),
    ("Ik weet hier niets van.", Said.REFUSAL),
    ("I never sent this.", Said.REFUSAL),
    ("I didn't ask for this", Said.REFUSAL),
    ("This request was not made by me.", Said.REFUSAL),
    ("Not from me!", Said.REFUSAL),
    ("Someone is impersonating me.", Said.REFUSAL),
    ("Ich habe nichts beantragt.", Said.REFUSAL),
    ("Ich war das nicht.", Said.REFUSAL),
    ("Ich habe keinen Antrag gestellt.", Said.REFUSAL),
    ("Je n'ai rien demandé.", Said.REFUSAL),
    ("Je n'ai envoyé aucune demande.", Said.REFUSAL),
    ("Ce n'était pas moi.", Said.REFUSAL),
    # a yes denied is a no
    ("Dat klopt niet.", Said.REFUSAL),
    ("Ik bevestig dit niet.", Said.REFUSAL),
    ("I do not confirm this.", Said.REFUSAL),
    ("That is not correct.", Said.REFUSAL),
    ("Das stimmt nicht.", Said.REFUSAL),
    ("Ce n'est pas correct.", Said.REFUSAL),
    ("Je ne confirme pas.", Said.REFUSAL),
    # a yes beside a denial in its sentence is no yes; elsewhere it is
    ("Natuurlijk was ik dat, niet zo moeilijk doen", Said.NEITHER),
    ("No problem, that was me.", Said.NEITHER),
    ("Klopt. Ik heb nog niets ontvangen.", Said.YES),
    ("Yes, I can confirm that.", Said.YES),
    ("Ja, das habe ich beantragt.", Said.YES),
    ("Je confirme, c'est bien moi.", Said.YES),
])
def test_what_an_answer_says(text: str, said: Said) -> None:
    assert read_answer(text).said is said


@pytest.mark.parametrize(("text", "nothing"), [
    ("Hallo,\n\nHier is de code: \n\nGroeten,\nSanne", True),
    ("Hi, my code is . Thanks! Sanne Jansen", True),
    ("Bonjour, voici le code : . Cordialement", True),
    ("Hallo, hier ist der Code. Vielen Dank", True),
    ("", True),
    ("Waar gaat dit over?", False),
    ("Wie ben jij?", False),
    ("Stop", False),
])
def test_what_says_nothing_beside_a_code(text: str, nothing: bool) -> None:
    assert says_nothing(text, ["Sanne Jansen"]) is nothing
