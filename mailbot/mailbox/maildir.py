"""Maildir mail source: mail waits in new/; the mark moves it to cur/ with the Seen flag
(``:2,S``), or into the Maildir++ subfolder ``.{processed_folder}`` when that is set.

Keyword mode assumes that only mailbot moves files out of new/ (a mail reader working on
the same Maildir would move unread mail to cur/, which mailbot then never sees). In move
mode the folder's cur/ is read too, since every file still in the folder is unprocessed.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from mailbot.config import Mailbox
from mailbot.errors import MailboxUnavailable
from mailbot.mailbox.deletion import Deletion, DeletionOutcome, MailKey
from mailbot.mailbox.source import HEADER_LIMIT, KEPT_BYTES, FetchedMessage

log = logging.getLogger(__name__)

POLL_INTERVAL = 0.5
SEEN_INFO = ":2,S"


def _read(path: Path, max_size: int) -> tuple[bytes, int]:
    """The mail in ``path`` and its size; over ``max_size``, only its header and the start of
    its body (KEPT_BYTES), read without loading the rest."""
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size <= max_size:
            return handle.read(), size
        head = b""
        while len(head) < HEADER_LIMIT:
            chunk = handle.read(KEPT_BYTES)
            if not chunk:
                break
            head += chunk
            found = min((i + len(m) for m in (b"\r\n\r\n", b"\n\n")
                         if (i := head.find(m)) >= 0), default=None)
            if found is not None:
                body = head[found:found + KEPT_BYTES]
                body += handle.read(max(0, KEPT_BYTES - len(body)))
                return head[:found] + body, size
        return head[:HEADER_LIMIT], size


def unique_name(filename: str) -> str:
    return filename.split(":", 1)[0]


def folder_dir(root: Path, folder: str) -> Path:
    """The Maildir++ directory of a subfolder: "Archive/Done" -> root/.Archive.Done"""
    return root / ("." + folder.replace("/", "."))


class MaildirSource:
    def __init__(self, root: Path, settings: Mailbox) -> None:
        self.root = root
        self.name = f"maildir:{root}"
        self._processed = settings.processed_folder
        self._max_size = settings.max_size
        self._poll = min(POLL_INTERVAL, settings.poll_interval)
        self._handed_out: set[str] = set()
        self._where: dict[str, Path] = {}

    def open(self) -> None:
        try:
            _make_maildir(self.root)
            if self._processed:
                target = folder_dir(self.root, self._processed)
                _make_maildir(target)
                (target / "maildirfolder").touch()
        except OSError as exc:
            raise MailboxUnavailable(f"{self.name}: cannot create the Maildir: {exc}") from exc

    def pending(self) -> Iterator[FetchedMessage]:
        self._handed_out = set()
        self._where = {}
        for path, mtime in self._listing():
            uid = unique_name(path.name)
            self._handed_out.add(uid)
            try:
                raw, size = _read(path, self._max_size)
            except FileNotFoundError:
                continue  # taken away since the listing
            except OSError as exc:
                raise MailboxUnavailable(f"{self.name}: cannot read {path}: {exc}") from exc
            self._where[uid] = path
            yield FetchedMessage(
                raw=raw,
                mailbox=self.name,
                uidvalidity=0,
                uid=uid,
                internaldate=datetime.fromtimestamp(mtime, UTC),
                size=size,
                truncated=size > self._max_size,
            )

    def mark_recorded(self, msg: FetchedMessage) -> None:
        if msg.mailbox != self.name:
            raise ValueError(f"{msg.mailbox} is not from {self.name}")
        if msg.truncated:
            return  # too large to take: it stays where it is, and staff are told
        source = self._find(msg.uid)
        if source is None:
            log.warning("%s: %s has gone; nothing to mark", self.name, msg.uid)
            return
        if self._processed:
            target = folder_dir(self.root, self._processed) / source.parent.name / source.name
        elif source.parent.name == "new":
            target = self.root / "cur" / (msg.uid + SEEN_INFO)
        else:
            return  # already in cur/: marked before
        try:
            os.rename(source, target)
        except FileNotFoundError:
            log.warning("%s: %s vanished while being marked", self.name, msg.uid)
        except OSError as exc:
            raise MailboxUnavailable(f"{self.name}: cannot mark {msg.uid}: {exc}") from exc
        self._where.pop(msg.uid, None)

    def mark_all(self, msgs: Sequence[FetchedMessage]) -> None:
        for msg in msgs:
            self.mark_recorded(msg)

    def delete_original(self, key: MailKey) -> Deletion:
        """Remove the file of the mail recorded under ``key`` (its unique name), wherever
        it is now: new/, cur/ or a subfolder."""
        if key.mailbox != self.name:
            return Deletion(key, DeletionOutcome.FAILED,
                            f"recorded from {key.mailbox}, not from {self.name}")
        if not key.uid or "/" in key.uid or key.uid.startswith("."):
            return Deletion(key, DeletionOutcome.FAILED, f"{key.uid!r} is no Maildir name")
        removed: list[str] = []
        try:
            for directory in self._homes():
                for path in _named(directory, key.uid):
                    if _unlink(path, self.name):
                        removed.append(str(path))
        except MailboxUnavailable as exc:
            return Deletion(key, DeletionOutcome.FAILED, str(exc),
                            removed_from=tuple(removed), error=exc)
        self._where.pop(key.uid, None)
        if not removed:
            return Deletion(key, DeletionOutcome.ALREADY_GONE, "no longer in the Maildir")
        return Deletion(key, DeletionOutcome.DELETED, f"deleted {', '.join(removed)}",
                        removed_from=tuple(removed))

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        deadline = time.monotonic() + timeout
        while not stop.is_set():
            if any(unique_name(p.name) not in self._handed_out for p in self._names()):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            stop.wait(min(self._poll, remaining))
        return False

    def close(self) -> None:
        self._where = {}

    def _dirs(self) -> list[Path]:
        dirs = [self.root / "new"]
        if self._processed:
            dirs.append(self.root / "cur")
        return dirs

    def _names(self) -> list[Path]:
        try:
            return [
                directory / name
                for directory in self._dirs()
                for name in os.listdir(directory)
                if not name.startswith(".")
            ]
        except OSError as exc:
            raise MailboxUnavailable(f"{self.name}: cannot list the Maildir: {exc}") from exc

    def _listing(self) -> list[tuple[Path, float]]:
        """Messages with their delivery time, oldest first; vanished ones left out."""
        found = []
        for path in self._names():
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            found.append((stat.st_mtime_ns, path.name, path, stat.st_mtime))
        found.sort()
        return [(path, mtime) for _ns, _name, path, mtime in found]

    def _homes(self) -> list[Path]:
        """Every directory a recorded mail may be in: new/ and cur/ of the Maildir and of
        each Maildir++ subfolder (the processed folder, an earlier one, a person's archive).
        A unique name names one mail in the whole Maildir."""
        try:
            folders = sorted(p for p in self.root.iterdir()
                             if p.name.startswith(".") and p.name not in (".", "..")
                             and p.is_dir())
        except OSError as exc:
            raise MailboxUnavailable(f"{self.name}: cannot list the Maildir: {exc}") from exc
        return [root / sub for root in (self.root, *folders) for sub in ("new", "cur")]

    def _find(self, uid: str) -> Path | None:
        known = self._where.get(uid)
        if known is not None and known.exists():
            return known
        for directory in (self.root / "new", self.root / "cur"):
            for candidate in (directory / uid, *directory.glob(f"{_glob_escape(uid)}:*")):
                if candidate.exists():
                    return candidate
        return None


def _make_maildir(path: Path) -> None:
    for sub in ("new", "cur", "tmp"):
        (path / sub).mkdir(mode=0o700, parents=True, exist_ok=True)


def _named(directory: Path, uid: str) -> list[Path]:
    """The files in ``directory`` whose unique name is ``uid`` (with any info suffix)."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise MailboxUnavailable(f"cannot list {directory}: {exc}") from exc
    return [directory / name for name in names if unique_name(name) == uid]


def _unlink(path: Path, source: str) -> bool:
    """Remove ``path`` for good; False when it was gone already."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise MailboxUnavailable(f"{source}: cannot delete {path}: {exc}") from exc
    _sync(path.parent)
    return True


def _sync(directory: Path) -> None:
    """Make a removal in ``directory`` survive a crash."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        log.debug("fsync of %s failed", directory, exc_info=True)
    finally:
        os.close(fd)


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
