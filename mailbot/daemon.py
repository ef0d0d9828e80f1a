"""The daemon loop: take pending mail from the source, record it, mark it, deliver the outbox,
wait for more. A lost mailbox connection is reopened with backoff (the outbox is delivered
meanwhile); nothing is marked on the server before its transaction has committed. OAuth2
tokens are renewed while it waits, before they run out."""

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

log = logging.getLogger(__name__)
HEARTBEAT_EVERY = 60.0  # seconds; `mailbot health` expects a beat at least this often


def heartbeat_path(settings: Settings) -> Path:
    """The file the daemon touches while it runs (for ``mailbot health`` and /healthz)."""
    return settings.paths.data_dir / "heartbeat"


class Daemon:
    def __init__(self, *, source_factory: Callable[[], MailSource], ingestor: Ingestor,
                 outbox: Outbox, poll_interval: float, clock: Callable[[], datetime],
                 backoff: Backoff, heartbeat: Path | None = None,
                 jobs: DeadlineJobs | None = None,
                 credentials: TokenSources | None = None, status: Status | None = None,
                 metrics: Metrics | None = None) -> None:
        self.source_factory = source_factory
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
        """Record everything pending, deliver what is due; return how many mails were new."""
        source = self.source_factory()
        try:
            source.open()
            count = self._drain(source)
            self.status.mailbox_read()
        except MailboxError as exc:
            self.status.mailbox_failed(str(exc))
            raise
        finally:
            source.close()
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
                source = self._connected()
                self._drain(source)
                self.status.mailbox_read()
                self.deliver()
                self._beat()
                if self.credentials is not None:
                    self.credentials.keep_fresh()
                source.wait(self._wait_seconds(), self.stop)
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

    def _drain(self, source: MailSource) -> int:
        count = 0
        for fetched in source.pending():
            if self.stop.is_set():
                break
            try:
                result = self.ingestor.ingest(fetched)
            except StoreError:
                raise
            except Exception as exc:  # a bug must cost one mail a quarantine, not the daemon
                log.exception("recording %s %s failed; quarantining it", source.name, fetched.uid)
                result = self.ingestor.quarantine(fetched, f"internal error: {exc!r}")
            source.mark_recorded(fetched)
            self.status.mailbox_read()
            count += result.new
        return count

    def _wait_seconds(self) -> float:
        wait = min(self.poll_interval, HEARTBEAT_EVERY)
        next_attempt = self.outbox.next_attempt_at()
        if next_attempt is not None:
            wait = min(wait, max(0.05, (next_attempt - self.clock()).total_seconds()))
        renewal = self.credentials.next_due() if self.credentials is not None else None
        if renewal is not None:
            wait = min(wait, max(0.05, (renewal - self.clock()).total_seconds()))
        return wait
