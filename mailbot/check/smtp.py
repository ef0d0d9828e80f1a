"""The SMTP server: connect, EHLO, STARTTLS and login, then QUIT before any MAIL FROM."""

from __future__ import annotations

from mailbot.check.item import Item, failed, passed
from mailbot.config import Settings
from mailbot.errors import MailbotError
from mailbot.send.transport import SmtpTransport

FIXES = {
    "connect and EHLO": "check the host and port in smtp.url, and that the server is up",
    "STARTTLS": "use smtps:// for implicit TLS, trust the server's CA with smtp.ca_file, or "
                "use smtp:// if the server offers no TLS",
    "login": "check smtp.username and smtp.password",
}


def smtp(settings: Settings) -> list[Item]:
    try:
        transport = SmtpTransport(settings.smtp, tls_verify=settings.smtp.tls_verify,
                                  ca_file=settings.smtp.ca_file)
    except MailbotError as exc:
        return [failed("SMTP connect and EHLO", str(exc), "correct smtp.url")]
    items = []
    for step, error in transport.probe_sync():
        name = f"SMTP {step}"
        if error is None:
            detail = transport.where if step == "connect and EHLO" else "accepted"
            items.append(passed(name, detail))
        else:
            items.append(failed(name, error, FIXES[step]))
    return items
