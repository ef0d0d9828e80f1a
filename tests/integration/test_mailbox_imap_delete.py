"""Deleting a recorded mail's original on a real Dovecot: \\Deleted and UID EXPUNGE of that
one mail, found by its recorded key; every other mail stays."""

# The fixtures are imported from the source's own tests; they come back as arguments.
# ruff: noqa: F811

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from mailbot.errors import MailboxUnavailable
from mailbot.mailbox import MailSource
from mailbot.mailbox.deletion import DeletionOutcome, MailKey
from tests.harness.dovecot import DovecotMailbox, DovecotServer
from tests.integration.test_mailbox_imap import connect  # noqa: F401

pytestmark = pytest.mark.dovecot


def mail(n: int, message_id: str | None = None, body: str = "") -> bytes:
    header = "" if message_id == "" else f"Message-ID: <{message_id or f'req-{n}@example.org'}>\r\n"
    return (f"From: Ann Example <ann{n}@example.org>\r\nTo: privacy@example.org\r\n"
            f"Subject: Request {n}\r\n{header}\r\nPlease erase my data ({n}).{body}\r\n"
            ).encode()


def record(source: MailSource) -> list[MailKey]:
    """Fetch and mark every pending mail as the daemon does; their keys as recorded."""
    keys = []
    for message in list(source.pending()):
        source.mark_recorded(message)
        text = message.raw.decode()
        mid = text.split("Message-ID: <", 1)[1].split(">", 1)[0] if "Message-ID" in text else None
        keys.append(MailKey.of(message, mid))
    return keys


def mark_deleted_by_someone_else(box: DovecotMailbox, uid: int, folder: str = "INBOX") -> None:
    with box.client() as client:
        client.select_folder(folder)
        client.add_flags([uid], ["\\Deleted"])


def test_only_the_named_mail_goes(dovecot: DovecotMailbox, connect) -> None:
    uids = [dovecot.append(mail(n)) for n in (1, 2, 3)]
    source = connect(dovecot.url())
    keys = record(source)
    others = dovecot.append(mail(4), flags=("\\Deleted",))  # someone else's, not expunged yet

    result = source.delete_original(keys[1])

    assert result.outcome is DeletionOutcome.DELETED, result.detail
    assert result.done
    assert result.removed_from == (f"INBOX UID {uids[1]}",)
    assert dovecot.uids() == [uids[0], uids[2], others]
    assert list(dovecot.folder_messages().values()) == [mail(1), mail(3), mail(4)]
    assert "\\Deleted" in dovecot.flags(others)


def test_deleting_again_reports_already_gone(dovecot: DovecotMailbox, connect) -> None:
    dovecot.append(mail(1))
    kept = dovecot.append(mail(2))
    source = connect(dovecot.url())
    keys = record(source)
    assert source.delete_original(keys[0]).outcome is DeletionOutcome.DELETED

    again = source.delete_original(keys[0])

    assert again.outcome is DeletionOutcome.ALREADY_GONE
    assert again.done
    assert dovecot.uids() == [kept]


def test_uidvalidity_changed_deletes_nothing_and_says_so(
    dovecot: DovecotMailbox, connect
) -> None:
    uids = [dovecot.append(mail(n)) for n in (1, 2)]
    source = connect(dovecot.url())
    keys = record(source)
    dovecot.set_uidvalidity(keys[0].uidvalidity + 1000)

    result = source.delete_original(keys[0])

    assert result.outcome is DeletionOutcome.UIDVALIDITY_CHANGED
    assert not result.done
    assert str(keys[0].uidvalidity + 1000) in result.detail
    assert "nothing was deleted" in result.detail
    assert dovecot.uids() == uids
    assert list(dovecot.folder_messages().values()) == [mail(1), mail(2)]


def test_a_key_from_another_mailbox_deletes_nothing(dovecot: DovecotMailbox, connect) -> None:
    uid = dovecot.append(mail(1))
    source = connect(dovecot.url())
    (key,) = record(source)
    other = MailKey(connect(dovecot.url("Archive"), processed_folder="Archive").name,
                    key.uidvalidity, key.uid)

    result = source.delete_original(other)

    assert result.outcome is DeletionOutcome.FAILED
    assert "not from" in result.detail
    assert dovecot.uids() == [uid]


