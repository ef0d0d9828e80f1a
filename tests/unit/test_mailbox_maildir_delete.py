"""Deleting a recorded mail's original from a real Maildir (temporary directories)."""

# The fixtures are imported from the source's own tests; they come back as arguments.
# ruff: noqa: F811

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mailbot.errors import MailboxUnavailable
from mailbot.mailbox import MailSource
from mailbot.mailbox.deletion import DeletionOutcome, MailKey

# The Maildir and a source factory, as the source's own tests make them.
from tests.unit.test_mailbox_maildir import deliver, mail, make, root  # noqa: F401


def files(root: Path) -> list[str]:
    """Every mail file under ``root``, as paths relative to it."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and p.parent.name in ("new", "cur"))


def recorded(source: MailSource, count: int) -> list[MailKey]:
    """Fetch and mark ``count`` mails like the daemon does; their keys as recorded."""
    messages = list(source.pending())
    assert len(messages) == count
    for message in messages:
        source.mark_recorded(message)
    return [MailKey.of(m) for m in messages]


def test_only_the_named_mail_goes(root: Path, make) -> None:
    source = make()
    for n in (1, 2, 3):
        deliver(root, f"{n}.M{n}P1.host", mail(n), mtime=1_700_000_000 + n)
    keys = recorded(source, 3)

    result = source.delete_original(keys[1])

    assert result.outcome is DeletionOutcome.DELETED
    assert result.done
    assert result.removed_from == (str(root / "cur" / "2.M2P1.host:2,S"),)
    assert files(root) == ["cur/1.M1P1.host:2,S", "cur/3.M3P1.host:2,S"]
    assert (root / "cur" / "1.M1P1.host:2,S").read_bytes() == mail(1)


def test_deleting_again_reports_already_gone(root: Path, make) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    deliver(root, "2.M2P1.host", mail(2))
    keys = recorded(source, 2)
    assert source.delete_original(keys[0]).outcome is DeletionOutcome.DELETED

    again = source.delete_original(keys[0])

    assert again.outcome is DeletionOutcome.ALREADY_GONE
    assert again.done
    assert again.removed_from == ()
    assert files(root) == ["cur/2.M2P1.host:2,S"]


def test_a_mail_not_yet_marked_is_found_in_new(root: Path, make) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    message = next(iter(source.pending()))

    result = source.delete_original(MailKey.of(message))

    assert result.outcome is DeletionOutcome.DELETED
    assert files(root) == []
    assert list(source.pending()) == []


def test_a_mail_read_by_a_person_keeps_its_key(root: Path, make) -> None:
    """A mail reader renames cur/NAME:2,S to cur/NAME:2,RS; the unique name still finds it."""
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    (key,) = recorded(source, 1)
    (root / "cur" / "1.M1P1.host:2,S").rename(root / "cur" / "1.M1P1.host:2,RS")

    assert source.delete_original(key).outcome is DeletionOutcome.DELETED
    assert files(root) == []


def test_move_mode_deletes_from_the_processed_folder(root: Path, make) -> None:
    source = make(processed_folder="Processed")
    deliver(root, "1.M1P1.host", mail(1), mtime=1_700_000_001)
    deliver(root, "2.M2P1.host", mail(2), mtime=1_700_000_002)
    keys = recorded(source, 2)
    assert files(root) == [".Processed/new/1.M1P1.host", ".Processed/new/2.M2P1.host"]

    result = source.delete_original(keys[0])

    assert result.outcome is DeletionOutcome.DELETED
    assert files(root) == [".Processed/new/2.M2P1.host"]


def test_a_mail_moved_to_another_folder_is_found_there(root: Path, make) -> None:
    """The processed folder was renamed in the config, or a person filed the mail away."""
    source = make(processed_folder="Old")
    deliver(root, "1.M1P1.host", mail(1))
    deliver(root, "2.M2P1.host", mail(2))
    keys = recorded(source, 2)
    (root / ".Archive" / "cur").mkdir(parents=True)
    (root / ".Old" / "new" / "2.M2P1.host").rename(root / ".Archive" / "cur" / "2.M2P1.host:2,S")

    now = make(processed_folder="New")
    assert now.delete_original(keys[1]).outcome is DeletionOutcome.DELETED
    assert now.delete_original(keys[0]).outcome is DeletionOutcome.DELETED
    assert files(root) == []


def test_a_source_reopened_later_still_finds_the_mail(root: Path, make) -> None:
    """Retention purges run long after the fetch: the key alone is enough."""
    first = make()
    deliver(root, "1.M1P1.host", mail(1))
    (key,) = recorded(first, 1)

    assert make().delete_original(key).outcome is DeletionOutcome.DELETED
    assert files(root) == []


def test_a_key_from_another_mailbox_deletes_nothing(root: Path, make, tmp_path: Path) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    (key,) = recorded(source, 1)
    elsewhere = MailKey(f"maildir:{tmp_path / 'Other'}", 0, key.uid)

    result = source.delete_original(elsewhere)

    assert result.outcome is DeletionOutcome.FAILED
    assert not result.done
    assert "not from" in result.detail
    assert files(root) == ["cur/1.M1P1.host:2,S"]


@pytest.mark.parametrize("uid", ["", "../cur/1.M1P1.host", ".hidden", "a/b"])
def test_a_name_that_is_no_maildir_name_deletes_nothing(root: Path, make, uid: str) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    recorded(source, 1)

    result = source.delete_original(MailKey(source.name, 0, uid))

    assert result.outcome is DeletionOutcome.FAILED
    assert "no Maildir name" in result.detail
    assert files(root) == ["cur/1.M1P1.host:2,S"]


def test_a_broken_maildir_is_a_failure_with_the_reason(root: Path, make) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    (key,) = recorded(source, 1)
    shutil.rmtree(root / "cur")
    (root / "cur").write_text("not a directory")

    result = source.delete_original(key)

    assert result.outcome is DeletionOutcome.FAILED
    assert isinstance(result.error, MailboxUnavailable)
    assert "cannot list" in result.detail
    assert "Not a directory" in result.detail


def test_the_result_is_a_record(root: Path, make) -> None:
    source = make()
    deliver(root, "1.M1P1.host", mail(1))
    (key,) = recorded(source, 1)

    record = source.delete_original(key).as_dict()

    assert record == {"mailbox": source.name, "uidvalidity": 0, "uid": "1.M1P1.host",
                      "outcome": "deleted",
                      "detail": f"deleted {root / 'cur' / '1.M1P1.host:2,S'}",
                      "removed_from": [str(root / "cur" / "1.M1P1.host:2,S")]}
