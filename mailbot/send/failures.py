"""The texts of sending failures, one function per kind, so that both SMTP clients
(aiosmtplib in ``transport``, smtplib in ``blocking``) tell staff, the log and the outbox
the same thing for the same failure, whatever library met it."""

from __future__ import annotations

import ssl
from collections.abc import Sequence

from mailbot.errors import PermanentSendError, SendError, TransientSendError


def reply_text(message: bytes | str) -> str:
    """A server's reply as text, decoded as aiosmtplib decodes it."""
    if isinstance(message, bytes):
        return message.decode("utf-8", "surrogateescape")
    return message


def login_refused(where: str, username: str | None, code: int, message: str, *,
                  oauth: bool = False) -> SendError:
    text = f"SMTP server {where} refused the login of user {username!r}: {code} "
    if 400 <= code < 500:
        return TransientSendError(f"{text}{message} (temporary)")
    if oauth:
        return PermanentSendError(f"{text}{message} (XOAUTH2, with a new token); "
                                  "check that the app may send as this user and "
                                  "the scope in smtp.oauth2 / mailbox.oauth2")
    return PermanentSendError(f"{text}{message}; check smtp.username and smtp.password")


def recipients_refused(where: str, refused: Sequence[tuple[str, int, str]]) -> SendError:
    """``refused``: (recipient, code, message) of each RCPT the server refused."""
    detail = "; ".join(f"{recipient}: {code} {message}" for recipient, code, message in refused)
    text = f"SMTP server {where} refused recipient(s), nothing sent: {detail}"
    if all(400 <= code < 500 for _, code, _ in refused):
        return TransientSendError(text)
    return PermanentSendError(text)


def answered(where: str, code: int, message: str) -> SendError:
    text = f"SMTP server {where} answered {code} {message}"
    return PermanentSendError(text) if 500 <= code < 600 else TransientSendError(text)


def untrusted(where: str, certificate: ssl.SSLCertVerificationError) -> SendError:
    return TransientSendError(
        f"TLS certificate of SMTP server {where} not trusted: {certificate.verify_message}"
        " (trust its CA with smtp.ca_file; smtp.tls_verify = false only for a test server)"
    )


def lacking(where: str, message: str) -> SendError:
    """No code: the server lacks what the settings need (AUTH, STARTTLS, SMTPUTF8)."""
    return PermanentSendError(f"SMTP server {where}: {message}")


def unsendable(where: str, exc: ValueError) -> SendError:
    return PermanentSendError(f"cannot send to SMTP server {where}: {exc}")


def timed_out(where: str, detail: object) -> SendError:
    return TransientSendError(f"SMTP server {where} timed out: {detail}")


def unavailable(where: str, detail: object) -> SendError:
    return TransientSendError(f"SMTP server {where} unavailable: {detail}")


def certificate_error(exc: BaseException) -> ssl.SSLCertVerificationError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None
