"""Helpers shared by the classify tests (this module holds no tests): build a ParsedMail;
the machine signs of a mailing parsed from its raw bytes."""

from __future__ import annotations

from mailbot.classify import classify
from mailbot.classify.classifier import needs_triage
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Address, ParsedMail
from mailbot.parse import parse
from mailbot.parse.noreply.signs import automatic_signs

A = RequestKind.ACCESS
C = RequestKind.CORRECTION
E = RequestKind.ERASURE
U = RequestKind.UNSUBSCRIBE
KINDS = {A, C, E, U}  # the kinds a person asks for


def mail(
    body: str = "",
    subject: str = "",
    *,
    sender: str = "sam.devries@example.org",
    name: str = "Sam de Vries",
    html_only: bool = False,
    in_reply_to: str | None = None,
) -> ParsedMail:
    return ParsedMail(
        message_id="test@example.org",
        sender=Address(sender, name),
        envelope_sender=sender,
        reply_to=(),
        to=(Address("privacy@example.test"),),
        cc=(),
        subject=subject,
        date=None,
        in_reply_to=in_reply_to,
        references=(),
        text=body,
        html_only=html_only,
        content_type="text/html" if html_only else "text/plain",
        attachments=(),
        headers={},
    )


def mailing_signs(body: str) -> tuple[str, ...]:
    """What ``automatic_signs`` finds in a mailing with ``body``, parsed as it would arrive."""
    raw = ("From: Nieuws <info@shop.example>\r\nTo: privacy@megawatt.test\r\n"
           "Subject: Nieuws\r\nMessage-ID: <n1@shop.example>\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body).encode("utf-8")
    parsed = parse(raw)
    assert isinstance(parsed, ParsedMail)
    return automatic_signs(parsed)


def acted(body: str, subject: str = "") -> set[RequestKind]:
    """The kinds acted on without a person (empty when the mail waits for one)."""
    verdict = classify(mail(body, subject))
    return set() if needs_triage(verdict) else set(verdict.kinds)
