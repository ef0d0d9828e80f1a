"""The daemon loop: take pending mail from the source and record it raw (a batch at a time,
one transaction each), mark it, handle what was recorded, deliver the outbox, wait for more.
A lost mailbox connection is reopened with backoff (the outbox is delivered meanwhile);
nothing is marked on the server before its transaction has committed. OAuth2 tokens are
renewed while it waits, before they run out.

Several daemons (workers) may share one PostgreSQL database: the one holding the mailbox's
lease fetches, every one of them handles recorded mail (each mail claimed by one) and
delivers the outbox."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.config import Settings
from mailbot.errors import MailboxError, StoreError
from mailbot.ingest import Ingestor
from mailbot.mailbox import FetchedMessage, MailSource
from mailbot.mailbox.backoff import Backoff
from mailbot.send.outbox import DeliveryReport, Outbox
from mailbot.status import Status
from mailbot.store.files import private_dir

if TYPE_CHECKING:
    from mailbot.deadlines.jobs import DeadlineJobs
    from mailbot.deadlines.scheduler import JobScheduler
    from mailbot.metrics import Metrics
    from mailbot.oauth.tokens import TokenSources
    from mailbot.store.leases import Lease

log = logging.getLogger(__name__)
HEARTBEAT_EVERY = 60.0  # seconds; `mailbot health` expects a beat at least this often
FETCH_BATCH = 100  # mails recorded in one transaction and marked with one command
FETCH_BATCH_BYTES = 16 * 1024 * 1024  # or this much of them
HANDLE_BATCH = 20  # recorded mails handled in one transaction
WORK_WAIT = 0.5  # a worker without the mailbox looks for recorded mail this often (seconds)


def heartbeat_path(settings: Settings) -> Path:
    """The file the daemon touches while it runs (for ``mailbot health`` and /healthz)."""
    return settings.paths.data_dir / "heartbeat"


class Daemon:
    def __init__(self, *, source_factory: Callable[[], MailSource], ingestor: Ingestor,
                 outbox: Outbox, poll_interval: float, clock: Callable[[], datetime],
                 backoff: Backoff, heartbeat: Path | None = None,
                 jobs: DeadlineJobs | None = None,
                 credentials: TokenSources | None = None, status: Status | None = None,
                 metrics: Metrics | None = None, lease: Lease | None = None) -> None:
        self.source_factory = source_factory
        self.lease = lease  # None: the only worker, the mailbox always ours
        self.ingestor = ingestor
        self.outbox = outbox
        self.poll_interval = poll_interval
        self.clock = clock
        self.backoff = backoff
        self.heartbeat = heartbeat
        self.stop = threading.Event()
        self._source: MailSource | None = None
        self.jobs = jobs  # deadline jobs: run by run_once, scheduled by run_forever
        self.scheduler: JobScheduler | None = None
        self._delivering = threading.Lock()  # the loop and the job thread both deliver
        self.credentials = credentials  # OAuth2 tokens to keep fresh
        self.status = status or Status(None)
        self.metrics = metrics
        self.delivered = DeliveryReport()  # what run_once delivered, retried, gave up
        self._reconnecting = False  # the last connection was lost or refused

    def run_once(self) -> int:
        """Record everything pending, handle it, deliver what is due; return how many mails
        were new. Another worker holding the mailbox: handle and deliver only."""
        count = 0
        try:
            if self._holds_mailbox():
                source = self.source_factory()
                try:
                    source.open()
                    count = self._fetch(source)
                    self.status.mailbox_read()
                except MailboxError as exc:
                    self.status.mailbox_failed(str(exc))
                    raise
                finally:
                    source.close()
            while self.ingestor.process(HANDLE_BATCH):
                pass
        finally:
            if self.lease is not None:
                self.lease.release()
        if self.jobs is not None:
            self.jobs.run_all()
        self.delivered = self.deliver()
        return count

    def deliver(self) -> DeliveryReport:
        with self._delivering:
            return self.outbox.deliver_due()

    def run_forever(self) -> None:
        self.ingestor.warm_up()
        self.status.started()
        log.info("mailbot running; waiting for mail")
        if self.jobs is not None:
            from mailbot.deadlines.scheduler import JobScheduler

            self.scheduler = JobScheduler(self.jobs, self.deliver)
            self.scheduler.start()
        try:
            self._loop()
        finally:
            if self.scheduler is not None:
                self.scheduler.shutdown()
        log.info("mailbot stopped")

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                source: MailSource | None = None
                fetched = 0
                if self._holds_mailbox():
                    source = self._connected()
                    fetched = self._fetch(source)
                    self.status.mailbox_read()
                else:
                    self._disconnect()
                handled = self.ingestor.process(HANDLE_BATCH)
                self.deliver()
                self._beat()
                if self.credentials is not None:
                    self.credentials.keep_fresh()
                if not (fetched or handled):
                    self._wait(source)
                self.backoff.reset()
            except MailboxError as exc:
                self.status.mailbox_failed(str(exc))
                self._reconnecting = True
                self._disconnect()
                self._deliver_meanwhile()
                self._pause(exc)
            except StoreError as exc:
                self._pause(exc)
        self._disconnect()
        if self.lease is not None:
            self.lease.release()

    def _holds_mailbox(self) -> bool:
        return self.lease is None or self.lease.keep()

    def _wait(self, source: MailSource | None) -> None:
        """Until new mail may be there: in the mailbox (its holder; waking to renew the
        lease), or recorded by the worker that holds it."""
        wait = self._wait_seconds()
        if source is None:
            self.stop.wait(min(wait, WORK_WAIT))
            return
        if self.lease is not None and self.lease.shared:
            wait = min(wait, self.lease.renew_every)
        source.wait(wait, self.stop)

    def _deliver_meanwhile(self) -> None:
        """Deliver while the mailbox is unreachable: replies already recorded, and the staff
        mail that says so, need not wait for it."""
        try:
            self.deliver()
        except StoreError as exc:
            log.warning("%s", exc)

    def _beat(self) -> None:
        if self.heartbeat is not None:
            private_dir(self.heartbeat.parent)
            self.heartbeat.touch()

    def _pause(self, exc: Exception) -> None:
        delay = self.backoff.next_delay()
        log.warning("%s; trying again in %.1f s", exc, delay)
        self.stop.wait(delay)

    def _connected(self) -> MailSource:
        if self._source is None:
            source = self.source_factory()
            source.open()
            self._source = source
            log.info("connected to %s", source.name)
            if self._reconnecting and self.metrics is not None:
                self.metrics.imap_reconnects.inc()
            self._reconnecting = False
        return self._source

    def _disconnect(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None

    def _fetch(self, source: MailSource) -> int:
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
                if self.stop.is_set() or not self._holds_mailbox():
                    break
        if batch:
            count += self._record(source, batch)
        return count

    def _record(self, source: MailSource, batch: list[FetchedMessage]) -> int:
        new = self.ingestor.record(batch)
        source.mark_all(batch)
        self.status.mailbox_read()
        return new

    def _wait_seconds(self) -> float:
        wait = min(self.poll_interval, HEARTBEAT_EVERY)
        next_attempt = self.outbox.next_attempt_at()
        if next_attempt is not None:
            wait = min(wait, max(0.05, (next_attempt - self.clock()).total_seconds()))
        renewal = self.credentials.next_due() if self.credentials is not None else None
        if renewal is not None:
            wait = min(wait, max(0.05, (renewal - self.clock()).total_seconds()))
        return wait
