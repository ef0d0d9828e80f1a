"""Invented mails for tests: only invented people, example.org / .test addresses."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

_counter = itertools.count(1)


def mail(
    body: str = "Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.",
    *,
    sender: str = "Sanne Jansen <sanne.jansen@example.org>",
    to: str = "privacy@example.org",
    subject: str = "Inzage",
    message_id: str | None = "auto",
    headers: dict[str, str] | None = None,
    html: str | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    if message_id == "auto":
        message["Message-ID"] = f"<test-{next(_counter)}-{id(body)}@mail.example.org>"
    elif message_id:
        message["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        message[name] = value
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
    return bytes(message)


def auto_reply() -> bytes:
    return mail("Ik ben afwezig tot en met 30 november.", subject="Automatisch antwoord: Inzage",
                headers={"Auto-Submitted": "auto-replied"},
                sender="Kees de Boer <kees.deboer@example.org>")


def bounce(original_message_id: str = "<ack.1.x@example.org>") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: privacy@example.org\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce-1@mx.example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n--B\r\nContent-Type: text/plain\r\n\r\nThis is the mail system.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        "Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        "From: privacy@example.org\r\nTo: nobody@example.org\r\n"
        f"Message-ID: {original_message_id}\r\n"
        "Subject: We have received your message\r\n\r\n--B--\r\n"
    ).encode()


def list_mail() -> bytes:
    return mail("Nieuws van deze week. Klik hier om je af te melden.", subject="Nieuwsbrief",
                sender="Nieuwsbrief <news@shop.example.org>",
                headers={"List-Id": "<news.shop.example.org>",
                         "List-Unsubscribe": "<mailto:unsubscribe@shop.example.org>",
                         "Precedence": "bulk"})


def question(number: int = 0, *, tag: str = "q") -> bytes:
    """A person's mail that is no GDPR request (kind other): only the acknowledgement goes out."""
    return mail(f"Hallo, ik heb een vraag over de openingstijden van jullie winkel ({number}).",
                subject="Vraag", sender=f"Persoon {tag}{number} <{tag}{number}@example.org>",
                message_id=f"<{tag}-{number}@mail.example.org>")


def acknowledgements(messages: list) -> list:
    """The acknowledgements among messages received by the SMTP sink."""
    return [m for m in messages if m.message["Message-ID"].startswith("<acknowledgement.")]
