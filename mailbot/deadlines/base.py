"""What every deadline job runs with, and what it reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from mailbot.handle.context import HandlerContext, Services
from mailbot.store.uow import UnitOfWork


@dataclass
class JobResult:
    """What one run of a job did: ``queued`` outbox messages, and lines for the log."""

    queued: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, line: str, *, queued: int = 0) -> None:
        self.lines.append(line)
        self.queued += queued

    def extend(self, other: JobResult) -> None:
        self.queued += other.queued
        self.lines.extend(other.lines)


class JobEnv:
    """The services and the database; each job takes the time from ``clock`` when it
    starts and works in units of work of its own."""

    def __init__(self, services: Services, uow: Callable[[], UnitOfWork]) -> None:
        self.services = services
        self.uow = uow
        self.settings = services.settings
        self.clock = services.clock
        self.zone = ZoneInfo(services.settings.organisation.timezone)

    def context(self, uow: UnitOfWork, now: datetime) -> HandlerContext:
        return self.services.context(uow.repo, now=now)
