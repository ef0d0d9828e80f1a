"""What mail we send may repeat of what a sender wrote about themself: a display name or a
subject line, short and cleaned. Anyone can send us a mail under anyone's address, and our
answer goes to that address: a 2,000-character "name" or a subject holding a link would
otherwise go out under the organisation's name (phishing through our mailbox).

Cleaned means: no control characters, no URLs or things that look like a web or mail
address, white space folded, and cut at a word to at most ``limit`` characters."""

from __future__ import annotations

import re

NAME_LIMIT = 40
SUBJECT_LIMIT = 60
_LINKISH = re.compile(
    r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S*"  # scheme:// or www.
    r"|\S+@\S+"  # an address
    r"|\b(?:[a-z0-9-]+\.)+(?:[a-z]{2,}|xn--[a-z0-9-]+)(?:/\S*)?\b"  # a bare domain or path
)
# an escape sequence whole ("\x1b[2J"), then any other control or bidirectional mark
_CONTROL = re.compile("\x1b\\[[0-9;?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?"
                      "|[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def quoted_name(text: str | None, limit: int = NAME_LIMIT) -> str:
    return _cleaned(text, limit)


def quoted_subject(text: str | None, limit: int = SUBJECT_LIMIT) -> str:
    return _cleaned(text, limit)


def _cleaned(text: str | None, limit: int) -> str:
    if not text:
        return ""
    text = _CONTROL.sub(" ", text)
    text = _LINKISH.sub(" ", text)
    text = " ".join(text.split()).strip(" -:;,.<>\"'")
    if len(text) <= limit:
        return text
    cut = text[:limit - 1].rsplit(" ", 1)[0] if " " in text[:limit - 1] else text[:limit - 1]
    return cut.rstrip(" -:;,.") + "…"
