"""One mailbox as a worker fetches it: its lease, its connection, and recording its pending
mail raw (a batch at a time, one transaction each, the batch marked on the server only after
it committed).

With one mailbox the daemon's loop fetches it in between handling and delivering. With
several (``[[mailboxes]]``), each has a thread of its own that fetches and waits in IDLE, and
wakes the loop when it recorded mail; the workers on one PostgreSQL database share the
mailboxes out: a worker takes a free mailbox only while it holds fewer than its share
(the mailboxes divided by the live workers, rounded up), and gives one back when a new worker
makes its share smaller."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from mailbot.errors import MailboxError, StoreError
from mailbot.mailbox import FetchedMessage, MailSource
from mailbot.mailbox.backoff import Backoff

if TYPE_CHECKING:
    from mailbot.metrics import Metrics
    from mailbot.status import Status
    from mailbot.store.leases import Crew, Lease

log = logging.getLogger(__name__)
FETCH_BATCH = 100  # mails recorded in one transaction and marked with one command
FETCH_BATCH_BYTES = 16 * 1024 * 1024  # or this much of them


class Fetcher:
    def __init__(self, name: str, source_factory: Callable[[], MailSource], *,
                 record: Callable[[Sequence[FetchedMessage]], int], stop: threading.Event,
                 lease: Lease | None = None, status: Status | None = None,
                 metrics: Metrics | None = None) -> None:
        self.name = name  # "mailbox", or the name of a [[mailboxes]] table
        self.source_factory = source_factory
        self.record = record
        self.stop = stop
        self.lease = lease  # None: the only worker, the mailbox always ours
        self.status = status
        self.metrics = metrics
        self._source: MailSource | None = None
        self._reconnecting = False  # the last connection was lost or refused

    @property
    def held(self) -> bool:
        return self.lease is None or self.lease.held

    def holds(self) -> bool:
        """Whether this worker fetches the mailbox now (renewing the lease when due)."""
        return self.lease is None or self.lease.keep()

    def connected(self) -> MailSource:
        if self._source is None:
            source = self.source_factory()
            source.open()
            self._source = source
            log.info("connected to %s", source.name)
            if self._reconnecting and self.metrics is not None:
                self.metrics.imap_reconnects.inc()
            self._reconnecting = False
        return self._source

    def disconnect(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def lost(self, exc: MailboxError) -> None:
        """The connection failed: said in the status, reopened next time."""
        self._read_failed(str(exc))
        self._reconnecting = True
        self.disconnect()

    def fetch(self, source: MailSource) -> int:
        """Record the source's pending mail raw, a batch at a time, marking each batch once it
        has committed; returns how many mails were new. Stops early when another worker has
        taken the mailbox over."""
        count = 0
        batch: list[FetchedMessage] = []
        size = 0
        for fetched in source.pending():
            batch.append(fetched)
            size += len(fetched.raw)
            if len(batch) >= FETCH_BATCH or size >= FETCH_BATCH_BYTES:
                count += self._record(source, batch)
                batch, size = [], 0
                if self.stop.is_set() or not self.holds():
                    break
        if batch:
            count += self._record(source, batch)
        self._read()
        return count

    def release(self) -> None:
        self.disconnect()
        if self.lease is not None:
            self.lease.release()

    def _record(self, source: MailSource, batch: list[FetchedMessage]) -> int:
        new = self.record(batch)
        source.mark_all(batch)
        self._read()
        return new

    def _read(self) -> None:
        if self.status is not None:
            self.status.mailbox_read(self.name)

    def _read_failed(self, error: str) -> None:
        if self.status is not None:
            self.status.mailbox_failed(error, self.name)


class FetchThread:
    """A mailbox fetched in a thread of its own (when there are several): hold its lease
    within this worker's share, fetch, wait in IDLE, wake the loop after recording."""

    def __init__(self, fetcher: Fetcher, *, crew: Crew, share: Callable[[], int],
                 held_here: Callable[[], list[Fetcher]], wake: threading.Event,
                 backoff: Backoff, poll_interval: float) -> None:
        self.fetcher = fetcher
        self.crew = crew
        self.share = share
        self.held_here = held_here
        self.wake = wake
        self.backoff = backoff
        self.poll_interval = poll_interval
        self.thread = threading.Thread(target=self._run, name=f"fetch-{fetcher.name}",
                                       daemon=True)

    def start(self) -> None:
        self.thread.start()

    def join(self, timeout: float) -> None:
        self.thread.join(timeout)

    def _run(self) -> None:
        fetcher, stop = self.fetcher, self.fetcher.stop
        while not stop.is_set():
            try:
                if self._ours():
                    source = fetcher.connected()
                    if fetcher.fetch(source):
                        self.wake.set()
                    source.wait(self._wait_seconds(), stop)
                else:
                    fetcher.disconnect()
                    stop.wait(self._idle_seconds())
                self.backoff.reset()
            except MailboxError as exc:
                fetcher.lost(exc)
                self._pause(exc)
            except StoreError as exc:
                self._pause(exc)
            except Exception:  # a bug: logged, the thread goes on after a pause
                log.exception("fetching %s failed", fetcher.name)
                fetcher.disconnect()
                stop.wait(self.backoff.next_delay())
        fetcher.release()

    def _ours(self) -> bool:
        """Hold the mailbox when it is ours or free and within our share; give it back when
        this worker holds more than its share (the last of ours in config order goes)."""
        fetcher, lease = self.fetcher, self.fetcher.lease
        if lease is None or not lease.shared:
            return True
        share = self.share()
        if lease.held:
            mine = self.held_here()
            if len(mine) > share and mine[-1] is fetcher:
                log.info("giving %s back: %d mailboxes are this worker's share", fetcher.name,
                         share)
                fetcher.release()
                return False
            return lease.keep()
        if len(self.held_here()) >= share:
            return False
        return lease.hold()

    def _wait_seconds(self) -> float:
        wait = self.poll_interval
        lease = self.fetcher.lease
        if lease is not None and lease.shared:
            wait = min(wait, lease.renew_every)
        return wait

    def _idle_seconds(self) -> float:
        lease = self.fetcher.lease
        return lease.renew_every if lease is not None and lease.shared else self.poll_interval

    def _pause(self, exc: Exception) -> None:
        delay = self.backoff.next_delay()
        log.warning("%s: %s; trying again in %.1f s", self.fetcher.name, exc, delay)
        self.fetcher.stop.wait(delay)
