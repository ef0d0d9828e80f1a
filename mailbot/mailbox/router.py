"""Deleting a mail's original when there are several mailboxes: each key goes to the mailbox
it was recorded from (``MailKey.mailbox``), opened when first needed and closed together."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence

from mailbot.errors import MailboxError
from mailbot.mailbox.deletion import Deletion, DeletionOutcome, MailKey
from mailbot.mailbox.source import FetchedMessage, MailSource


class MailboxRouter:
    """A MailSource for deleting originals only: the opener of each mailbox by its source
    name; a key from a mailbox not configured here goes to ``default``."""

    def __init__(self, default: Callable[[], MailSource],
                 openers: Mapping[str, Callable[[], MailSource]]) -> None:
        self.default = default
        self.openers = dict(openers)
        self.name = "mailboxes"
        self._open: dict[str, MailSource] = {}

    def open(self) -> None:
        """Nothing yet: each mailbox is opened when a deletion needs it."""

    def delete_original(self, key: MailKey) -> Deletion:
        try:
            source = self._source(key.mailbox)
        except MailboxError as exc:
            return Deletion(key, DeletionOutcome.FAILED, str(exc), error=exc)
        return source.delete_original(key)

    def close(self) -> None:
        sources, self._open = list(self._open.values()), {}
        for source in sources:
            source.close()

    def _source(self, name: str) -> MailSource:
        if name not in self._open:
            source = self.openers.get(name, self.default)()
            source.open()
            self._open[name] = source
        return self._open[name]

    def pending(self) -> Iterator[FetchedMessage]:
        raise NotImplementedError("the router deletes originals; the daemon fetches")

    def mark_recorded(self, msg: FetchedMessage) -> None:
        raise NotImplementedError("the router deletes originals; the daemon marks")

    def mark_all(self, msgs: Sequence[FetchedMessage]) -> None:
        raise NotImplementedError("the router deletes originals; the daemon marks")

    def wait(self, timeout: float, stop: threading.Event) -> bool:
        raise NotImplementedError("the router deletes originals; the daemon waits")
