"""Issue 10, break 7, through Dovecot and the SMTP sink: what a sender says of themself (a
display name, a subject) goes out under our name only short, cleaned and without links."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from mailbot.draft.quoting import NAME_LIMIT, quoted_name, quoted_subject
from tests.harness.app import make_settings

pytestmark = pytest.mark.dovecot

PHISH = "https://evil.test/login"
NAME = "Uw account is geblokkeerd, herstel het via " + PHISH + " " + " ".join(["x" * 400] * 5)


def raw_mail(name: str, subject: str, body: str) -> bytes:
    """As an attacker sends it: a quoted display name of 2,000 characters, folded."""
    folded = name.replace(" ", "\r\n ")
    return (f'From: "{folded}" <sanne.jansen@example.org>\r\nTo: privacy@example.org\r\n'
            f"Subject: {subject}\r\nMessage-ID: <phish-1@example.org>\r\n"
            "Date: Fri, 20 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").encode()


def test_a_long_name_and_a_linked_subject_are_not_repeated(
        tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url)
    app = app_factory(settings)
    dovecot.append(raw_mail(NAME, "Betaal nu via www.evil.test/pay of evil.test/x " + "y" * 300,
                            "Stuur me een overzicht van mijn gegevens."))
    app.daemon.run_once()
    sent = [message_from_bytes(m.data, policy=policy.default)
            for m in smtp_sink.wait_for_count(2)]
    assert len(sent) == 2  # the acknowledgement and the code
    for message in sent:
        text = message.get_body(("plain",)).get_content()
        whole = f"{message['Subject']}\n{text}"
        assert "evil.test" not in whole
        assert "x" * (NAME_LIMIT + 1) not in whole and "y" * 61 not in whole
        assert "Beste Uw account is geblokkeerd, herstel" in text  # short, no link


@pytest.mark.parametrize(("raw", "shown"), [
    ("Sanne Jansen", "Sanne Jansen"),
    ("Jan de Vries (jan@example.org)", "Jan de Vries"),
    ("\x1b[2JPiet\u202e", "Piet"),
    ("Klik op http://evil.test/a", "Klik op"),
    ("", ""),
])
def test_names_are_cleaned(raw: str, shown: str) -> None:
    assert quoted_name(raw) == shown


def test_long_text_is_cut_at_a_word() -> None:
    cut = quoted_subject("Een vraag over mijn gegevens en over de nieuwsbrief die ik elke week "
                         "van jullie krijg")
    assert len(cut) <= 60 and cut.endswith("…") and not cut.endswith(" …")
