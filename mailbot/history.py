"""`mailbot import`: an existing mailbox's history (a Maildir, an mbox file, or a folder on
the IMAP server mailbot reads) recorded as if it had arrived, without answering anything:
requests are recorded closed, so a later access request finds the person's earlier mail.
Importing the same mailbox again adds only what is new. Nothing in the source is changed:
an IMAP folder is opened read-only."""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.config import Settings
from mailbot.errors import ConfigError, StoreError
from mailbot.ingest import Ingestor
from mailbot.mailbox.source import FetchedMessage

if TYPE_CHECKING:
    from mailbot.oauth.tokens import XOAuth2Login


@dataclass
class ImportReport:
    new: int = 0
    known: int = 0
    dispositions: dict[str, int] = field(default_factory=dict)
    requests: int = 0


@dataclass
class History:
    """A mailbox to import: its name (what its mails are recorded under), how many mails it
    holds, its mails, and how to let it go."""

    name: str
    count: int
    messages: Callable[[], Iterator[FetchedMessage]]
    close: Callable[[], None]


IMAP_PREFIX = "imap:"


def open_any(source: str, settings: Settings, oauth: XOAuth2Login | None = None) -> History:
    """``source``: a Maildir or mbox path, or ``imap:FOLDER`` (a folder on the server of
    ``mailbox.url``, logged in as mailbot is; ``oauth``: its XOAUTH2 login if it uses one)."""
    if source.startswith(IMAP_PREFIX):
        return open_imap_history(settings, source.removeprefix(IMAP_PREFIX), oauth)
    name, box = open_history(Path(source))
    return History(name, len(box), lambda: messages(name, box), box.close)


def open_imap_history(settings: Settings, folder: str,
                      oauth: XOAuth2Login | None = None) -> History:
    from mailbot.mailbox.factory import imap_target
    from mailbot.mailbox.imap import ImapSource

    if not settings.mailbox.url.startswith(("imap://", "imaps://")):
        raise ConfigError(f"imap:{folder}: mailbox.url is not an IMAP server "
                          f"({settings.mailbox.url.split(':', 1)[0]})")
    folder = folder.strip().strip("/")
    if not folder:
        raise ConfigError("imap:FOLDER: name the folder to import, e.g. imap:Archive/2025")
    target = imap_target(settings.mailbox, oauth)
    if folder == target.folder:
        raise ConfigError(f"imap:{folder} is the folder mailbot reads and answers: its mail "
                          "is handled by `mailbot run`, not imported as history")
    source = ImapSource(replace(target, folder=folder), settings.mailbox)
    count = source.open_readonly()
    name = f"import:{source.name}"

    def read() -> Iterator[FetchedMessage]:
        for fetched in source.everything():
            yield replace(fetched, mailbox=name)

    return History(name, count, read, source.close)


def open_history(path: Path) -> tuple[str, mailbox.Mailbox]:  # type: ignore[type-arg]
    """The mailbox at ``path`` and the name its mails are recorded under."""
    if path.is_dir():
        if not (path / "cur").is_dir() or not (path / "new").is_dir():
            raise ConfigError(f"{path} is a directory but no Maildir (it lacks cur/ and new/)")
        return f"import:maildir://{path.resolve()}", mailbox.Maildir(path, factory=None,
                                                                     create=False)
    if path.is_file():
        return f"import:mbox://{path.resolve()}", mailbox.mbox(path, factory=None,
                                                               create=False)
    raise ConfigError(f"{path}: no such Maildir or mbox file")


def messages(name: str, box: mailbox.Mailbox) -> Iterator[FetchedMessage]:  # type: ignore[type-arg]
    maildir = isinstance(box, mailbox.Maildir)
    for key in box.iterkeys():
        raw = box.get_bytes(key)
        message = box.get_message(key)
        when = None
        if maildir and isinstance(message, mailbox.MaildirMessage):
            when = datetime.fromtimestamp(message.get_date(), UTC)
        else:
            try:
                when = parsedate_to_datetime(str(message.get("Date", "")))
            except (TypeError, ValueError, IndexError):
                when = None
            if when is not None and when.tzinfo is None:
                when = when.replace(tzinfo=UTC)
        # An mbox's keys are positions, which change when it does: key by content instead.
        uid = str(key) if maildir else hashlib.sha256(raw).hexdigest()[:40]
        yield FetchedMessage(raw=raw, mailbox=name, uidvalidity=0, uid=uid,
                             internaldate=when.astimezone(UTC) if when else None,
                             size=len(raw))


def import_history(ingestor: Ingestor, fetched_mails: Iterable[FetchedMessage],
                   advance: Callable[[int], None] = lambda _n: None) -> ImportReport:
    """Record every mail of a history (see ``open_any``) as history."""
    report = ImportReport()
    for fetched in fetched_mails:
        try:
            result = ingestor.ingest(fetched, history=True)
        except StoreError:
            raise
        except Exception as exc:  # one mail that breaks a step is quarantined, as in the daemon
            result = ingestor.quarantine(fetched, f"internal error: {exc!r}")
        if result.new:
            report.new += 1
            disposition = str(result.disposition)
            report.dispositions[disposition] = report.dispositions.get(disposition, 0) + 1
            report.requests += len(result.request_ids)
        else:
            report.known += 1
        advance(1)
    return report
