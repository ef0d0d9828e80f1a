"""parse(): what a caller gets for invented mails, broken ones, and input that is no mail."""

from __future__ import annotations

import base64
import random
import tracemalloc
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from mailbot.domain.mail import Address, Attachment, ParsedMail, ParseFailure
from mailbot.parse import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "parse"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


def fixture(name: str) -> ParsedMail:
    result = parse((FIXTURES / name).read_bytes())
    assert isinstance(result, ParsedMail), result
    return result


def mail(raw: bytes | str) -> ParsedMail:
    result = parse(raw.encode("utf-8") if isinstance(raw, str) else raw)
    assert isinstance(result, ParsedMail), result
    return result


# --- what is no mail ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "empty"),
        (b" \r\n\t\n ", "empty"),
        (b"Dear sir,\n\nplease delete my data.\n", "no header block"),
        (b"name,email\nSam,sam@example.org\n", "no header block"),
        (b"Note: this is a letter\nwith a colon in its first line\n", "no mail header fields"),
    ],
)
def test_input_that_is_no_mail_is_a_parse_failure_with_a_reason(raw: bytes, words: str) -> None:
    result = parse(raw)

    assert isinstance(result, ParseFailure)
    assert words in result.error


def test_random_binary_bytes_are_a_parse_failure() -> None:
    rng = random.Random(20240601)
    for _ in range(200):
        result = parse(rng.randbytes(rng.randrange(1, 4000)))
        assert isinstance(result, ParseFailure), result


def test_what_is_not_bytes_is_a_parse_failure_not_an_exception() -> None:
    result = parse("From: a@example.org\n\ntext")  # type: ignore[arg-type]

    assert isinstance(result, ParseFailure)
    assert "expected bytes" in result.error


def test_bytearray_and_memoryview_are_accepted() -> None:
    raw = b"From: a@example.org\nSubject: hi\n\nbody\n"

    assert parse(bytearray(raw)) == parse(memoryview(raw)) == parse(raw)


