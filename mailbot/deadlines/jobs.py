"""The deadline jobs, runnable once (``mailbot run --once``) or by the scheduler."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from mailbot.config import Settings
from mailbot.draft.render import Renderer
from mailbot.handle.context import HandlerContext
from mailbot.sources.registry import SourceRegistry
from mailbot.store.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass
class JobResult:
    """What one run of a job did: ``queued`` outbox messages, and lines for the log."""

    queued: int = 0
    lines: list[str] = field(default_factory=list)

    def add(self, line: str, *, queued: int = 0) -> None:
        self.lines.append(line)
        self.queued += queued


class DeadlineJobs:
    """Everything the jobs need; each job takes the time from ``clock`` when it starts."""

    def __init__(self, settings: Settings, uow: Callable[[], UnitOfWork], renderer: Renderer,
                 sources: SourceRegistry, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.uow = uow
        self.renderer = renderer
        self.sources = sources
        self.clock = clock
        self.zone = ZoneInfo(settings.organisation.timezone)

    def context(self, uow: UnitOfWork, now: datetime) -> HandlerContext:
        return HandlerContext(self.settings, uow.repo, self.renderer, self.sources, now,
                              "mailbot")

    # The jobs, by the names the scheduler uses.
    def deadlines(self) -> JobResult:
        """Reminders and escalation, verification reminders and expiry, a digest when due."""
        from mailbot.deadlines import digest, expiry, reminders  # they import this module

        now = self.clock()
        result = JobResult()
        if not self.settings.deadlines.enabled:
            return result
        for step in (expiry.run, reminders.scan, digest.run):  # closed requests need no reminder
            part = step(self, now)
            result.queued += part.queued
            result.lines.extend(part.lines)
        return result

    def digest(self) -> JobResult:
        from mailbot.deadlines import digest

        if not self.settings.deadlines.enabled:
            return JobResult()
        return digest.run(self, self.clock())

    def retention(self) -> JobResult:
        from mailbot.deadlines import retention

        result = JobResult()
        if not self.settings.retention.enabled:
            return result
        with self.uow() as uow:
            report = retention.purge(uow, self.settings, self.clock(), dry_run=False)
        if report.items:
            result.add(report.listing())
        return result

    def run_all(self) -> JobResult:
        """Every job once, each on its own; a failing job is logged and the others still run."""
        total = JobResult()
        for name in ("deadlines", "retention"):
            try:
                part = getattr(self, name)()
            except Exception:
                log.exception("job %s failed", name)
                continue
            total.queued += part.queued
            total.lines.extend(part.lines)
        for line in total.lines:
            log.info("%s", line)
        return total
