"""The deadline jobs, runnable once (``mailbot run --once``) or by the scheduler."""

from __future__ import annotations

import logging

from mailbot.deadlines import digest, expiry, reminders, retention
from mailbot.deadlines.base import JobEnv, JobResult

log = logging.getLogger(__name__)


class DeadlineJobs(JobEnv):
    """The jobs by the names the scheduler uses."""

    def deadlines(self) -> JobResult:
        """Reminders and escalation, verification reminders and expiry, a digest when due."""
        now = self.clock()
        result = JobResult()
        if not self.settings.deadlines.enabled:
            return result
        for step in (expiry.run, reminders.scan, digest.run):  # closed requests need no reminder
            result.extend(step(self, now))
        return result

    def digest(self) -> JobResult:
        if not self.settings.deadlines.enabled:
            return JobResult()
        return digest.run(self, self.clock())

    def retention(self) -> JobResult:
        result = JobResult()
        if not self.settings.retention.enabled:
            return result
        with self.uow() as uow:
            report = retention.purge(uow, self.settings, self.clock(), dry_run=False,
                                     mailbox=self.services.mailbox)
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
            total.extend(part)
        for line in total.lines:
            log.info("%s", line)
        return total
