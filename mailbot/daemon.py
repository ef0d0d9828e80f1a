"""The daemon loop: take pending mail from the source and record it raw (a batch at a time,
one transaction each), mark it, handle what was recorded, deliver the outbox, wait for more.
A lost mailbox connection is reopened with backoff (the outbox is delivered meanwhile);
nothing is marked on the server before its transaction has committed. OAuth2 tokens are
renewed while it waits, before they run out.

Several daemons (workers) may share one PostgreSQL database: the one holding the mailbox's
lease fetches, every one of them handles recorded mail (each mail claimed by one) and
delivers the outbox. Several mailboxes (``[[mailboxes]]``) are each fetched in a thread of
their own and spread over the workers (mailbot/fetcher.py)."""

from __future__ import annotations

import gc
import logging
import math
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.config import Settings
from mailbot.errors import MailboxError, StoreError
from mailbot.fetcher import Fetcher, FetchThread
from mailbot.ingest import Ingestor
from mailbot.mailbox import MailSource
from mailbot.mailbox.backoff import Backoff
from mailbot.send.outbox import DeliveryReport, Outbox
from mailbot.status import Status
from mailbot.store.files import private_dir

if TYPE_CHECKING:
    from mailbot.deadlines.jobs import DeadlineJobs
    from mailbot.deadlines.scheduler import JobScheduler
    from mailbot.metrics import Metrics
    from mailbot.oauth.tokens import TokenSources
    from mailbot.store.leases import Crew, Lease

log = logging.getLogger(__name__)
HEARTBEAT_EVERY = 60.0  # seconds; `mailbot health` expects a beat at least this often
HANDLE_BATCH = 20  # recorded mails handled in one transaction
WORK_WAIT = 0.5  # a worker without the mailbox looks for recorded mail this often (seconds)


def settle_heap() -> None:
    """Collect what start-up left behind, then freeze the rest (``gc.freeze``): the modules,
    settings, lexicons and model a worker loaded (about 170,000 objects) live as long as the
    worker, and a full collection would otherwise walk them all again each time. Each such
    pass took about 80 ms and landed in whatever allocated at that moment, mostly in
    classifying a mail (issue 12, 2026-12-07: classification inside ``run_once`` cost 1.8 ms a
    mail against 1.4 ms for the same mails in a fresh process, a quarter of a millisecond
    of it these passes). Objects made later are collected as before."""
    gc.collect()
    gc.freeze()


def heartbeat_path(settings: Settings) -> Path:
    """The file the daemon touches while it runs (for ``mailbot health`` and /healthz)."""
    return settings.paths.data_dir / "heartbeat"