def test_move_mode_finds_the_copy_in_the_processed_folder(
    dovecot: DovecotMailbox, connect
) -> None:
    for n in (1, 2, 3):
        dovecot.append(mail(n))
    source = connect(dovecot.url(), processed_folder="Processed")
    keys = record(source)
    assert dovecot.uids() == []
    # The same Message-ID on other bytes (a forgery, or another copy): not this mail.
    lookalike = dovecot.append(mail(2, body=" Other bytes."), folder="Processed")

    result = source.delete_original(keys[1])

    assert result.outcome is DeletionOutcome.DELETED, result.detail
    assert result.removed_from[0].startswith("Processed UID ")
    remaining = dovecot.folder_messages("Processed")
    assert list(remaining.values()) == [mail(1), mail(3), mail(2, body=" Other bytes.")]
    assert lookalike in remaining


def test_move_mode_without_message_id_looks_by_arrival_day(
    dovecot: DovecotMailbox, connect
) -> None:
    arrived = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    dovecot.append(mail(1, message_id=""), internaldate=arrived)
    dovecot.append(mail(2, message_id=""), internaldate=arrived)
    source = connect(dovecot.url(), processed_folder="Processed")
    keys = record(source)
    assert keys[0].message_id is None and keys[0].internaldate is not None

    result = source.delete_original(keys[0])

    assert result.outcome is DeletionOutcome.DELETED, result.detail
    assert list(dovecot.folder_messages("Processed").values()) == [mail(2, message_id="")]


def test_move_mode_survives_a_changed_uidvalidity(dovecot: DovecotMailbox, connect) -> None:
    """The copy in the processed folder is recognised by its bytes, not by the old UID."""
    dovecot.append(mail(1))
    dovecot.append(mail(2))
    source = connect(dovecot.url(), processed_folder="Processed")
    keys = record(source)
    dovecot.set_uidvalidity(keys[0].uidvalidity + 1000)

    result = source.delete_original(keys[0])

    assert result.outcome is DeletionOutcome.DELETED, result.detail
    assert list(dovecot.folder_messages("Processed").values()) == [mail(2)]


def test_move_mode_without_the_recorded_hash_cannot_look_and_says_so(
    dovecot: DovecotMailbox, connect
) -> None:
    dovecot.append(mail(1))
    source = connect(dovecot.url(), processed_folder="Processed")
    (key,) = record(source)
    bare = MailKey(key.mailbox, key.uidvalidity, key.uid, message_id=key.message_id)

    result = source.delete_original(bare)

    assert result.outcome is DeletionOutcome.FAILED
    assert "SHA-256" in result.detail
    assert list(dovecot.folder_messages("Processed").values()) == [mail(1)]


def test_fetching_and_waiting_go_on_after_a_deletion(dovecot: DovecotMailbox, connect) -> None:
    dovecot.append(mail(1))
    source = connect(dovecot.url(), processed_folder="Processed")
    (key,) = record(source)
    assert source.delete_original(key).outcome is DeletionOutcome.DELETED

    dovecot.append(mail(2))

    assert source.wait(5, threading.Event()) is True
    assert [m.raw for m in source.pending()] == [mail(2)]


@pytest.fixture
def no_uidplus(dovecot: DovecotMailbox, dovecot_factory) -> DovecotServer:
    """A Dovecot that does not offer UIDPLUS."""
    with dovecot.client() as client:
        capabilities = [c.decode() for c in client.capabilities()]
    kept = " ".join(c for c in capabilities if c != "UIDPLUS")
    return dovecot_factory(f"imap_capability = {kept}\n")


def test_without_uidplus_the_mail_is_only_flagged_and_nothing_else_expunged(
    no_uidplus: DovecotServer, connect
) -> None:
    box = no_uidplus.mailbox()
    ours = box.append(mail(1))
    theirs = box.append(mail(2))
    source = connect(box.url())
    keys = record(source)
    mark_deleted_by_someone_else(box, theirs)

    result = source.delete_original(keys[0])

    assert result.outcome is DeletionOutcome.FLAGGED
    assert not result.done
    assert "UIDPLUS" in result.detail
    assert box.uids() == [ours, theirs]
    assert "\\Deleted" in box.flags(ours)


def test_a_server_that_went_away_is_a_failure_with_the_reason(
    dovecot: DovecotMailbox, dovecot_factory, connect
) -> None:
    server = dovecot_factory("")
    box = server.mailbox()
    uid = box.append(mail(1))
    source = connect(box.url())
    (key,) = record(source)
    server.stop()

    result = source.delete_original(key)

    assert result.outcome is DeletionOutcome.FAILED
    assert isinstance(result.error, MailboxUnavailable)
    assert "delete UID" in result.detail
    server.start()
    assert box.uids() == [uid]
