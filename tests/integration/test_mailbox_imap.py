"""The IMAP mail source against a real Dovecot (tests/harness/dovecot.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from imapclient import IMAPClient

from mailbot.config import Mailbox
from mailbot.errors import MailboxProtocolError, MailboxUnavailable
from mailbot.mailbox import FetchedMessage, MailSource, open_source
from mailbot.mailbox.imap import FETCH_CHUNK
from tests.harness.dovecot import DovecotMailbox, DovecotServer, free_port
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot


def mail(n: int) -> bytes:
    return (
        f"From: Ann Example <ann{n}@example.org>\r\n"
        "To: privacy@example.org\r\n"
        f"Subject: Request {n}\r\n"
        f"Message-ID: <request-{n}@example.org>\r\n"
        "\r\n"
        f"Please send me my data ({n}).\r\n"
    ).encode()


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1) as executor:
        yield executor


@pytest.fixture
def connect() -> Iterator[Callable[..., MailSource]]:
    """Open a source on a URL with settings overrides; closed after the test."""
    sources: list[MailSource] = []

    def make(url: str, **settings: Any) -> MailSource:
        source = open_source(Mailbox(url=url, **settings))
        sources.append(source)
        source.open()
        return source

    yield make
    for source in sources:
        source.close()


class IdleSpy:
    def __init__(self) -> None:
        self.count = 0
        self.entered = threading.Event()

    def wait(self, timeout: float) -> bool:
        return self.entered.wait(timeout)

    def is_set(self) -> bool:
        return self.entered.is_set()


@pytest.fixture
def idle_calls(monkeypatch: pytest.MonkeyPatch) -> IdleSpy:
    """Counts IDLE commands of every IMAPClient; set once one entered IDLE."""
    spy = IdleSpy()
    real_idle = IMAPClient.idle

    def idle(self: IMAPClient) -> Any:
        result = real_idle(self)
        spy.count += 1
        spy.entered.set()
        return result

    monkeypatch.setattr(IMAPClient, "idle", idle)
    return spy


def uids(messages: list[FetchedMessage]) -> list[int]:
    return [int(m.uid) for m in messages]


def test_pending_yields_appended_messages(dovecot: DovecotMailbox, connect) -> None:
    first_date = datetime(2024, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    second_date = datetime(2024, 3, 2, 12, 0, tzinfo=UTC)
    first = dovecot.append(mail(1), internaldate=first_date)
    second = dovecot.append(mail(2), internaldate=second_date)

    source = connect(dovecot.url())
    messages = list(source.pending())

    assert source.name == f"imap://{dovecot.user}@127.0.0.1:{dovecot.port}/INBOX"
    assert dovecot.password not in source.name
    assert uids(messages) == [first, second]
    assert [m.raw for m in messages] == [mail(1), mail(2)]
    assert [m.size for m in messages] == [len(mail(1)), len(mail(2))]
    assert {m.uidvalidity for m in messages} == {dovecot.uidvalidity()}
    assert {m.mailbox for m in messages} == {source.name}
    assert [m.internaldate for m in messages] == [first_date, second_date]
    assert all(m.internaldate and m.internaldate.tzinfo is UTC for m in messages)
    assert "\\Seen" not in dovecot.flags(first), "reading must not mark mail as read"


def test_mark_recorded_sets_keyword_and_hides_the_message(dovecot: DovecotMailbox, connect) -> None:
    first = dovecot.append(mail(1))
    second = dovecot.append(mail(2))
    source = connect(dovecot.url())

    for message in source.pending():
        if int(message.uid) == first:
            source.mark_recorded(message)

    assert "$MailbotSeen" in dovecot.flags(first)
    assert "$MailbotSeen" not in dovecot.flags(second)
    assert uids(list(source.pending())) == [second]


def test_custom_keyword(dovecot: DovecotMailbox, connect) -> None:
    uid = dovecot.append(mail(1))
    source = connect(dovecot.url(), keyword="Recorded")

    source.mark_recorded(next(iter(source.pending())))

    assert "Recorded" in dovecot.flags(uid)
    assert list(source.pending()) == []


def test_move_mode_creates_the_folder_and_moves(dovecot: DovecotMailbox, connect) -> None:
    dovecot.append(mail(1))
    source = connect(dovecot.url(), processed_folder="Processed")
    assert "Processed" in dovecot.folders()

    source.mark_recorded(next(iter(source.pending())))

    assert dovecot.uids("INBOX") == []
    assert list(dovecot.folder_messages("Processed").values()) == [mail(1)]
    assert list(source.pending()) == []


def test_move_recreates_a_folder_deleted_while_open(dovecot: DovecotMailbox, connect) -> None:
    dovecot.append(mail(1))
    source = connect(dovecot.url(), processed_folder="Done")
    with dovecot.client() as client:
        client.delete_folder("Done")

    source.mark_recorded(next(iter(source.pending())))

    assert list(dovecot.folder_messages("Done").values()) == [mail(1)]


def test_folder_from_url_and_credentials_from_keys(dovecot: DovecotMailbox, connect) -> None:
    uid = dovecot.append(mail(1), folder="Privacy")
    url = f"imap://someone:wrong@127.0.0.1:{dovecot.port}/Privacy"

    source = connect(url, username=dovecot.user, password=dovecot.password)

    assert source.name == f"imap://{dovecot.user}@127.0.0.1:{dovecot.port}/Privacy"
    assert uids(list(source.pending())) == [uid]


def test_message_expunged_during_pending_is_skipped(dovecot: DovecotMailbox, connect) -> None:
    # Mails are read FETCH_CHUNK at a time: the last one is in the second FETCH.
    appended = [dovecot.append(mail(n)) for n in range(FETCH_CHUNK + 1)]
    source = connect(dovecot.url())

    pending = source.pending()
    assert int(next(pending).uid) == appended[0]
    with dovecot.client() as client:
        client.select_folder("INBOX")
        client.delete_messages([appended[-1]])
        client.expunge()

    assert uids(list(pending)) == appended[1:-1]


def test_wait_returns_true_soon_after_new_mail(
    dovecot: DovecotMailbox, connect, pool: ThreadPoolExecutor, idle_calls: IdleSpy
) -> None:
    source = connect(dovecot.url())
    assert list(source.pending()) == []
    waiting = pool.submit(source.wait, 30, threading.Event())
    assert idle_calls.wait(5), "the source did not enter IDLE"

    appended_at = time.monotonic()
    dovecot.append(mail(1))

    assert waiting.result(timeout=5) is True
    assert time.monotonic() - appended_at < 2
    assert len(list(source.pending())) == 1


def test_wait_is_true_at_once_for_mail_not_yet_handed_out(dovecot: DovecotMailbox, connect) -> None:
    source = connect(dovecot.url())
    dovecot.append(mail(1))

    assert source.wait(5, threading.Event()) is True


def test_wait_returns_false_on_stop(
    dovecot: DovecotMailbox, connect, pool: ThreadPoolExecutor, idle_calls: IdleSpy
) -> None:
    source = connect(dovecot.url())
    stop = threading.Event()
    waiting = pool.submit(source.wait, 60, stop)
    assert idle_calls.wait(5)

    stop.set()
    stopped_at = time.monotonic()

    assert waiting.result(timeout=5) is False
    assert time.monotonic() - stopped_at < 1.5
    assert list(source.pending()) == [], "the connection is usable after leaving IDLE"


def test_wait_returns_false_on_timeout_and_renews_idle(
    dovecot: DovecotMailbox, connect, idle_calls: IdleSpy
) -> None:
    source = connect(dovecot.url(), idle_renew=0.3)
    started = time.monotonic()

    assert source.wait(1.0, threading.Event()) is False
    assert 0.9 < time.monotonic() - started < 3
    assert idle_calls.count >= 3
    assert list(source.pending()) == []


def test_restart_while_open_raises_unavailable_then_nothing_is_missed(
    dovecot: DovecotMailbox, connect
) -> None:
    first = dovecot.append(mail(1))
    second = dovecot.append(mail(2))
    source = connect(dovecot.url())
    messages = list(source.pending())
    source.mark_recorded(messages[0])

    dovecot.restart()

    with pytest.raises(MailboxUnavailable, match=r"connection|failed"):
        source.mark_recorded(messages[1])
    with pytest.raises(MailboxUnavailable):
        list(source.pending())  # stays unavailable until open()
    third = dovecot.append(mail(3))
    source.open()
    assert uids(list(source.pending())) == [second, third]
    assert "$MailbotSeen" in dovecot.flags(first)


def test_restart_during_idle_raises_unavailable(
    dovecot: DovecotMailbox, connect, pool: ThreadPoolExecutor, idle_calls: IdleSpy
) -> None:
    source = connect(dovecot.url())
    waiting: Future[bool] = pool.submit(source.wait, 60, threading.Event())
    assert idle_calls.wait(5)

    dovecot.restart()

    with pytest.raises(MailboxUnavailable):
        waiting.result(timeout=5)
    dovecot.append(mail(1))
    source.open()
    assert len(list(source.pending())) == 1


def test_uidvalidity_change_yields_unmarked_mail_under_the_new_value(
    dovecot: DovecotMailbox, connect
) -> None:
    dovecot.append(mail(1))
    dovecot.append(mail(2))
    source = connect(dovecot.url())
    old = list(source.pending())
    source.mark_recorded(old[0])

    dovecot.set_uidvalidity(dovecot.uidvalidity() + 1000)

    new = list(source.pending())  # each pending() re-selects, learning the new value

    assert [m.raw for m in new] == [mail(2)]
    assert new[0].uidvalidity == old[0].uidvalidity + 1000
    source.mark_recorded(old[1])  # stale UIDVALIDITY: ignored, not misapplied
    assert len(list(source.pending())) == 1
    source.mark_recorded(new[0])
    assert list(source.pending()) == []


def test_wrong_password_is_unavailable_with_a_clear_message(dovecot: DovecotMailbox) -> None:
    source = open_source(Mailbox(url=dovecot.url(), password="wrong"))

    with pytest.raises(MailboxUnavailable, match=r"refused: \[AUTHENTICATIONFAILED\].*password"):
        source.open()
    source.close()


def test_unreachable_server_is_unavailable() -> None:
    source = open_source(Mailbox(url=f"imap://u:p@127.0.0.1:{free_port()}/INBOX", timeout=2))

    with pytest.raises(MailboxUnavailable, match="connect"):
        source.open()


def test_missing_folder_is_a_protocol_error(dovecot: DovecotMailbox) -> None:
    source = open_source(Mailbox(url=dovecot.url("Nonexistent")))

    with pytest.raises(MailboxProtocolError, match="refused by the server"):
        source.open()
    source.close()


def test_calls_before_open_are_unavailable_and_close_is_idempotent(
    dovecot: DovecotMailbox,
) -> None:
    source = open_source(Mailbox(url=dovecot.url()))

    with pytest.raises(MailboxUnavailable, match="open"):
        list(source.pending())
    source.close()
    source.close()


def test_server_without_custom_keywords_is_refused_at_open(
    dovecot: DovecotMailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_select = IMAPClient.select_folder

    def select_folder(self: IMAPClient, folder: str, readonly: bool = False) -> Any:
        info = real_select(self, folder, readonly)
        info[b"PERMANENTFLAGS"] = tuple(f for f in info[b"PERMANENTFLAGS"] if f != b"\\*")
        return info

    monkeypatch.setattr(IMAPClient, "select_folder", select_folder)
    source = open_source(Mailbox(url=dovecot.url()))

    with pytest.raises(MailboxProtocolError, match=r"mailbox\.processed_folder"):
        source.open()
    source.close()
    moving = open_source(Mailbox(url=dovecot.url(), processed_folder="Processed"))
    moving.open()
    moving.close()


@pytest.fixture
def plain_server(dovecot: DovecotMailbox, dovecot_factory) -> DovecotServer:
    """A Dovecot that offers neither IDLE nor MOVE."""
    with dovecot.client() as client:
        capabilities = [c.decode() for c in client.capabilities()]
    kept = " ".join(c for c in capabilities if c not in ("IDLE", "MOVE"))
    return dovecot_factory(f"imap_capability = {kept}\n")


def test_without_idle_wait_polls_and_notices_new_mail(
    plain_server: DovecotServer, connect, pool: ThreadPoolExecutor, idle_calls: IdleSpy
) -> None:
    box = plain_server.mailbox()
    source = connect(box.url(), poll_interval=0.2)
    assert source.wait(0.3, threading.Event()) is False

    waiting = pool.submit(source.wait, 30, threading.Event())
    appended_at = time.monotonic()
    box.append(mail(1))

    assert waiting.result(timeout=5) is True
    assert time.monotonic() - appended_at < 2
    assert not idle_calls.is_set()
    assert len(list(source.pending())) == 1
    stop = threading.Event()
    stopping = pool.submit(source.wait, 30, stop)
    wait_for(lambda: stopping.running(), message="the poll to start")
    stop.set()
    assert stopping.result(timeout=2) is False


def test_without_move_copies_deletes_and_expunges(plain_server: DovecotServer, connect) -> None:
    box = plain_server.mailbox()
    box.append(mail(1))
    kept = box.append(mail(2))
    with box.client() as client:
        client.select_folder("INBOX")
        client.add_flags([kept], ["\\Deleted"])  # someone else's; must survive our expunge
    source = connect(box.url(), processed_folder="Processed")

    messages = list(source.pending())
    assert [m.raw for m in messages] == [mail(1)]
    source.mark_recorded(messages[0])

    assert box.uids("INBOX") == [kept]
    assert list(box.folder_messages("Processed").values()) == [mail(1)]
