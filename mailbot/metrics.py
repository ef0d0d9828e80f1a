"""Prometheus metrics for ``GET /metrics``. What the database knows (mails by disposition,
requests by kind and status, overdue requests, the outbox) is read from it at each scrape,
so the figures hold across restarts and other processes; what happens inside this daemon
(IMAP reconnects, delivery failures, the time from a mail's arrival to its
acknowledgement) is counted as it happens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from mailbot.domain.states import OutboxStatus
from mailbot.store.uow import UnitOfWork

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# Seconds from arrival to acknowledgement: within a second is the aim, an hour is trouble.
LATENCY_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 6 * 3600, 24 * 3600)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.imap_reconnects = Counter(
            "mailbot_imap_reconnects", "Connections to the mailbox opened again after one was "
            "lost or refused.", registry=self.registry)
        self.outbox_failures = Counter(
            "mailbot_outbox_failures", "Delivery attempts that failed, by kind (transient: "
            "retried; permanent: given up).", ["kind"], registry=self.registry)
        self.acknowledgement_latency = Histogram(
            "mailbot_acknowledgement_latency_seconds", "Time from a mail's arrival to the "
            "delivery of its acknowledgement.", buckets=LATENCY_BUCKETS,
            registry=self.registry)

    def watch(self, uow: Callable[[], UnitOfWork], clock: Callable[[], datetime],
              timezone: str) -> None:
        """Read the database's figures at each scrape."""
        self.registry.register(_StoreCollector(uow, clock, timezone))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _StoreCollector(Collector):
    def __init__(self, uow: Callable[[], UnitOfWork], clock: Callable[[], datetime],
                 timezone: str) -> None:
        self.uow = uow
        self.clock = clock
        self.zone = ZoneInfo(timezone)

    def describe(self) -> list[Metric]:
        return []  # the families come from the database at each scrape

    def collect(self) -> Iterator[Metric]:
        today = self.clock().astimezone(self.zone).date()
        with self.uow() as uow:
            repo = uow.repo
            dispositions = repo.inbound.by_disposition()
            requests = repo.requests.by_kind_and_status()
            overdue = repo.requests.counts(today)["overdue"]
            backlog, _oldest, _due = repo.outbox.backlog()
            failed = repo.outbox.count(OutboxStatus.FAILED)
        mails = CounterMetricFamily("mailbot_mails", "Mails recorded, by disposition.",
                                    labels=["disposition"])
        for disposition, number in sorted(dispositions.items()):
            mails.add_metric([disposition], number)
        yield mails
        by_kind = GaugeMetricFamily("mailbot_requests", "Requests, by kind and status.",
                                    labels=["kind", "status"])
        for (kind, status), number in sorted(requests.items()):
            by_kind.add_metric([kind, status], number)
        yield by_kind
        yield GaugeMetricFamily("mailbot_requests_overdue",
                                "Open requests past their legal due date.", value=overdue)
        yield GaugeMetricFamily("mailbot_outbox_backlog", "Mails waiting to be delivered.",
                                value=backlog)
        yield GaugeMetricFamily("mailbot_outbox_failed",
                                "Mails the outbox gave up on (listed for staff).",
                                value=failed)
