"""Every real-world mail of the shared corpus goes through the parser."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from mailbot.domain.mail import ParsedMail, ParseFailure
from mailbot.parse import parse

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def _rows() -> list[dict[str, str]]:
    with (CORPUS / "manifest.csv").open(newline="", encoding="utf-8") as manifest:
        return [row for row in csv.DictReader(manifest) if row["path"].endswith(".eml")]


EML_ROWS = _rows()


def _load(path: str) -> ParsedMail:
    result = parse((CORPUS / path).read_bytes())
    assert isinstance(result, ParsedMail), result
    return result


def test_the_corpus_has_mails() -> None:
    assert len(EML_ROWS) > 200


@pytest.mark.parametrize("row", EML_ROWS, ids=lambda row: row["path"])
def test_every_corpus_mail_parses_into_a_complete_mail(row: dict[str, str]) -> None:
    result = parse((CORPUS / row["path"]).read_bytes())

    assert isinstance(result, ParsedMail | ParseFailure)
    assert isinstance(result, ParsedMail), f"a real mail was quarantined: {result}"
    assert "/" in result.content_type
    assert result.headers, "a mail without header fields"
    assert all(name == name.lower() for name in result.headers)
    assert all(isinstance(v, tuple) and v for v in result.headers.values())
    if result.message_id is not None:
        assert "<" not in result.message_id and ">" not in result.message_id
    if result.sender is not None:
        assert result.sender.addr == result.sender.addr.lower()
    if result.date is not None:
        assert isinstance(result.date, datetime) and result.date.tzinfo is not None
    assert "\r" not in result.text
    assert all(a.size >= 0 for a in result.attachments)


def _html_only_rows() -> list[dict[str, str]]:
    return [row for row in EML_ROWS if _load(row["path"]).html_only]


@pytest.mark.parametrize("row", _html_only_rows(), ids=lambda row: row["path"])
def test_html_only_corpus_mails_read_as_text_without_markup(row: dict[str, str]) -> None:
    mail = _load(row["path"])

    assert "<br" not in mail.text.lower() and "</" not in mail.text
    assert "<script" not in mail.text.lower() and "<style" not in mail.text.lower()


def test_line_endings_do_not_change_what_is_read() -> None:
    unix, dos, mac = (
        _load(f"sisimai-set-of-emails/{kind}/lhost-postfix-01.eml")
        for kind in ("bsd", "dos", "mac")
    )

    assert dos.subject == mac.subject == unix.subject == "Undelivered Mail Returned to Sender"
    assert dos.text == mac.text == unix.text
    assert dos.headers == mac.headers == unix.headers


def test_japanese_mail_in_iso_2022_jp_is_decoded() -> None:
    mail = _load("mikel-mail/multi_charset/japanese_iso_2022.eml")

    assert mail.subject == "まみむめも"
    assert mail.sender is not None and mail.sender.name == "Mikel Lindsaar"


def test_rfc2231_long_attachment_name_is_joined_and_decoded() -> None:
    mail = _load("mikel-mail/multi_charset/japanese_attachment_long_name.eml")

    assert [a.filename for a in mail.attachments] == ["かきくけこ" * 5 + ".txt"]


def test_encoded_attachment_name_and_sender_name_are_decoded() -> None:
    mail = _load("spamassassin/nice/unicode1.eml")

    assert mail.attachments[0].filename == "документы для отдела кадров.pdf"
    assert mail.sender is not None and mail.sender.name == "Marilù Gioffré ♥"


def test_8bit_latin1_subject_is_read_as_windows_1252() -> None:
    mail = _load("mikel-mail/error_emails/invalid_subject_characters.eml")

    assert mail.subject.startswith("Formação FrenetikPolis")
    assert any("windows-1252" in d for d in mail.defects)


def test_unknown_charset_in_encoded_word_still_gives_the_subject() -> None:
    mail = _load("mikel-mail/error_emails/bad_encoded_subject.eml")

    assert mail.subject == "TEST"
    assert mail.sender is None
    assert "no From field" in mail.defects


def test_continuation_lines_with_only_white_space_keep_all_recipients() -> None:
    mail = _load("mikel-mail/error_emails/new_line_in_to_header.eml")

    assert len(mail.to) == 6
    assert mail.to[-1].addr == "cc@c-l-example.com"


def test_multipart_alternative_prefers_the_plain_text() -> None:
    mail = _load("talon/gmail.eml")

    assert not mail.html_only
    assert "<div" not in mail.text


def test_missing_boundary_is_a_defect_not_a_failure() -> None:
    mail = _load("mikel-mail/error_emails/missing_body.eml")

    assert any("boundary not found" in d for d in mail.defects)


def test_dsn_parts_are_part_of_the_text() -> None:
    mail = _load("sisimai-set-of-emails/bsd/rfc3464-01.eml")

    assert mail.content_type == "multipart/report"
    assert "Final-Recipient:" in mail.text
    assert "Message-Id: <" in mail.text or "Message-ID: <" in mail.text


def test_forwarded_mail_attached_as_file_is_an_attachment_not_text() -> None:
    mail = _load("sisimai-set-of-emails/not/is-not-bounce-02.eml")

    assert mail.text == "it shouldn't be considered as bounce"
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("original.eml", "message/rfc822")
    ]
