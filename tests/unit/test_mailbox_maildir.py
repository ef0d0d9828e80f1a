"""The Maildir mail source on temporary directories."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mailbot.config import Mailbox
from mailbot.errors import MailboxUnavailable
from mailbot.mailbox import MailSource, open_source


def mail(n: int) -> bytes:
    return f"From: ann{n}@example.org\r\nSubject: Request {n}\r\n\r\nBody {n}\r\n".encode()


def deliver(root: Path, name: str, raw: bytes, mtime: float | None = None) -> Path:
    """Deliver like an MTA: write into tmp/, then rename into new/."""
    temporary = root / "tmp" / name
    temporary.write_bytes(raw)
    if mtime is not None:
        os.utime(temporary, (mtime, mtime))
    target = root / "new" / name
    temporary.rename(target)
    return target


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "Maildir"


@pytest.fixture
def make(root: Path) -> Iterator[Any]:
    sources: list[MailSource] = []

    def make(**settings: Any) -> MailSource:
        source = open_source(Mailbox(url=f"maildir://{root}", **settings))
        sources.append(source)
        source.open()
        return source

    yield make
    for source in sources:
        source.close()


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1) as executor:
        yield executor


def test_open_creates_the_maildir(root: Path, make) -> None:
    make(processed_folder="Done/Old")

    assert all((root / sub).is_dir() for sub in ("new", "cur", "tmp"))
    assert all((root / ".Done.Old" / sub).is_dir() for sub in ("new", "cur", "tmp"))
    assert (root / ".Done.Old" / "maildirfolder").exists()


def test_open_fails_clearly_where_no_maildir_can_be(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    source = open_source(Mailbox(url=f"maildir://{blocker}/Maildir"))

    with pytest.raises(MailboxUnavailable, match="cannot create the Maildir"):
        source.open()


def test_pending_yields_new_mail_oldest_first(root: Path, make) -> None:
    source = make()
    deliver(root, "200.M2P1.host", mail(2), mtime=1_700_000_200)
    deliver(root, "100.M1P1.host", mail(1), mtime=1_700_000_100)
    deliver(root, ".hidden", b"ignored")
    (root / "tmp" / "300.M3P1.host").write_bytes(b"still being delivered")

    messages = list(source.pending())

    assert source.name == f"maildir:{root}"
    assert [m.uid for m in messages] == ["100.M1P1.host", "200.M2P1.host"]
    assert [m.raw for m in messages] == [mail(1), mail(2)]
    assert [m.size for m in messages] == [len(mail(1)), len(mail(2))]
    assert {m.uidvalidity for m in messages} == {0}
    assert {m.mailbox for m in messages} == {source.name}
    assert messages[0].internaldate == datetime.fromtimestamp(1_700_000_100, UTC)


def test_mark_recorded_moves_to_cur_as_seen(root: Path, make) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    deliver(root, "2.M2P1.host", mail(2))
    first = next(iter(source.pending()))

    source.mark_recorded(first)
    source.mark_recorded(first)  # again: harmless

    assert (root / "cur" / "1.M1P1.host:2,S").read_bytes() == mail(1)
    assert [m.uid for m in source.pending()] == ["2.M2P1.host"]


def test_mark_recorded_after_reopening(root: Path, make) -> None:
    first_source = make()
    deliver(root, "1.M1P1.host", mail(1))
    message = next(iter(first_source.pending()))

    make().mark_recorded(message)

    assert (root / "cur" / "1.M1P1.host:2,S").exists()


def test_move_mode_moves_into_the_subfolder_and_reads_cur(root: Path, make) -> None:
    source = make(processed_folder="Processed")
    deliver(root, "1.M1P1.host", mail(1), mtime=1_700_000_000)
    (root / "cur" / "2.M2P1.host:2,S").write_bytes(mail(2))  # read by a person already

    messages = list(source.pending())
    for message in messages:
        source.mark_recorded(message)

    assert [m.uid for m in messages] == ["1.M1P1.host", "2.M2P1.host"]
    assert (root / ".Processed" / "new" / "1.M1P1.host").read_bytes() == mail(1)
    assert (root / ".Processed" / "cur" / "2.M2P1.host:2,S").read_bytes() == mail(2)
    assert list(source.pending()) == []


def test_files_vanishing_after_the_listing_are_skipped(root: Path, make) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1), mtime=1_700_000_000)
    second = deliver(root, "2.M2P1.host", mail(2), mtime=1_700_000_100)

    pending = source.pending()
    first = next(pending)
    second.unlink()

    assert list(pending) == []
    source.mark_recorded(first)


def test_marking_a_vanished_file_only_warns(
    root: Path, make, caplog: pytest.LogCaptureFixture
) -> None:
    source = make()
    path = deliver(root, "1.M1P1.host", mail(1))
    message = next(iter(source.pending()))
    path.unlink()

    with caplog.at_level(logging.WARNING, logger="mailbot.mailbox"):
        source.mark_recorded(message)

    assert "has gone" in caplog.text


def test_mark_rejects_messages_of_another_source(root: Path, make, tmp_path: Path) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    message = next(iter(source.pending()))
    other = open_source(Mailbox(url=f"maildir://{tmp_path}/other"))
    other.open()

    with pytest.raises(ValueError, match="is not from"):
        other.mark_recorded(message)


def test_wait_is_true_at_once_for_mail_not_handed_out(root: Path, make) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))

    assert source.wait(5, threading.Event()) is True
    list(source.pending())
    assert source.wait(0.1, threading.Event()) is False


def test_wait_notices_new_mail(root: Path, make, pool: ThreadPoolExecutor) -> None:
    source = make()
    waiting = pool.submit(source.wait, 30, threading.Event())

    delivered_at = time.monotonic()
    deliver(root, "1.M1P1.host", mail(1))

    assert waiting.result(timeout=5) is True
    assert time.monotonic() - delivered_at < 2


def test_wait_returns_false_on_timeout_and_on_stop(
    root: Path, make, pool: ThreadPoolExecutor
) -> None:
    source = make()
    started = time.monotonic()
    assert source.wait(0.2, threading.Event()) is False
    assert time.monotonic() - started >= 0.2

    stop = threading.Event()
    waiting = pool.submit(source.wait, 30, stop)
    stop.set()
    assert waiting.result(timeout=2) is False


def test_relative_and_home_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))

    relative = open_source(Mailbox(url="maildir://var/mail%20box"))
    home = open_source(Mailbox(url="maildir://~/Maildir"))

    assert relative.name == f"maildir:{tmp_path}/var/mail box"
    assert home.name == f"maildir:{tmp_path}/home/Maildir"