def test_parse_never_raises_on_damaged_mails() -> None:
    rng = random.Random(7)
    sources = [p.read_bytes() for p in sorted(FIXTURES.glob("*.eml"))]
    sources += [(CORPUS / "sisimai-set-of-emails/bsd/lhost-postfix-01.eml").read_bytes()]
    for raw in sources:
        for cut in range(0, len(raw), max(1, len(raw) // 25)):
            assert isinstance(parse(raw[:cut]), ParsedMail | ParseFailure)
        for _ in range(30):
            damaged = bytearray(raw)
            for _ in range(10):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            assert isinstance(parse(bytes(damaged)), ParsedMail | ParseFailure)


def test_deeply_nested_multiparts_do_not_break_the_parser() -> None:
    depth = 200
    head = "".join(
        f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth)
    )
    raw = "From: a@example.org\nSubject: nested\n" + head + "\ninner text\n"

    result = mail(raw)

    assert any("nested too deeply" in d for d in result.defects)


# --- the fields -----------------------------------------------------------------------


def test_an_ordinary_mail_fills_every_field() -> None:
    result = mail(
        "Return-Path: <Sam.DeVries@Example.org>\n"
        'From: "de Vries, Sam" <Sam.DeVries@Example.org>\n'
        "Reply-To: =?utf-8?q?Sam_de_Vri=C3=ABs?= <sam@example.org>\n"
        "To: Privacy <privacy@example.org>, other@example.org\n"
        "Cc: Team <team@example.org>\n"
        "Subject: =?utf-8?b?VmVyem9layBvbSBpbnphZ2Ugw6kgZ2VnZXZlbnM=?=\n"
        "Date: Mon, 3 Jun 2024 10:14:49 +0200\n"
        "Message-ID: <CA+abc123@mail.example.org>\n"
        "In-Reply-To: <ack-1@mailbot.example.org> (Privacy's message)\n"
        "References: <first@example.org>\n <ack-1@mailbot.example.org>\n"
        "X-Custom: =?iso-8859-1?q?caf=E9?=\n"
        "X-Custom: second\n"
        "\n"
        "Graag inzage.\n"
    )

    assert result.message_id == "CA+abc123@mail.example.org"
    assert result.sender == Address("sam.devries@example.org", "de Vries, Sam")
    assert result.envelope_sender == "sam.devries@example.org"
    assert result.reply_to == (Address("sam@example.org", "Sam de Vriës"),)
    assert result.to == (Address("privacy@example.org", "Privacy"),
                         Address("other@example.org", ""))
    assert result.cc == (Address("team@example.org", "Team"),)
    assert result.subject == "Verzoek om inzage é gegevens"
    assert result.date == datetime(2024, 6, 3, 10, 14, 49, tzinfo=timezone(timedelta(hours=2)))
    assert result.in_reply_to == "ack-1@mailbot.example.org"
    assert result.references == ("first@example.org", "ack-1@mailbot.example.org")
    assert result.text == "Graag inzage."
    assert not result.html_only
    assert result.content_type == "text/plain"
    assert result.attachments == ()
    assert result.headers["x-custom"] == ("café", "second")
    assert result.header("X-CUSTOM") == "café"
    assert result.defects == ()


def test_null_envelope_sender_and_missing_one_differ() -> None:
    assert mail("Return-Path: <>\nFrom: a@example.org\n\nx").envelope_sender == ""
    assert mail("From: a@example.org\n\nx").envelope_sender is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Mon, 3 Jun 2024 10:14:49 -0000", datetime(2024, 6, 3, 10, 14, 49, tzinfo=UTC)),
        ("3 Jun 2024 10:14 +0000", datetime(2024, 6, 3, 10, 14, tzinfo=UTC)),
        ("Thu, 16 Jun 2016 00:41:19 (UTC)", datetime(2016, 6, 16, 0, 41, 19, tzinfo=UTC)),
        ("Mon, 3 Jun 24 10:14:49 EDT",
         datetime(2024, 6, 3, 10, 14, 49, tzinfo=timezone(timedelta(hours=-4)))),
    ],
)
def test_dates_are_always_timezone_aware(value: str, expected: datetime) -> None:
    result = mail(f"From: a@example.org\nDate: {value}\n\nx")

    assert result.date == expected
    assert result.date is not None and result.date.tzinfo is not None


@pytest.mark.parametrize("value", ["not a date", "Mon, 31 Feb 2024 10:00:00 +0100", "<HR>"])
def test_unreadable_dates_are_none_with_a_defect(value: str) -> None:
    result = mail(f"From: a@example.org\nDate: {value}\n\nx")

    assert result.date is None
    assert any("Date" in d for d in result.defects)


def test_a_mail_without_message_id() -> None:
    result = fixture("no_message_id.eml")

    assert result.message_id is None
    assert "no Message-ID" in result.defects
    assert result.text == "Graag wil ik weten welke gegevens u van mij verwerkt."


def test_a_mail_without_from_has_no_sender() -> None:
    result = mail("To: privacy@example.org\nSubject: anonymous\n\nx")

    assert result.sender is None
    assert "no From field" in result.defects


@pytest.mark.parametrize("value", ["MAILER-DAEMON <>", "undisclosed-recipients:;", "@", "<>"])
def test_a_from_without_usable_address_has_no_sender(value: str) -> None:
    result = mail(f"From: {value}\nSubject: x\n\nx")

    assert result.sender is None
    assert result.headers["from"] == (value,)


def test_address_lists_with_groups_comments_and_quotes() -> None:
    result = mail(
        'From: postmaster@example.org (Mail Delivery System)\n'
        'To: Team: "Doe, Jane" <Jane@Example.org>, bob@example.org;, <carl@example.org>\n'
        "\nx"
    )

    assert result.sender == Address("postmaster@example.org", "Mail Delivery System")
    assert [a.addr for a in result.to] == ["jane@example.org", "bob@example.org",
                                           "carl@example.org"]
    assert result.to[0].name == "Doe, Jane"


