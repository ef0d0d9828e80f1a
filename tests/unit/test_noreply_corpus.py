"""The no-reply checks against the real-world corpus: catch every machine mail, no request."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mailbot.domain.kinds import Disposition
from mailbot.domain.mail import NoReplyVerdict, ParsedMail
from mailbot.parse import parse
from mailbot.parse.noreply import check

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
OWN = frozenset({"privacy@example.org"})
REQUEST_LABELS = {"access", "correction", "erasure", "objection"}


def _rows() -> list[dict[str, str]]:
    with (CORPUS / "manifest.csv").open(newline="", encoding="utf-8") as manifest:
        return list(csv.DictReader(manifest))


ROWS = _rows()


def _mail(row: dict[str, str]) -> ParsedMail:
    raw = (CORPUS / row["path"]).read_bytes()
    if row["path"].endswith(".txt"):  # a letter a person pastes into a mail
        raw = (
            b"From: Sam de Vries <sam.devries@example.org>\r\nTo: privacy@example.org\r\n"
            b"Subject: GDPR request\r\nDate: Mon, 3 Jun 2024 10:00:00 +0200\r\n"
            b"Message-ID: <letter@example.org>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + raw
        )
    result = parse(raw)
    assert isinstance(result, ParsedMail), result
    return result


def _verdict(path: str) -> NoReplyVerdict:
    row = next(r for r in ROWS if r["path"] == path)
    result = check(_mail(row), own_addresses=OWN)
    assert result is not None
    return result


@pytest.mark.parametrize(
    "row",
    [r for r in ROWS if r["expected_label"] == "auto_reply_bounce" and r["path"].endswith(".eml")],
    ids=lambda r: r["path"],
)
def test_every_auto_reply_or_bounce_in_the_corpus_is_caught(row: dict[str, str]) -> None:
    result = check(_mail(row), own_addresses=OWN)

    assert result is not None
    assert not result.disposition.answered


@pytest.mark.parametrize(
    "row", [r for r in ROWS if r["expected_label"] in REQUEST_LABELS], ids=lambda r: r["path"]
)
def test_no_request_in_the_corpus_is_silenced(row: dict[str, str]) -> None:
    assert check(_mail(row), own_addresses=OWN) is None


@pytest.mark.parametrize(
    "path",
    [
        "sisimai-set-of-emails/not/is-not-bounce-01.eml",
        "sisimai-set-of-emails/not/is-not-bounce-02.eml",
        *(f"talon/{name}.eml" for name in (
            "android", "aol", "apple_mail", "apple_mail_2", "comcast", "gmail", "hotmail",
            "iphone", "outlook", "sparrow", "thunderbird", "yahoo")),
    ],
)
def test_mails_written_by_people_are_answered(path: str) -> None:
    row = next(r for r in ROWS if r["path"] == path)

    assert check(_mail(row), own_addresses=OWN) is None


def test_mailing_list_mail_is_list() -> None:
    result = _verdict("spamassassin/nice/mailman_message.txt.eml")

    assert (result.disposition, result.rule) == (Disposition.LIST, "list-headers")


def test_vacation_message_with_auto_submitted_is_an_auto_reply() -> None:
    result = _verdict("sisimai-set-of-emails/bsd/rfc3834-01.eml")

    assert (result.disposition, result.rule) == (Disposition.AUTO_REPLY, "auto-submitted")


def test_outlook_automatic_reply_is_an_auto_reply() -> None:
    assert _verdict("sisimai-set-of-emails/bsd/rfc3834-02.eml").disposition == (
        Disposition.AUTO_REPLY
    )


@pytest.mark.parametrize(
    ("path", "message_id", "recipients"),
    [
        ("sisimai-set-of-emails/bsd/lhost-qmail-01.eml",
         "000000000.9999999999999.JavaMail.postmaster@mailhub", ("kijitora@example.ne.jp",)),
        ("sisimai-set-of-emails/bsd/lhost-exim-01.eml",
         "E1P1ce6-000Egt-GZ@e1.example.org", ("kijitora@example.ed.jp",)),
        ("sisimai-set-of-emails/bsd/rfc3464-01.eml",
         "E1C50F1B-1C83-4820-BC36-AC6FBFBE8568@example.org", ("userunknown@bouncehammer.jp",)),
        ("sisimai-set-of-emails/bsd/lhost-gmail-01.eml",
         "D992C2C3-F175-4C4D-97E2-53A90E4E5BF5@gmail.com", ("userunknown@example.jp",)),
        ("sisimai-set-of-emails/bsd/lhost-postfix-01.eml", None, ("kijitora@example.org",)),
        ("mikel-mail/multipart_report/report_530.eml",
         "200712232303.lBNN3jDq002941@mail12.rrrr.com.au", ("edwin@zzzzzzz.com",)),
    ],
)
def test_bounces_name_the_bounced_message_and_recipients(
    path: str, message_id: str | None, recipients: tuple[str, ...]
) -> None:
    result = _verdict(path)

    assert result.disposition is Disposition.BOUNCE
    assert result.bounced_message_id == message_id
    assert result.bounced_recipients == recipients


def test_a_bounce_for_several_recipients_names_them_all() -> None:
    result = _verdict("mikel-mail/multipart_report/multi_address_bounce1.eml")

    assert len(result.bounced_recipients) > 1
    assert all("@" in r and r == r.lower() for r in result.bounced_recipients)
