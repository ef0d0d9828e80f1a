"""The mailbox: IMAP login, folder, IDLE and UIDVALIDITY (looked at with STATUS, never
selected), or a Maildir's folders."""

from __future__ import annotations

import os

from mailbot.check.item import Item, failed, passed
from mailbot.config import Settings
from mailbot.errors import MailbotError
from mailbot.mailbox.factory import imap_target, maildir_path, open_source
from mailbot.mailbox.imap import ImapSource
from mailbot.store.database import Database


def mailbox(settings: Settings, db: Database | None) -> list[Item]:
    try:
        source = open_source(settings.mailbox)
    except MailbotError as exc:
        return [failed("IMAP login", str(exc), "complete mailbox.url")]
    if not isinstance(source, ImapSource):
        return [_maildir(settings)]
    target = imap_target(settings.mailbox)
    not_checked = "not checked: no login"
    try:
        seen = source.inspect()
    except MailbotError as exc:
        fix = ("check mailbox.username and mailbox.password" if "login" in str(exc)
               else "check the host and port in mailbox.url, and that the server is up")
        return [failed("IMAP login", str(exc), fix),
                *(failed(name, not_checked, "fix the login first")
                  for name in ("IMAP folder", "IMAP IDLE", "IMAP UIDVALIDITY"))]
    items = [passed("IMAP login", f"{target.name} as {target.username!r}")]
    if seen.uidvalidity is None:
        items.append(failed("IMAP folder", f"{target.folder!r} does not exist",
                            "name an existing folder at the end of mailbox.url"))
    elif seen.processed_folder_exists is False:
        items.append(passed("IMAP folder", f"{target.folder!r} holds {seen.messages} mail(s); "
                            f"{settings.mailbox.processed_folder!r} is created at start-up"))
    else:
        items.append(passed("IMAP folder", f"{target.folder!r} holds {seen.messages} mail(s)"))
    if not settings.mailbox.idle:
        items.append(passed("IMAP IDLE", f"not used (mailbox.idle = false): polling every "
                            f"{settings.mailbox.poll_interval:g} s"))
    elif "IDLE" in seen.capabilities:
        items.append(passed("IMAP IDLE", "offered: new mail is seen at once"))
    else:
        items.append(failed("IMAP IDLE", "the server does not offer IDLE",
                            "set mailbox.idle = false to poll every mailbox.poll_interval"))
    items.append(_uidvalidity(source.name, seen.uidvalidity, db))
    return items


def _uidvalidity(name: str, current: int | None, db: Database | None) -> Item:
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
                  "make sure mailbox.url names the folder mailbot read before; mail already "
                  "recorded is recognised by its Message-ID and not answered twice")


def _maildir(settings: Settings) -> Item:
    path = maildir_path(settings.mailbox.url)
    missing = [sub for sub in ("new", "cur", "tmp") if not (path / sub).is_dir()]
    if missing:
        return failed("Maildir", f"{path} lacks {', '.join(missing)}",
                      "point mailbox.url at a Maildir (with new/, cur/ and tmp/)")
    if not all(os.access(path / sub, os.R_OK | os.W_OK | os.X_OK) for sub in ("new", "cur")):
        return failed("Maildir", f"{path}: cannot read and write new/ and cur/",
                      "give the user mailbot runs as read and write access")
    return passed("Maildir", f"{path}")
