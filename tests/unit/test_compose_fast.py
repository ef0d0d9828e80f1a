"""The direct writer (``compose_reply_bytes``) gives what ``compose_reply`` gives: a reader
sees the same headers in the same order, the same charset, transfer encoding and text, over
every reply template in every language and the awkward inputs; the body bytes are the same;
bad input raises the same errors."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from test_templates_languages import CONTEXTS, LANGUAGES, ORG

from mailbot.draft.render import Renderer
from mailbot.send.compose import (
    _PLAIN_ADDRESS,
    _mailbox,
    _one_line,
    compose_reply,
    compose_reply_bytes,
    make_message_id,
    message_bytes,
)

BASE: dict[str, Any] = {
    "from_address": "privacy@example.org",
    "from_name": "Voorbeeld B.V.",
    "to": "Sanne Jansen <sanne.jansen@example.net>",
    "subject": "Re: Request received",
    "body": "Dear Sanne,\n\nWe received your request.\n",
    "message_id": make_message_id("example.org", "ack", "42.1f2e3d"),
    "in_reply_to": "<original@mail.example.net>",
    "references": ["<root@mail.example.net>"],
    "loop_value": "privacy@example.org",
    "language": "nl",
    "date": datetime(2026, 12, 5, 9, 30, tzinfo=UTC),
}


def both(**changes: Any) -> tuple[bytes, bytes, str]:
    arguments = BASE | changes
    return (message_bytes(compose_reply(**arguments)), compose_reply_bytes(**arguments),
            _one_line(arguments["subject"]))


def read(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def assert_same(expected: bytes, got: bytes, subject: str) -> None:
    """What a receiving client reads is the same, and the body bytes are the same. The
    subject is the one meant: the standard library's own reading of what it wrote is off in
    two cases (a space before a folded subject, an encoded word typed in a subject)."""
    want, have = read(expected), read(got)
    assert have["Subject"] == subject
    assert [(k, str(v)) for k, v in have.items() if k != "Subject"] == \
        [(k, str(v)) for k, v in want.items() if k != "Subject"]
    for name in ("From", "To"):
        assert [(a.display_name, a.addr_spec) for a in have[name].addresses] == \
            [(a.display_name, a.addr_spec) for a in want[name].addresses]
    assert have.get_content_type() == want.get_content_type() == "text/plain"
    assert have.get_content_charset() == want.get_content_charset() == "utf-8"
    assert have["Content-Transfer-Encoding"] == want["Content-Transfer-Encoding"]
    assert have.get_content() == want.get_content()
    assert got.split(b"\r\n\r\n", 1)[1] == expected.split(b"\r\n\r\n", 1)[1]
    assert all(len(line) <= 998 for line in got.split(b"\r\n"))
    assert b"\n" not in got.replace(b"\r\n", b"")
    got.decode("ascii")  # 7-bit clean: SMTP without SMTPUTF8


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_template_in_every_language_reads_the_same(name: str, language: str) -> None:
    mail = Renderer().render(name, language, {**ORG, **CONTEXTS[name]})
    assert_same(*both(subject=mail.subject, body=mail.body, language=mail.language))


@pytest.mark.parametrize("changes", [
    {"from_name": "Zoë's Privacyteam – Voorbeeld B.V."},  # noqa: RUF001
    {"from_name": ""},
    {"from_name": 'Team "Privacy" (NL), Voorbeeld'},
    {"from_name": "A very long organisation name that goes on and on, B.V., Privacy Office"},
    {"to": "jan@example.net"},
    {"to": "=?utf-8?q?J=C3=B6rg_M=C3=BCller?= <jorg@example.net>"},
    {"to": '"Müller, Jörg" <jorg@example.net>'},
    {"to": "Ελένη Παπαδοπούλου <eleni@example.net>"},
    {"to": "李小龍 <li@example.net>"},
    {"to": '"O\'Brien \\"Jack\\"" <jack@example.net>'},
    {"to": "x" * 70 + " <long@example.net>"},
    {"to": "A" * 2000 + " <long@example.net>"},
    {"to": "Sam " + "b" * 1200 + " de Vries <long@example.net>"},
    {"to": "Zoë " * 400 + "<long@example.net>"},
    {"from_name": "Privacy " * 100},
    {"subject": "Ontvangstbevestiging: één verzoek — Über Größe, façade, ½ ✓ 🙂"},
    {"subject": "Re: " + "lang onderwerp zonder einde " * 12},
    {"subject": "Re: " + "woord" * 60},
    {"subject": "Re: =?utf-8?q?not_really?= encoded"},
    {"subject": "Re:  two  spaces\tand a tab"},
    {"subject": ""},
    {"subject": "Re: line\r\nBcc: evil@example.com"},
    {"body": ""},
    {"body": "no final newline"},
    {"body": "plain ASCII\n" * 40},
    {"body": "x" * 200 + "\n"},
    {"body": "trailing space \nand tab\t\n=equals= and .dot\n.\nFrom the start\n"},
    {"body": "Grüße,\r\nÉquipe\rvie privée 🙂\n\n\n"},
    {"body": "ünïcödé " * 40 + "\n"},
    {"in_reply_to": None, "references": []},
    {"in_reply_to": "bare@mail.example.net", "references": []},
    {"references": [f"<r{n}@mail.example.net>" for n in range(30)]},
    {"references": ["<root@mail.example.net> <a@x.example> junk <b@x.example>"]},
    {"auto_submitted": False},
    {"loop_header": "X-Privacy-Loop", "loop_value": "Privacy – Voorbeeld"},  # noqa: RUF001
    {"language": "de-AT"},
    {"date": datetime(2026, 3, 29, 1, 30)},
])
def test_awkward_inputs_read_the_same(changes: dict[str, Any]) -> None:
    assert_same(*both(**changes))


def test_a_non_ascii_mailbox_is_written_by_the_standard_library() -> None:
    expected, got, _ = both(to="Jan <jan@bücher.example>")
    assert got == expected


@pytest.mark.parametrize("changes", [
    {"from_address": "not an address"},
    {"to": "a@example.net, b@example.net"},
    {"to": ""},
    {"message_id": "no-brackets@example.org"},
    {"language": "nl_NL!"},
    {"loop_header": "Bad Header"},
    {"loop_header": "References"},
    {"loop_header": "content-type"},
    {"loop_value": "\r\n"},
])
def test_bad_input_raises_the_same_error(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as standard:
        compose_reply(**(BASE | changes))
    with pytest.raises(ValueError) as direct:
        compose_reply_bytes(**(BASE | changes))
    assert str(direct.value) == str(standard.value)


@pytest.mark.parametrize("to", ["A" * 2000, "Sam " + "de" * 1500 + " Vries", "Zoë " * 400,
                                "Stichting " * 300])
def test_an_endless_display_name_is_cut_and_no_line_is_too_long(to: str) -> None:
    for data in both(to=f"{to} <long@example.net>")[:2]:
        [address] = read(data)["To"].addresses
        assert address.addr_spec == "long@example.net"
        # (the standard library reads its own encoded words back with spaces of its own)
        letters = address.display_name.replace(" ", "")
        assert 0 < len(letters) <= 200
        assert letters[:3] == to[:3]
        assert all(len(line) <= 78 for line in data.split(b"\r\n\r\n")[0].split(b"\r\n"))


@pytest.mark.parametrize("address", [
    "sanne.jansen@example.net", "A.B-c+tag@Sub-1.Example.ORG", "o'brien@example.ie",
    "x!#$%&'*/=?^_`{|}~-@a.b", "postmaster@localhost", "1@2.3", "a@-example-.org",
])
def test_a_plain_address_is_read_without_the_parser_as_the_parser_reads_it(
        address: str) -> None:
    assert _PLAIN_ADDRESS.fullmatch(address)
    header = policy.default.header_factory("To", address)
    assert not header.defects
    assert header.addresses == (_mailbox.__wrapped__(address, "to"),)


@pytest.mark.parametrize("address", [
    "a..b@example.org", ".a@example.org", "a.@example.org", '"two words"@example.org',
    "a@[192.0.2.1]", "a@exa_mple.org", "Sanne <a@example.org>", "a@example.org.",
    " a@example.org", "a@example.org\r\nBcc: b@example.org", "jan@bücher.example", "a@b@c",
])
def test_any_other_address_goes_to_the_parser(address: str) -> None:
    assert _PLAIN_ADDRESS.fullmatch(address) is None
