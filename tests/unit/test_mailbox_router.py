"""With several mailboxes, a mail's original is deleted from the mailbox it was recorded
from (two real Maildirs), and a mailbox that cannot be opened is a failed deletion, never an
exception."""

from __future__ import annotations

from pathlib import Path

from mailbot.config import Mailbox
from mailbot.mailbox.deletion import MailKey
from mailbot.mailbox.factory import open_source
from mailbot.mailbox.router import MailboxRouter
from mailbot.mailbox.source import MailSource
from tests.harness.mails import question


def maildir(root: Path) -> Mailbox:
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    return Mailbox(url=f"maildir://{root}")


def test_each_original_is_deleted_from_its_own_mailbox(tmp_path: Path) -> None:
    first, second = maildir(tmp_path / "a"), maildir(tmp_path / "b")
    (tmp_path / "a" / "new" / "1.eml").write_bytes(question(1))
    (tmp_path / "b" / "new" / "2.eml").write_bytes(question(2))
    keys = []
    for box in (first, second):
        source = open_source(box)
        source.open()
        (fetched,) = list(source.pending())
        keys.append(MailKey.of(fetched))
        source.close()
    router = MailboxRouter(lambda: open_source(first), {keys[1].mailbox: lambda: open_source(
        second)})
    router.open()
    try:
        deleted = router.delete_original(keys[1])
    finally:
        router.close()
    assert deleted.done, deleted.detail
    assert list((tmp_path / "a" / "new").iterdir())  # the other mailbox's mail stays
    assert not list((tmp_path / "b" / "new").iterdir())


def test_a_mailbox_that_cannot_be_opened_is_a_failed_deletion(tmp_path: Path) -> None:
    first = maildir(tmp_path / "a")

    def broken() -> MailSource:
        return open_source(Mailbox(url="imap://nobody:wrong@127.0.0.1:1/INBOX", timeout=2))

    router = MailboxRouter(lambda: open_source(first), {"imap://elsewhere": broken})
    key = MailKey("imap://elsewhere", 1, "7", "0" * 64, None, None)
    deletion = router.delete_original(key)
    router.close()
    assert not deletion.done
    assert deletion.detail
