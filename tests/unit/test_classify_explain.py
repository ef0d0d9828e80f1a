"""``explain`` and ``render_explanation``: what ``mailbot classify FILE --json`` shows."""

from __future__ import annotations

import json

from test_classify_support import mail

from mailbot.classify import explain, render_explanation


def test_explain_is_json_and_names_kind_language_evidence_and_triage() -> None:
    d = explain(mail("Ik wil me niet afmelden, maar mijn adres is veranderd.\n\n"
                     "Op ma 3 jun. 2024 schreef Privacy <p@example.test>:\n> Klik hier om je af "
                     "te melden"))
    assert json.loads(json.dumps(d)) == d
    assert d["language"] == "nl"
    assert [r["kind"] for r in d["requests"]] == ["correction"]
    assert d["requests"][0]["evidence"][0] == {
        "rule": "correction_phrase", "kind": "correction",
        "matched": "mijn adres is veranderd", "weight": 0.9}
    assert d["triage"] is False
    assert d["text"]["quoted_from"].startswith("Op ma 3 jun. 2024 schreef")


def test_explain_says_why_a_mail_goes_to_triage() -> None:
    d = explain(mail("Hoe lang bewaren jullie gegevens?"))
    assert [r["kind"] for r in d["requests"]] == ["other"]
    assert d["triage"] is True
    assert d["triage_reasons"] == ["no request kind recognised with confidence"]


def test_render_shows_kinds_evidence_set_aside_and_triage() -> None:
    text = render_explanation(explain(mail("Ik wil me niet afmelden, maar verwijder mijn account.",
                                           "Afmelden")))
    assert "language: nl" in text
    assert "request: erasure (confidence 0.9" in text
    assert "request: unsubscribe" not in text
    assert "erasure_phrase -> erasure: 'verwijder mijn account'" in text
    assert "set aside:" in text
    assert "triage: no" in text


def test_client_contact_flag_is_reported() -> None:
    assert explain(mail("Hallo"), client_contact=True)["client_contact"] is True
