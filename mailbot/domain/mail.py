"""What the parse stage makes of raw bytes, and what the classify stage makes of that."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from mailbot.domain.kinds import Disposition, RequestKind

LOOP_HEADER = "X-Mailbot-Loop"  # on all our mail; mail carrying it is never answered
_ADDRESS_LIKE = re.compile(r"[^\s<>\"'(),;:@]+@[^\s<>\"'(),;:@]+\.[^\s<>\"'(),;:@]+")


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox: ``addr`` is lower-cased, ``name`` is the decoded display name."""

    addr: str
    name: str = ""

    @property
    def domain(self) -> str:
        return self.addr.rpartition("@")[2]

    @property
    def name_address(self) -> str | None:
        return address_in_name(self.name, self.addr)


def address_in_name(name: str | None, addr: str | None) -> str | None:
    """An address the display name spells that is not the mailbox itself, as in
    ``customer@example.org <attacker@evil.example>``: a reader sees it, mail servers (and
    DMARC) go by the address in angle brackets. None when the name holds no other address."""
    for found in _ADDRESS_LIKE.findall(name or ""):
        if found.strip(".").lower() != (addr or "").lower():
            return found.strip(".").lower()
    return None


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """A mail as the later stages see it. Header names in ``headers`` are lower-case."""

    message_id: str | None  # without angle brackets
    sender: Address | None  # From (first address); None when there is no usable From
    envelope_sender: str | None  # Return-Path: "" for the null sender <>, None when absent
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    date: datetime | None  # aware, UTC when the header has no zone; None if absent or unreadable
    in_reply_to: str | None
    references: tuple[str, ...]
    text: str  # the body as text: text/plain, or converted from HTML when that is all there is
    html_only: bool
    content_type: str  # of the top-level part, e.g. "multipart/report"
    attachments: tuple[Attachment, ...]
    headers: Mapping[str, tuple[str, ...]]  # every header, decoded, in order of appearance
    defects: tuple[str, ...] = ()  # what the parser repaired or ignored
    # Fields as they came (never RFC 2047-decoded): addresses, ids, dates, subject, and
    # Authentication-Results, whose trust must not depend on what an encoded word spells.
    raw_headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        values = self.headers.get(name.lower())
        return values[0] if values else None


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """Raw bytes that could not be made into a ParsedMail; they are quarantined."""

    error: str


@dataclass(frozen=True, slots=True)
class NoReplyVerdict:
    """Why a mail must never be answered: the disposition and the named rule that decided."""

    disposition: Disposition
    rule: str
    reason: str
    bounced_message_id: str | None = None  # for bounces of our own mail: the original's id
    bounced_recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    """One rule that fired: its name, the kind it speaks for, and the words it saw."""

    rule: str
    kind: RequestKind | None
    matched: str
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class DetectedRequest:
    kind: RequestKind
    confidence: float  # 0..1
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Classification:
    """The classify stage's verdict: one or more requests (``other`` when unsure)."""

    language: str  # ISO 639-1, e.g. "nl"; "und" when it cannot tell
    requests: tuple[DetectedRequest, ...]
    evidence: tuple[Evidence, ...] = field(default=())  # everything that fired, for staff
    review: tuple[str, ...] = field(default=())  # why the whole mail waits for a person

    @property
    def kinds(self) -> tuple[RequestKind, ...]:
        return tuple(r.kind for r in self.requests)
