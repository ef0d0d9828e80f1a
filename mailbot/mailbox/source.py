"""What every mail source hands out and the interface the daemon loop drives."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from mailbot.mailbox.deletion import Deletion, MailKey


@dataclass(frozen=True, slots=True)
class FetchedMessage:
    raw: bytes
    mailbox: str  # the source's stable name, e.g. "imap://privacy@mail.example.org:993/INBOX"
    uidvalidity: int  # IMAP UIDVALIDITY; 0 for Maildir
    uid: str  # IMAP UID as text; Maildir: the unique file name part before ":"
    internaldate: datetime | None  # aware, UTC
    size: int  # of the whole mail in the mailbox
    # Over mailbox.max_size: ``raw`` is only the header and the start of the body (at most
    # KEPT_BYTES of it); the mail itself stays where it is in the mailbox.
    truncated: bool = False


KEPT_BYTES = 64 * 1024  # of the body of a mail over mailbox.max_size, kept for staff
HEADER_LIMIT = 1024 * 1024  # of its header: a longer header is cut there


class MailSource(Protocol):
    name: str

    def open(self) -> None:
        """Connect (or create the Maildir); raises MailboxUnavailable on trouble."""

    def pending(self) -> Iterator[FetchedMessage]:
        """Every message not yet marked, oldest first, read one at a time."""

    def mark_recorded(self, msg: FetchedMessage) -> None:
        """Mark ``msg`` as recorded; call only after the database commit."""

    def mark_all(self, msgs: Sequence[FetchedMessage]) -> None:
        """Mark every one of ``msgs`` as recorded (as ``mark_recorded`` does, in fewer
        round trips); call only after the database commit."""

    def delete_original(self, key: MailKey) -> Deletion:
        """Delete the one mail recorded under ``key`` from the mailbox, and no other; never
        raises for mailbox trouble (see mailbox/deletion.py)."""

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        """Block until new mail may be there (True), or ``timeout`` passes or ``stop`` is set."""

    def close(self) -> None:
        """Release the connection; idempotent, never raises."""
