"""What the daemon last saw of the servers it talks to, kept in a small JSON file beside the
heartbeat so that `mailbot health` (another process) and /healthz can tell the truth: when
the mailbox was last read, when SMTP last took a mail or failed. Times are wall-clock
seconds (``time.time()``), like the heartbeat's modification time."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
WRITE_EVERY = 1.0  # seconds: mail read in a burst rewrites the file at most this often


def status_path(data_dir: Path) -> Path:
    return data_dir / "status.json"


class Status:
    """Thread-safe (the loop and the job thread both deliver); never raises for its file.
    Each write merges what changed into the file, so a command that delivers (another
    process) adds its news without wiping the daemon's."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._pending: dict[str, dict[str, Any]] = {}
        self._written = 0.0
        self._smtp_ok = False

    def started(self) -> None:
        with self._lock:
            self._pending.clear()
            self._write({"started_at": time.time(), "mailbox": {}, "smtp": {}})
            self._written = 0.0  # the first read after the start is written at once

    def mailbox_read(self, name: str = "mailbox") -> None:
        self._set(part_for(name), ok_at=time.time(), error=None, throttle=True)

    def mailbox_failed(self, error: str, name: str = "mailbox") -> None:
        self._set(part_for(name), failed_at=time.time(), error=error)

    def smtp_delivered(self) -> None:
        """A mail left. After another that left, written at most every WRITE_EVERY seconds
        (``flush`` at the end of the round writes the last); after a failure, at once."""
        self._set("smtp", ok_at=time.time(), error=None, down=False, throttle=self._smtp_ok)
        self._smtp_ok = True

    def smtp_failed(self, error: str, *, down: bool) -> None:
        """``down``: the server could not be reached or refused for now (not one recipient
        refused for good)."""
        self._smtp_ok = False
        self._set("smtp", failed_at=time.time(), error=error, down=down)

    def flush(self) -> None:
        """Write what a throttled update left pending."""
        with self._lock:
            if self._pending:
                self._write_pending()

    def _set(self, part: str, *, throttle: bool = False, **values: Any) -> None:
        with self._lock:
            self._pending.setdefault(part, {}).update(values)
            if throttle and time.time() - self._written < WRITE_EVERY:
                return
            self._write_pending()

    def _write_pending(self) -> None:
        """Merge the pending changes into the file (the lock held)."""
        data = (read_status(self.path) if self.path else None) or {}
        for name, changed in self._pending.items():
            data.setdefault(name, {}).update(changed)
        self._pending.clear()
        self._write(data)

    def _write(self, data: dict[str, Any]) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=".status-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
            os.replace(name, self.path)
            self._written = time.time()
        except OSError as exc:
            log.warning("cannot write the status file %s: %s", self.path, exc.strerror)


def part_for(mailbox: str) -> str:
    """The status file's part for a mailbox: "mailbox" for ``[mailbox]``, "mailbox:NAME" for
    a ``[[mailboxes]]`` table."""
    return "mailbox" if mailbox == "mailbox" else f"mailbox:{mailbox}"


def read_status(path: Path) -> dict[str, Any] | None:
    """The daemon's status, or None when it never wrote one (or it cannot be read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
