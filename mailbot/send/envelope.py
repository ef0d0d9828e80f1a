"""What goes on the wire for one message, whichever SMTP client carries it: the bytes,
the MAIL parameters and the encoding of the commands."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

from mailbot.errors import PermanentSendError


@dataclass(frozen=True)
class Envelope:
    data: bytes
    options: list[str]  # MAIL FROM parameters
    encoding: str  # of the MAIL and RCPT commands


def envelope(message: EmailMessage | bytes, sender: str, recipients: list[str],
             supports: Callable[[str], bool]) -> Envelope:
    """``supports(extension)``: whether the server's EHLO offered it (lower case)."""
    utf8 = not (sender + "".join(recipients)).isascii()
    if utf8 and not supports("smtputf8"):
        raise PermanentSendError("a non-ASCII address, and the server lacks SMTPUTF8")
    data = flatten(message, utf8=utf8)
    options = []
    if supports("size"):
        options.append(f"SIZE={len(data)}")
    if not data.isascii() and supports("8bitmime"):
        options.append("BODY=8BITMIME")
    if utf8:
        options.append("SMTPUTF8")
    return Envelope(data, options, "utf-8" if utf8 else "ascii")


def flatten(message: EmailMessage | bytes, *, utf8: bool) -> bytes:
    if isinstance(message, bytes):
        return message
    message = copy.copy(message)  # del replaces the header list, so the original keeps its own
    del message["Bcc"], message["Resent-Bcc"]
    return message.as_bytes(policy=policy.SMTPUTF8 if utf8 else policy.SMTP)
