"""Files mailbot keeps personal data or secrets in are its owner's only: directories it
makes are 0700, files 0600, whatever the umask."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def private_dir(path: Path) -> Path:
    """Make ``path`` and the parents it lacks, each 0700 (existing ones are left as they
    are: they may be shared, such as /var/lib)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)
        directory.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 unless it exists; narrow an existing one, and the
    SQLite WAL and shared-memory files beside it, to 0600."""
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    for existing in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if existing.exists() and existing.stat().st_mode & 0o077:
            existing.chmod(0o600)
    return path