# --- broken headers -------------------------------------------------------------------


def test_folded_duplicated_and_malformed_headers() -> None:
    result = fixture("broken_headers.eml")

    assert result.subject == "Verzoek om inzage in mijn gegevens"
    assert result.sender == Address("piet.pieters@example.org", "Piet Pieters")
    assert result.headers["subject"] == ("Verzoek om inzage in mijn gegevens",
                                         "a second subject")
    assert [a.addr for a in result.to] == ["privacy@example.org", "second@example.org"]
    assert result.message_id == "folded-id-1@example.org"
    assert result.headers["x-empty"] == ("",)
    assert result.date is None
    assert result.text == "Graag inzage."
    assert "2 From fields; the first is used" in result.defects
    assert "2 Subject fields; the first is used" in result.defects
    assert any(d.startswith("malformed header line ignored") for d in result.defects)


def test_a_mail_with_only_headers() -> None:
    result = fixture("headers_only.eml")

    assert result.subject == "Alleen koppen"
    assert result.message_id == "headers-only-1@example.org"
    assert result.text == ""
    assert any("no body" in d for d in result.defects)


def test_mbox_from_line_and_leading_blank_lines_are_skipped() -> None:
    result = mail("\n\nFrom sam@example.org Mon Jun  3 10:00:00 2024\nFrom: sam@example.org\n\nx")

    assert result.sender == Address("sam@example.org")
    assert result.text == "x"


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_header_block_ended_by_a_body_line_keeps_that_line_in_the_body(encoding: str) -> None:
    raw = "From: Jörg <a@example.org>\nSubject: été\nDear team,\nplease delete me.\n"

    result = mail(raw.encode(encoding))

    assert (result.subject, result.sender) == ("été", Address("a@example.org", "Jörg"))
    assert result.text == "Dear team,\nplease delete me."


# --- charsets -------------------------------------------------------------------------


def test_unknown_charset_falls_back_to_utf8() -> None:
    result = fixture("charset_unknown.eml")

    assert result.subject == "Verzoek om verwijdering"
    assert "€-bedragen" in result.text
    assert any("unknown charset 'x-unknown'" in d for d in result.defects)


def test_utf8_labelled_us_ascii_is_read_as_utf8() -> None:
    assert "Renée Daniëls" in fixture("charset_ascii_is_utf8.eml").text


def test_latin1_bytes_labelled_utf8_are_read_as_windows_1252() -> None:
    result = fixture("charset_latin1_as_utf8.eml")

    assert result.text == "Mijn naam is Renée Daniëls, niet Renee Daniels. Ik woon in Köln."
    assert result.sender is not None and result.sender.name == "Renée Daniëls"
    assert any("windows-1252" in d for d in result.defects)


def test_mostly_utf8_with_one_bad_byte_keeps_the_utf8() -> None:
    result = mail(
        b"From: a@example.org\nContent-Type: text/plain; charset=utf-8\n\n"
        b"Ren\xc3\xa9e \xff Dani\xc3\xabls"
    )

    assert result.text == "Renée \ufffd Daniëls"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("=?utf-8?q?Caf=C3=A9?= =?utf-8?q?_au_lait?=", "Café au lait"),
        ("=?utf-8?b?w6k=?==?utf-8?b?w6k=?=", "éé"),
        ("=?utf-8?b?4oKs?= and =?iso-8859-15?q?=A4?=", "€ and €"),
        ("=?UTF-8?B?4o?= =?UTF-8?B?gqw=?=", "€"),
        ("=?NONE?B?VEVTVA=?=", "TEST"),
        ("=?utf-8*nl?q?h=C3=A9?=", "hé"),
        ("=?bogus?x?abc?=", "=?bogus?x?abc?="),
        ("plain ascii", "plain ascii"),
    ],
)
def test_encoded_words_in_any_charset(header: str, expected: str) -> None:
    assert mail(f"From: a@example.org\nSubject: {header}\n\nx").subject == expected