class Daemon:
    def __init__(self, *, source_factory: Callable[[], MailSource], ingestor: Ingestor,
                 outbox: Outbox, poll_interval: float, clock: Callable[[], datetime],
                 backoff: Backoff, heartbeat: Path | None = None,
                 jobs: DeadlineJobs | None = None,
                 credentials: TokenSources | None = None, status: Status | None = None,
                 metrics: Metrics | None = None, lease: Lease | None = None,
                 more: list[tuple[str, Callable[[], MailSource], Lease | None, Backoff]]
                 | None = None, crew: Crew | None = None) -> None:
        self.stop = threading.Event()
        self.status = status or Status(None)
        self.metrics = metrics
        self.source_factory = source_factory
        self.lease = lease  # None: the only worker, the mailbox always ours
        self.fetcher = Fetcher("mailbox", source_factory, record=ingestor.record,
                               stop=self.stop, lease=lease, status=self.status,
                               metrics=metrics)
        # [[mailboxes]]: then every mailbox is fetched in a thread of its own
        self.fetchers = [self.fetcher] + [
            Fetcher(name, factory, record=ingestor.record, stop=self.stop, lease=more_lease,
                    status=self.status, metrics=metrics)
            for name, factory, more_lease, _ in (more or [])]
        self._backoffs = [backoff] + [b for *_, b in (more or [])]
        self.crew = crew
        self._wake = threading.Event()  # a fetch thread recorded mail
        self._threads: list[FetchThread] = []
        self.ingestor = ingestor
        self.outbox = outbox
        self.poll_interval = poll_interval
        self.clock = clock
        self.backoff = backoff
        self.heartbeat = heartbeat
        self.jobs = jobs  # deadline jobs: run by run_once, scheduled by run_forever
        self.scheduler: JobScheduler | None = None
        self._delivering = threading.Lock()  # the loop and the job thread both deliver
        self.credentials = credentials  # OAuth2 tokens to keep fresh
        self.delivered = DeliveryReport()  # what run_once delivered, retried, gave up
        self._warm = False  # warm_up done

    def run_once(self) -> int:
        """Record everything pending, handle it, deliver what is due; return how many mails
        were new. Another worker holding the mailbox: handle and deliver only."""
        count = 0
        try:
            for fetcher in self.fetchers:
                if not fetcher.holds():
                    continue
                source = fetcher.source_factory()
                try:
                    source.open()
                    count += fetcher.fetch(source)
                except MailboxError as exc:
                    fetcher.lost(exc)
                    raise
                finally:
                    source.close()
            while self.ingestor.process(HANDLE_BATCH):
                pass
        finally:
            for fetcher in self.fetchers:
                if fetcher.lease is not None:
                    fetcher.lease.release()
        if self.jobs is not None:
            self.jobs.run_all()
        self.delivered = self.deliver()
        return count

    def deliver(self) -> DeliveryReport:
        with self._delivering:
            return self.outbox.deliver_due()

    def warm_up(self, *, settle: bool = False) -> None:
        """What a worker does before its first mail: load what the first mails need
        (``Ingestor.warm_up``, ``Ingestor.load_replies``); with ``settle``, then set all it
        holds aside from the garbage collector (``settle_heap``): only in a process that is
        this worker for the rest of its life (``mailbot run``), not in one that goes on to
        other work (a test)."""
        self.ingestor.warm_up()
        self.ingestor.load_replies()
        self._warm = True
        if settle:
            settle_heap()

    def run_forever(self) -> None:
        if not self._warm:
            self.warm_up()
        self.status.started()
        log.info("mailbot running; waiting for mail")
        if self.jobs is not None:
            from mailbot.deadlines.scheduler import JobScheduler

            self.scheduler = JobScheduler(self.jobs, self.deliver)
            self.scheduler.start()
        try:
            if len(self.fetchers) > 1:
                self._several()
            else:
                self._loop()
        finally:
            if self.scheduler is not None:
                self.scheduler.shutdown()
            if self.crew is not None:
                self.crew.leave()
        log.info("mailbot stopped")

    def _several(self) -> None:
        """Several mailboxes: each fetched in its thread; this loop handles what they
        recorded and delivers the outbox."""
        self._threads = [
            FetchThread(fetcher, crew=self.crew, share=self._share, held_here=self._held_here,
                        wake=self._wake, backoff=backoff, poll_interval=self.poll_interval)
            for fetcher, backoff in zip(self.fetchers, self._backoffs, strict=True)
            if self.crew is not None]
        for thread in self._threads:
            thread.start()
        try:
            while not self.stop.is_set():
                try:
                    handled = self.ingestor.process(HANDLE_BATCH)
                    self.deliver()
                    self._beat()
                    if self.credentials is not None:
                        self.credentials.keep_fresh()
                    if not handled:
                        self._wake.wait(min(self._wait_seconds(), WORK_WAIT))
                        self._wake.clear()
                    self.backoff.reset()
                except StoreError as exc:
                    self._pause(exc)
        finally:
            self._wake.set()
            for thread in self._threads:
                thread.join(timeout=10)

    def _share(self) -> int:
        """How many mailboxes this worker holds at most: all of them divided by the live
        workers, rounded up."""
        live = self.crew.live() if self.crew is not None else 1
        return math.ceil(len(self.fetchers) / live)

    def _held_here(self) -> list[Fetcher]:
        return [f for f in self.fetchers if f.held]

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                source: MailSource | None = None
                fetched = 0
                if self._holds_mailbox():
                    source = self.fetcher.connected()
                    fetched = self.fetcher.fetch(source)
                else:
                    self.fetcher.disconnect()
                handled = self.ingestor.process(HANDLE_BATCH)
                self.deliver()
                self._beat()
                if self.credentials is not None:
                    self.credentials.keep_fresh()
                if not (fetched or handled):
                    self._wait(source)
                self.backoff.reset()
            except MailboxError as exc:
                self.fetcher.lost(exc)
                self._deliver_meanwhile()
                self._pause(exc)
            except StoreError as exc:
                self._pause(exc)
        self.fetcher.release()

    def _holds_mailbox(self) -> bool:
        return self.fetcher.holds()

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

    def _wait_seconds(self) -> float:
        wait = min(self.poll_interval, HEARTBEAT_EVERY)
        next_attempt = self.outbox.next_attempt_at()
        if next_attempt is not None:
            wait = min(wait, max(0.05, (next_attempt - self.clock()).total_seconds()))
        renewal = self.credentials.next_due() if self.credentials is not None else None
        if renewal is not None:
            wait = min(wait, max(0.05, (renewal - self.clock()).total_seconds()))
        return wait
