"""`mailbot import`: an existing mailbox's history (a Maildir or an mbox file) recorded as
if it had arrived, without answering anything: requests are recorded closed, so a later
access request finds the person's earlier mail. Importing the same mailbox again adds only
what is new."""

from __future__ import annotations

import hashlib
import mailbox
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from mailbot.errors import ConfigError, StoreError
from mailbot.ingest import Ingestor
from mailbot.mailbox.source import FetchedMessage


@dataclass
class ImportReport:
    new: int = 0
    known: int = 0
    dispositions: dict[str, int] = field(default_factory=dict)
    requests: int = 0


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


def import_history(ingestor: Ingestor, name: str, box: mailbox.Mailbox,  # type: ignore[type-arg]
                   advance: Callable[[int], None] = lambda _n: None) -> ImportReport:
    """Record every mail of ``box`` (see ``open_history``) as history."""
    report = ImportReport()
    for fetched in messages(name, box):
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
