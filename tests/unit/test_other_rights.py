"""Rights mailbot does not carry out (portability, restriction, an art. 21(1) objection)
asked beside a request it does handle: the request goes on, a person answers the right, and
the acknowledgement says so in the writer's language."""

from __future__ import annotations

import pytest
from test_classify_support import mail

from mailbot.classify import classify, triage_reasons
from mailbot.classify.rights import carried, unhandled_rights
from mailbot.domain.kinds import RequestKind
from mailbot.domain.rights import OtherRight
from mailbot.draft.render import Renderer

A = RequestKind.ACCESS
E = RequestKind.ERASURE
P = OtherRight.PORTABILITY
R = OtherRight.RESTRICTION
O = OtherRight.OBJECTION  # noqa: E741

CARRIED = [
    ("nl", "Ik wil inzage in alle persoonsgegevens die u van mij verwerkt. Graag ontvang ik "
           "ze ook in een machineleesbaar formaat.", {A}, (P,)),
    ("en", "Please send me a copy of all personal data you hold about me. I also ask for "
           "data portability: send it in a machine-readable format.", {A}, (P,)),
    ("de", "Ich bitte um Auskunft über alle zu meiner Person gespeicherten Daten. Zudem "
           "mache ich mein Recht auf Datenübertragbarkeit geltend.", {A}, (P,)),
    ("fr", "Je vous demande l'accès à toutes les données personnelles que vous détenez sur "
           "moi, ainsi que leur portabilité dans un format lisible par machine.", {A}, (P,)),
    ("en", "Please delete all personal data you hold about me. I object to the processing "
           "under Article 21(1) GDPR on grounds relating to my particular situation.",
     {E}, (O,)),
]


@pytest.mark.parametrize(("language", "body", "kinds", "rights"), CARRIED)
def test_a_request_with_another_right_goes_on_and_the_right_is_carried(
        language: str, body: str, kinds: set[RequestKind],
        rights: tuple[OtherRight, ...]) -> None:
    verdict = classify(mail(body))
    assert verdict.language == language
    assert set(verdict.kinds) == kinds
    assert carried(verdict) == rights
    assert not any("does not handle" in reason for reason in triage_reasons(verdict))


def test_restriction_beside_erasure_waits_for_a_person() -> None:
    # art. 18(1)(b): restriction instead of erasure; which one is meant is a person's call
    verdict = classify(mail("Verwijder al mijn gegevens. Als dat niet kan, wil ik beperking "
                            "van de verwerking van mijn gegevens."))
    assert E in verdict.kinds
    assert unhandled_rights(verdict) == (R,)
    assert carried(verdict) == ()
    assert any("does not handle" in reason for reason in triage_reasons(verdict))


def test_an_opt_out_cannot_carry_another_right() -> None:
    # an opt-out is confirmed at once, without a person: the whole mail waits instead
    verdict = classify(mail("Ik wil geen nieuwsbrief meer ontvangen. Ook vraag ik om "
                            "overdraagbaarheid van mijn gegevens."))
    assert set(verdict.kinds) == {RequestKind.UNSUBSCRIBE}
    assert carried(verdict) == ()
    assert any("does not handle" in reason for reason in triage_reasons(verdict))


def test_other_evidence_besides_the_rights_keeps_the_mail_with_a_person() -> None:
    verdict = classify(mail("Stuur mij een overzicht van mijn gegevens, ook machineleesbaar. "
                            "Ik heb al een klacht ingediend bij de Autoriteit "
                            "Persoonsgegevens."))
    assert unhandled_rights(verdict) is None or carried(verdict) == ()


SAID = {
    "nl": ("U doet ook een beroep op het recht op overdraagbaarheid van uw gegevens (artikel "
           "20 AVG), het recht op beperking van de verwerking (artikel 18 AVG) en het recht "
           "van bezwaar op grond van uw specifieke situatie (artikel 21 lid 1 AVG). Dat deel "
           "behandelt een medewerker, samen met uw verzoek."),
    "en": ("You also exercise the right to data portability (Article 20 GDPR), the right to "
           "restriction of processing (Article 18 GDPR) and the right to object on grounds "
           "relating to your particular situation (Article 21(1) GDPR). A member of our staff "
           "handles that part, together with your request."),
    "de": ("Sie machen außerdem das Recht auf Datenübertragbarkeit (Art. 20 DSGVO), das Recht "
           "auf Einschränkung der Verarbeitung (Art. 18 DSGVO) und das Widerspruchsrecht aus "
           "Gründen Ihrer besonderen Situation (Art. 21 Abs. 1 DSGVO) geltend."),
    "fr": ("Vous exercez également le droit à la portabilité de vos données (article 20 du "
           "RGPD), le droit à la limitation du traitement (article 18 du RGPD) et le droit "
           "d'opposition pour des raisons tenant à votre situation particulière (article 21, "
           "paragraphe 1, du RGPD). Un membre de notre équipe traite cette partie avec votre "
           "demande."),
}


def _acknowledgement(language: str, also: list[str]) -> str:
    from datetime import date

    return Renderer().render("acknowledgement", language, {
        "name": "", "subject": "", "received": date(2026, 11, 20), "due": date(2026, 12, 21),
        "late": False, "requests": [{"reference": "MB-2026-1", "kind": "access",
                                     "immediate": False}],
        "any_rights": True, "order": False, "immediate": False, "also": also,
        "organisation": "Voorbeeld B.V.", "address": "privacy@example.org"}).body


@pytest.mark.parametrize("language", sorted(SAID))
def test_the_acknowledgement_names_the_rights_a_person_answers(language: str) -> None:
    text = " ".join(_acknowledgement(language, ["portability", "restriction",
                                                "objection"]).split())
    assert SAID[language] in text
    plain = " ".join(_acknowledgement(language, []).split())
    assert SAID[language][:20] not in plain


def test_one_right_is_named_without_a_list() -> None:
    text = " ".join(_acknowledgement("en", ["portability"]).split())
    assert ("You also exercise the right to data portability (Article 20 GDPR). A member of "
            "our staff handles that part") in text
