from datetime import date
from pathlib import Path

import pytest

from mailbot.draft.dates import long_date
from mailbot.draft.render import Renderer
from mailbot.errors import TemplateError

CONTEXT = {
    "name": "Sanne Jansen", "subject": "Inzage", "received": date(2026, 1, 31),
    "due": date(2026, 2, 28), "requests": [{"reference": "MB-2026-00007", "kind": "access"}],
    "any_rights": True, "organisation": "Voorbeeld B.V.", "address": "privacy@example.org",
}


@pytest.mark.parametrize(
    ("language", "subject_word", "due_text", "kind_text"),
    [
        ("nl", "ontvangen", "28 februari 2026", "inzage"),
        ("en", "received", "28 February 2026", "access"),
        ("de", "erhalten", "28. Februar 2026", "Auskunft"),
        ("fr", "reçu", "28 février 2026", "accès"),
    ],
)
def test_acknowledgement_in_each_language(language: str, subject_word: str, due_text: str,
                                          kind_text: str) -> None:
    mail = Renderer().render("acknowledgement", language, CONTEXT)
    assert mail.language == language
    assert subject_word in mail.subject and "MB-2026-00007" in mail.subject
    assert due_text in mail.body
    assert kind_text in mail.body
    assert "Sanne Jansen" in mail.body


def test_other_languages_fall_back_to_english() -> None:
    assert Renderer().render("acknowledgement", "it", CONTEXT).language == "en"


def test_an_undefined_value_is_an_error_not_an_empty_string() -> None:
    context = dict(CONTEXT)
    del context["organisation"]
    with pytest.raises(TemplateError, match="organisation"):
        Renderer().render("acknowledgement", "nl", context)


def test_a_template_without_subject_line_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mail" / "en").mkdir(parents=True)
    (tmp_path / "mail" / "en" / "bad.txt.j2").write_text("Hello\n\nbody\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=r"must start with 'Subject: \.\.\.'"):
        Renderer(tmp_path).render("bad", "en", {})


def test_long_dates() -> None:
    assert long_date(date(2026, 3, 1), "nl") == "1 maart 2026"
    assert long_date(date(2026, 3, 1), "xx") == "1 March 2026"
