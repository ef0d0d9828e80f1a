"""The mailbox: IMAP login, folder, IDLE and UIDVALIDITY (looked at with STATUS, never
selected), or a Maildir's folders."""

from __future__ import annotations

import os

from mailbot.check.item import Item, failed, passed
from mailbot.config import Mailbox, Settings
from mailbot.errors import MailbotError
from mailbot.mailbox.factory import imap_target, maildir_path, open_source
from mailbot.mailbox.imap import ImapSource
from mailbot.store.database import Database


def mailbox(settings: Settings, db: Database | None) -> list[Item]:
    """Every mailbox: ``[mailbox]``, then each ``[[mailboxes]]`` table (its items named with
    the mailbox's name)."""
    items = []
    for name, box in settings.all_mailboxes():
        found = _one(box, db, "mailbox" if name == "mailbox" else f"mailboxes[{name}]")
        items += found if name == "mailbox" else [
            Item(f"{item.name} ({name})", item.ok, item.detail, item.fix) for item in found]
    return items


def _one(box: Mailbox, db: Database | None, key: str) -> list[Item]:
    try:
        source = open_source(box)
    except MailbotError as exc:
        return [failed("IMAP login", str(exc), f"complete {key}.url")]
    if not isinstance(source, ImapSource):
        return [_maildir(box, key)]
    target = imap_target(box)
    not_checked = "not checked: no login"
    try:
        seen = source.inspect()
    except MailbotError as exc:
        fix = (f"check {key}.username and {key}.password" if "login" in str(exc)
               else f"check the host and port in {key}.url, and that the server is up")
        return [failed("IMAP login", str(exc), fix),
                *(failed(name, not_checked, "fix the login first")
                  for name in ("IMAP folder", "IMAP IDLE", "IMAP UIDVALIDITY"))]
    items = [passed("IMAP login", f"{target.name} as {target.username!r}")]
    if seen.uidvalidity is None:
        items.append(failed("IMAP folder", f"{target.folder!r} does not exist",
                            f"name an existing folder at the end of {key}.url"))
    elif seen.processed_folder_exists is False:
        items.append(passed("IMAP folder", f"{target.folder!r} holds {seen.messages} mail(s); "
                            f"{box.processed_folder!r} is created at start-up"))
    else:
        items.append(passed("IMAP folder", f"{target.folder!r} holds {seen.messages} mail(s)"))
    if not box.idle:
        items.append(passed("IMAP IDLE", f"not used ({key}.idle = false): polling every "
                            f"{box.poll_interval:g} s"))
    elif "IDLE" in seen.capabilities:
        items.append(passed("IMAP IDLE", "offered: new mail is seen at once"))
    else:
        items.append(failed("IMAP IDLE", "the server does not offer IDLE",
                            f"set {key}.idle = false to poll every {key}.poll_interval"))
    items.append(_uidvalidity(source.name, seen.uidvalidity, db, key))
    return items


def _uidvalidity(name: str, current: int | None, db: Database | None, key: str) -> Item:
    if current is None:
        return failed("IMAP UIDVALIDITY", "not checked: no folder", "fix the folder first")
    recorded = None
    if db is not None:
        with db.uow() as uow:
            recorded = uow.repo.inbound.last_uidvalidity(name)
    if recorded is None or recorded == current:
        seen = "as recorded" if recorded is not None else "no mail recorded from it yet"
        return passed("IMAP UIDVALIDITY", f"{current} ({seen})")
    return failed("IMAP UIDVALIDITY", f"{current}, but mail was recorded under {recorded}: "
                  "the folder was rebuilt or is another one",
                  f"make sure {key}.url names the folder mailbot read before; mail already "
                  "recorded is recognised by its Message-ID and not answered twice")


def _maildir(box: Mailbox, key: str) -> Item:
    path = maildir_path(box.url)
    missing = [sub for sub in ("new", "cur", "tmp") if not (path / sub).is_dir()]
    if missing:
        return failed("Maildir", f"{path} lacks {', '.join(missing)}",
                      f"point {key}.url at a Maildir (with new/, cur/ and tmp/)")
    if not all(os.access(path / sub, os.R_OK | os.W_OK | os.X_OK) for sub in ("new", "cur")):
        return failed("Maildir", f"{path}: cannot read and write new/ and cur/",
                      "give the user mailbot runs as read and write access")
    return passed("Maildir", f"{path}")