# --- bodies ---------------------------------------------------------------------------


def test_html_only_mail_reads_as_text() -> None:
    result = fixture("html_only.eml")

    assert result.html_only
    assert result.text == (
        "Beste heer/mevrouw,\n\n"
        "Ik wil mij afmelden voor de nieuwsbrief & alle andere mailings.\n"
        "Mijn adres: lotte.bos@example.org\n\n"
        "Bedankt alvast \u2013 Lotte\n\n"
        "- eén\n- twee"
    )
    assert "do-not-show" not in result.text and "color" not in result.text


def test_multipart_mail_with_attachments() -> None:
    pdf = base64.encodebytes(b"%PDF-1.4 " + bytes(range(256)) * 4).decode()
    result = mail(
        "From: a@example.org\nSubject: with files\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="outer"\n\n'
        "preamble\n--outer\n"
        'Content-Type: multipart/alternative; boundary="inner"\n\n'
        "--inner\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: "
        "quoted-printable\n\nVerwijder mijn gegevens, zie bijlage.=0A=E2=82=AC=\n5\n"
        "--inner\nContent-Type: text/html\n\n<p>Verwijder mijn <b>gegevens</b></p>\n"
        "--inner--\n"
        "--outer\nContent-Type: application/pdf; name=\"=?utf-8?q?b=C3=A9wijs.pdf?=\"\n"
        "Content-Transfer-Encoding: base64\n\n" + pdf + "--outer\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Disposition: attachment; filename*=utf-8''notitie%20%C3%A9%C3%A9n.txt\n\n"
        "attached text\n"
        "--outer--\nepilogue\n"
    )

    assert result.content_type == "multipart/mixed"
    assert result.text == "Verwijder mijn gegevens, zie bijlage.\n€5"
    assert not result.html_only
    assert result.attachments == (
        Attachment("béwijs.pdf", "application/pdf", len(b"%PDF-1.4 ") + 1024),
        Attachment("notitie één.txt", "text/plain", len("attached text")),
    )


def test_an_inline_forwarded_message_is_shown_in_the_text() -> None:
    result = mail(
        "From: a@example.org\nSubject: Fwd: x\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nSee below, please delete this.\n"
        "--b\nContent-Type: message/rfc822\n\n"
        "From: Shop <news@shop.example>\nSubject: Offer\nMessage-ID: <offer-1@shop.example>\n\n"
        "Buy now\n--b--\n"
    )

    assert result.text.startswith("See below, please delete this.")
    assert "Message-Id: <offer-1@shop.example>" in result.text
    assert result.text.endswith("Buy now")
    assert [a.content_type for a in result.attachments] == ["message/rfc822"]


def test_format_flowed_lines_are_joined() -> None:
    result = mail(
        "From: a@example.org\nContent-Type: text/plain; format=flowed\n\n"
        "Please delete all the data you have \nabout me.\n\n-- \nSam\n"
    )

    assert result.text == "Please delete all the data you have about me.\n\n-- \nSam"


def test_a_30_mb_mail_parses_without_decoding_the_attachment() -> None:
    payload = random.Random(1).randbytes(22_500_000)
    raw = (
        b"From: Big Sender <big@example.org>\r\nTo: privacy@example.org\r\nSubject: scan\r\n"
        b"Message-ID: <big-1@example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain\r\n\r\nHerewith the scan of my passport.\r\n"
        b'--b1\r\nContent-Type: application/pdf; name="scan.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(payload).replace(b"\n", b"\r\n")
        + b"--b1--\r\n"
    )
    assert len(raw) > 30_000_000

    tracemalloc.start()
    result = parse(raw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert isinstance(result, ParsedMail)
    assert result.text == "Herewith the scan of my passport."
    assert result.attachments == (Attachment("scan.pdf", "application/pdf", len(payload)),)
    assert peak < 7 * len(raw), f"{peak / 1e6:.0f} MB for a {len(raw) / 1e6:.0f} MB mail"
