"""Deleting one recorded mail on an IMAP server: ``\\Deleted`` and ``UID EXPUNGE``.

The recorded UID names the mail only in the folder it was fetched from and only under the
recorded UIDVALIDITY. A mail moved to the processed folder has another UID there, so it is
recognised by the SHA-256 of its bytes among the mails with its Message-ID (or, without
one, the mails that arrived within a day of its INTERNALDATE). Only those UIDs are ever
expunged: ``UID EXPUNGE`` (UIDPLUS, RFC 4315) removes just them. Without UIDPLUS the mail is
marked ``\\Deleted`` and left for the folder's next expunge, since a plain EXPUNGE would
remove every mail marked ``\\Deleted``, other people's too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum

from imapclient import IMAPClient

from mailbot.mailbox.deletion import Deletion, DeletionOutcome, MailKey

DELETED = "\\Deleted"
DATE_WINDOW = timedelta(days=1)  # around INTERNALDATE: SEARCH dates ignore time zones


class _Removal(Enum):
    REMOVED = "removed"
    FLAGGED = "flagged"
    GONE = "gone"
    STUCK = "stuck"  # still there after UID EXPUNGE


@dataclass
class _Findings:
    removed: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    stuck: list[str] = field(default_factory=list)


class ImapDeleter:
    """Deletes on a connected client; leaves another folder selected (the caller re-selects).

    IMAP errors pass through untranslated: the caller wraps the call in its translation."""

    def __init__(self, client: IMAPClient, folder: str, processed_folder: str | None) -> None:
        self.client = client
        self.folder = folder
        self.processed_folder = processed_folder

    def delete(self, key: MailKey) -> Deletion:
        try:
            uid = int(key.uid)
        except ValueError:
            return Deletion(key, DeletionOutcome.FAILED, f"{key.uid!r} is no IMAP UID")
        found = _Findings()
        info = self.client.select_folder(self.folder)
        current = int(info[b"UIDVALIDITY"])
        stale = current != key.uidvalidity
        if not stale:
            self._note(self._remove([uid]), f"{self.folder} UID {uid}", found)
        moved = self._moved_copies(key, found)
        if moved is not None and not (found.removed or found.flagged or found.stuck):
            return Deletion(key, DeletionOutcome.FAILED, moved)
        return _outcome(key, found, stale, current, self.folder)

    def _moved_copies(self, key: MailKey, found: _Findings) -> str | None:
        """Remove the copies moved to the processed folder; a reason when they cannot be
        looked for."""
        folder = self.processed_folder
        if not folder or folder == self.folder:
            return None
        if not self.client.folder_exists(folder):
            return None
        if not key.raw_sha256:
            return (f"the mail may have been moved to {folder}, where it can only be "
                    "recognised by the SHA-256 of its bytes, and none was recorded")
        criteria = _criteria(key)
        if criteria is None:
            return (f"the mail may have been moved to {folder}, and neither its Message-ID "
                    "nor its arrival time was recorded to look for it")
        self.client.select_folder(folder)
        matching = [uid for uid in sorted(self.client.search(criteria))
                    if self._sha256(uid) == key.raw_sha256]
        if matching:
            names = ", ".join(str(uid) for uid in matching)
            self._note(self._remove(matching), f"{folder} UID {names}", found)
        return None

    def _sha256(self, uid: int) -> str | None:
        data = self.client.fetch([uid], ["BODY.PEEK[]"]).get(uid)
        body = None if data is None else data.get(b"BODY[]")
        return None if body is None else hashlib.sha256(bytes(body)).hexdigest()

    def _remove(self, uids: list[int]) -> _Removal:
        present = self.client.search(["UID", ",".join(str(u) for u in uids)])
        if not present:
            return _Removal.GONE
        self.client.add_flags(present, [DELETED], silent=True)
        if not self.client.has_capability("UIDPLUS"):
            return _Removal.FLAGGED
        self.client.uid_expunge(present)
        if self.client.search(["UID", ",".join(str(u) for u in present)]):
            return _Removal.STUCK
        return _Removal.REMOVED

    @staticmethod
    def _note(removal: _Removal, where: str, found: _Findings) -> None:
        if removal is _Removal.REMOVED:
            found.removed.append(where)
        elif removal is _Removal.FLAGGED:
            found.flagged.append(where)
        elif removal is _Removal.STUCK:
            found.stuck.append(where)


def _criteria(key: MailKey) -> list[object] | None:
    if key.message_id:
        return ["HEADER", "Message-ID", key.message_id]
    if key.internaldate is not None:
        day = key.internaldate.date()
        return ["SINCE", day - DATE_WINDOW, "BEFORE", day + 2 * DATE_WINDOW]
    return None


def _outcome(key: MailKey, found: _Findings, stale: bool, current: int,
             folder: str) -> Deletion:
    if found.stuck:
        return Deletion(key, DeletionOutcome.FAILED,
                        f"still in {', '.join(found.stuck)} after UID EXPUNGE",
                        removed_from=tuple(found.removed))
    if found.flagged:
        return Deletion(
            key, DeletionOutcome.FLAGGED,
            f"marked \\Deleted in {', '.join(found.flagged)} but not expunged: the server "
            "lacks UIDPLUS, and a plain EXPUNGE would remove every mail marked \\Deleted",
            removed_from=tuple(found.removed))
    if found.removed:
        return Deletion(key, DeletionOutcome.DELETED,
                        f"deleted from {', '.join(found.removed)}",
                        removed_from=tuple(found.removed))
    if stale:
        return Deletion(
            key, DeletionOutcome.UIDVALIDITY_CHANGED,
            f"{folder} has UIDVALIDITY {current}, not the recorded {key.uidvalidity}: UID "
            f"{key.uid} may name another mail now, so nothing was deleted")
    return Deletion(key, DeletionOutcome.ALREADY_GONE, "no longer in the mailbox")
