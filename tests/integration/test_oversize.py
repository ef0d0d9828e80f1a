"""Issue 10, break 9, through Dovecot and a Maildir: a mail over ``mailbox.max_size`` is
never read whole, wherever its bulk is (an attachment, or a header of many megabytes), and
what staff are told to do with it is what the commands do."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mailbot.mailbox.source import HEADER_LIMIT, KEPT_BYTES
from mailbot.service import quarantine, users
from tests.harness.app import make_settings
from tests.integration.test_bad_input import huge_mail
from tests.unit.console_support import PASSWORD

pytestmark = pytest.mark.dovecot

LIMIT = 1024 * 1024
MEGABYTES = 24
BOUND = 12 * 1024 * 1024  # at most this much Python memory at once for a 24 MB mail
STAFF = "Fenna Visser"


def header_bomb(megabytes: int) -> bytes:
    """A mail whose bulk is in its header: thousands of long lines before the text."""
    line = b"X-Padding: " + b"a" * 986 + b"\r\n"
    return (b"From: Big Sender <big@example.org>\r\nTo: privacy@example.org\r\n"
            b"Subject: Mijn gegevens\r\nMessage-ID: <bomb@mail.example.org>\r\n"
            + line * (megabytes * 1024) + b"Content-Type: text/plain\r\n\r\n"
            b"Stuur me een overzicht van mijn gegevens.\r\n")


def peak_of(action: Callable[[], object]) -> int:
    """The most memory Python held at once while ``action`` ran, in bytes."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def recorded(app: Any) -> SimpleNamespace:
    with app.uow() as uow:
        [row] = uow.repo.inbound.list()
        return SimpleNamespace(id=row.id, disposition=row.disposition, error=row.error or "",
                               raw=row.raw or b"", raw_size=row.raw_size)


@pytest.mark.parametrize("make", [huge_mail, header_bomb], ids=["attachment", "header"])
def test_a_mail_over_the_limit_is_never_read_whole_over_imap(
        make: Callable[[int], bytes], tmp_path: Path, dovecot: Any, smtp_sink: Any,
        database_url: str, app_factory: Any) -> None:
    app = app_factory(make_settings(tmp_path, mailbox_url=dovecot.url(),
                                    smtp_url=smtp_sink.url, database_url=database_url,
                                    mailbox={"max_size": LIMIT}))
    app.daemon.run_once()  # warm: what is loaded once is not this mail's cost
    big = make(MEGABYTES)
    uid = dovecot.append(big)
    peak = peak_of(app.daemon.run_once)
    assert peak < BOUND, f"{peak:,} bytes at the peak for a {len(big):,}-byte mail"
    row = recorded(app)
    assert row.disposition == "quarantined" and "too large" in row.error
    assert row.raw_size == len(big)
    assert len(row.raw) <= HEADER_LIMIT + KEPT_BYTES
    assert dovecot.uids() == [uid]  # the whole mail stays in the mailbox
    assert smtp_sink.messages == []


def test_a_header_over_the_limit_is_cut_in_a_maildir_too(
        tmp_path: Path, smtp_sink: Any, app_factory: Any) -> None:
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    app = app_factory(make_settings(tmp_path, mailbox_url=f"maildir://{maildir}",
                                    smtp_url=smtp_sink.url, mailbox={"max_size": LIMIT}))
    app.daemon.run_once()
    big = header_bomb(MEGABYTES)
    (maildir / "new" / "1.bomb.eml").write_bytes(big)
    peak = peak_of(app.daemon.run_once)
    assert peak < BOUND, f"{peak:,} bytes at the peak for a {len(big):,}-byte mail"
    row = recorded(app)
    assert len(row.raw) <= HEADER_LIMIT + KEPT_BYTES and row.raw_size == len(big)


def test_what_staff_are_told_to_do_is_what_replay_does(
        tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    app = app_factory(make_settings(tmp_path, mailbox_url=dovecot.url(),
                                    smtp_url=smtp_sink.url, database_url=database_url,
                                    mailbox={"max_size": LIMIT}))
    dovecot.append(huge_mail(3))
    app.daemon.run_once()
    row = recorded(app)
    # Raising the limit cannot bring the rest back: only what was kept can be replayed.
    assert "raise mailbox.max_size" not in row.error
    assert "replay" in row.error and "kept" in row.error
    users.add(app.service, STAFF, "approver", PASSWORD, by=None)
    replayed = quarantine.replay(app.service, row.id, by=STAFF)
    assert replayed.error is None and replayed.disposition == "request"
    assert len(replayed.references) == 1  # the request in the text that was kept
