"""``parse_owned`` (issue 12, memory): a buffer the caller gives up is parsed with its line
ends converted in place, and reads exactly as ``parse`` reads the same bytes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mailbot.domain.mail import ParsedMail, ParseFailure
from mailbot.parse import message, parse, parse_owned
from tests.integration.test_bad_input import huge_mail

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
MAILS = sorted(CORPUS.rglob("*.eml"))[::7]


def _variants(raw: bytes) -> dict[str, bytes]:
    lf = raw.replace(b"\r\n", b"\n")
    return {"as sent": raw, "crlf": lf.replace(b"\n", b"\r\n"), "bare cr": lf.replace(b"\n", b"\r"),
            "blank lines first": b"\r\n\r\n" + raw, "mbox line first": b"From a@b Mon\r\n" + raw}


def test_the_sample_holds_mails() -> None:
    assert len(MAILS) > 50


@pytest.mark.parametrize("path", MAILS, ids=lambda p: p.name)
def test_an_owned_buffer_reads_as_the_same_bytes_do(path: Path) -> None:
    for name, raw in _variants(path.read_bytes()).items():
        assert parse_owned(bytearray(raw)) == parse(raw), name


def test_line_ends_are_converted_across_chunk_edges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(message, "_CHUNK", 7)
    chooser = random.Random(12)
    for _ in range(300):
        text = bytes(chooser.choice(b"\r\r\na") for _ in range(chooser.randrange(0, 60)))
        buffer = bytearray(text)
        message._lf_in_place(buffer)
        assert buffer == text.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), text


def test_a_large_mail_parses_in_its_own_buffer() -> None:
    raw = huge_mail(3)
    buffer = bytearray(raw)
    mail = parse_owned(buffer)
    assert isinstance(mail, ParsedMail)
    assert mail.text.strip() == "Stuur me een overzicht van mijn gegevens."
    assert [(a.filename, a.size) for a in mail.attachments] == [
        ("scan.bin", 3 * 1024 * 1024 * 3 // 4)]
    assert mail == parse(raw)
    assert b"\r" not in buffer  # converted where it lay: no second copy was made


def test_bad_input_in_a_buffer_is_refused_as_ever() -> None:
    for raw in (b"", b" \r\n\t", b"no header here\r\n" * 10):
        refused = parse_owned(bytearray(raw))
        assert isinstance(refused, ParseFailure)
        assert refused == parse(raw)
