"""Deleting a recorded mail's original from the mailbox (erasure, retention purge).

    source.delete_original(MailKey(...)) -> Deletion

The key is what the database recorded for the mail: (mailbox, UIDVALIDITY, UID), plus the
SHA-256 of its raw bytes, its Message-ID and its INTERNALDATE, which recognise a copy that
no longer carries the recorded UID (an IMAP source that moved it to
``mailbox.processed_folder``). A deletion never raises for mailbox trouble: the outcome
says what happened, with a reason staff can read and the translated error, so a caller
records it and makes a manual step of anything not ``done``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from mailbot.errors import MailboxError


class Fetched(Protocol):
    """What a fetched mail offers to key it (mailbox.source.FetchedMessage has it all)."""

    @property
    def mailbox(self) -> str: ...
    @property
    def uidvalidity(self) -> int: ...
    @property
    def uid(self) -> str: ...
    @property
    def raw(self) -> bytes: ...
    @property
    def internaldate(self) -> datetime | None: ...


class DeletionOutcome(StrEnum):
    DELETED = "deleted"  # removed now
    ALREADY_GONE = "already_gone"  # nowhere in the mailbox any more
    # IMAP: the folder's UIDVALIDITY is no longer the recorded one, so the UID may name
    # another mail; nothing was deleted, and no copy was recognised elsewhere.
    UIDVALIDITY_CHANGED = "uidvalidity_changed"
    # IMAP without UIDPLUS: marked \Deleted but not expunged, since a plain EXPUNGE would
    # remove every mail marked \Deleted in the folder, other people's too. The mail goes at
    # the folder's next expunge by a mail client or the server.
    FLAGGED = "flagged"
    FAILED = "failed"  # the mailbox could not be reached or refused; see `error`


@dataclass(frozen=True, slots=True)
class MailKey:
    """Where a recorded mail came from, and what recognises it."""

    mailbox: str  # FetchedMessage.mailbox / InboundMail.mailbox
    uidvalidity: int
    uid: str
    raw_sha256: str | None = None  # of the raw bytes as fetched
    message_id: str | None = None  # without angle brackets, as parse/headers.py gives it
    internaldate: datetime | None = None

    @classmethod
    def of(cls, msg: Fetched, message_id: str | None = None) -> MailKey:
        return cls(msg.mailbox, msg.uidvalidity, msg.uid,
                   hashlib.sha256(msg.raw).hexdigest(), message_id, msg.internaldate)


@dataclass(frozen=True, slots=True)
class Deletion:
    """The outcome of deleting one original, for the record and for staff."""

    key: MailKey
    outcome: DeletionOutcome
    detail: str  # one sentence for staff: where it was, what was done, or why not
    removed_from: tuple[str, ...] = ()  # folders or files the mail was removed from
    error: MailboxError | None = None  # with FAILED: the translated error

    @property
    def done(self) -> bool:
        """True when the original is no longer in the mailbox."""
        return self.outcome in (DeletionOutcome.DELETED, DeletionOutcome.ALREADY_GONE)

    def as_dict(self) -> dict[str, object]:
        return {"mailbox": self.key.mailbox, "uidvalidity": self.key.uidvalidity,
                "uid": self.key.uid, "outcome": self.outcome.value, "detail": self.detail,
                "removed_from": list(self.removed_from)}
