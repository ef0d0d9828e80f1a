"""Helpers shared by the classify tests (this module holds no tests): build a ParsedMail."""

from __future__ import annotations

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Address, ParsedMail

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
