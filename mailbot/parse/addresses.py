"""Address fields (From, To, Cc, Reply-To, Return-Path) to :class:`Address` values."""

from __future__ import annotations

import re
from email.utils import getaddresses

from mailbot.domain.mail import Address
from mailbot.parse.headers import decode_words

# Plain mailboxes, the overwhelmingly common case, read without the general (slow) parser:
# "Name" <addr>, Name <addr>, <addr>, addr, and addr (Name).
_SIMPLE = re.compile(
    r'\s*(?:"([^"\\<>]*)"|([^"<>,;:@\\()]*?))\s*<\s*([^\s<>,;:"@()]+@[^\s<>,;:"@()]+)\s*>\s*'
    r'|\s*([^\s<>,;:"@()]+@[^\s<>,;:"@()]+)\s*(?:\(([^()\\"]*)\)\s*)?'
)
# A display name that is no valid phrase (it holds "@" or "." unquoted, as in
# ``customer@example.org <attacker@evil.example>``) before one address in angle brackets: the
# mailbox is the one in brackets, as every mail server (and DMARC) reads it.
_ANGLE_TAIL = re.compile(r'([^<>]*)<\s*([^\s<>,;:"@()]+@[^\s<>,;:"@()]+)\s*>\s*')
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_PLAIN_LIST = re.compile(r'[^"():;\\]*')
_USABLE = re.compile(r"[^@\s<>,;\"()\\]+@[^@\s<>,;\"()\\]+|[a-z0-9._+-]+")


def parse_addresses(values: list[str]) -> tuple[Address, ...]:
    """Every usable mailbox in the raw field ``values``, names decoded, addresses lower-cased."""
    found: list[Address] = []
    for value in values:
        chunks = value.split(",") if _PLAIN_LIST.fullmatch(value) else [value]
        for chunk in chunks:
            simple = _SIMPLE.fullmatch(chunk)
            if simple:
                quoted, bare_name, addr, bare_addr, comment = simple.groups()
                name = quoted if quoted is not None else bare_name or comment or ""
                found.append(Address(addr=(addr or bare_addr).lower(), name=_name(name)))
            elif (tail := _angle_tail(chunk)) is not None:
                found.append(tail)
            elif chunk.strip():
                found.extend(_general(chunk))
    return tuple(found)


def _angle_tail(chunk: str) -> Address | None:
    """One mailbox whose display name is no valid phrase, read as mail servers read it."""
    match = _ANGLE_TAIL.fullmatch(chunk)
    if match is None or "," in _QUOTED.sub("", match[1]):
        return None
    return Address(addr=match[2].lower(), name=_name(match[1]))


def _general(value: str) -> list[Address]:
    found = []
    for name, addr in getaddresses([value]):
        addr = addr.strip().strip("<>").strip().lower()
        if _USABLE.fullmatch(addr):
            found.append(Address(addr=addr, name=_name(name)))
    return found


def _name(raw: str) -> str:
    if not raw:
        return ""
    if "=?" in raw:
        raw = decode_words(raw)[0]
    return " ".join(raw.split()).strip("\"' ")


def envelope_sender(value: str | None) -> str | None:
    """Return-Path: "" for the null sender ``<>``, the lower-cased address, None when absent."""
    if value is None:
        return None
    inner = value.strip()
    if inner.startswith("<"):
        inner = inner[1:].partition(">")[0]
    inner = inner.strip().lower()
    return inner.split()[0] if inner else ""
