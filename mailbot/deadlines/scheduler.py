"""The deadline jobs on an APScheduler 3.x BackgroundScheduler inside ``mailbot run``.

One worker thread runs the jobs one at a time: ``deadlines`` (reminders, escalation,
verification expiry, the digest when due) every ``deadlines.scan_interval`` seconds,
``digest`` at ``deadlines.digest_time`` for punctuality, ``retention`` every
``retention.interval`` seconds. Both interval jobs also run at start-up. Missed runs (a
sleeping laptop, a clock jump) are coalesced into one. The scheduler keeps nothing that
matters in memory: what was sent is in the database, so a restart loses nothing.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from mailbot.deadlines.base import JobResult
from mailbot.deadlines.jobs import DeadlineJobs

log = logging.getLogger(__name__)


class JobScheduler:
    def __init__(self, jobs: DeadlineJobs, deliver: Callable[[], object]) -> None:
        self.jobs = jobs
        self.deliver = deliver
        self.runs: Counter[str] = Counter()  # completed runs per job, for `wait_for_runs`
        self._changed = threading.Condition()
        self._scheduler = BackgroundScheduler(
            timezone=jobs.zone, executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None})

    def start(self) -> None:
        settings = self.jobs.settings
        now = self.jobs.clock()
        if settings.deadlines.enabled:
            self._scheduler.add_job(self._run, IntervalTrigger(
                seconds=settings.deadlines.scan_interval, timezone=self.jobs.zone),
                args=["deadlines"], id="deadlines", next_run_time=now)
            digest_time = settings.deadlines.digest_time
            if digest_time is not None and settings.deadlines.staff_address:
                self._scheduler.add_job(self._run, CronTrigger(
                    hour=digest_time.hour, minute=digest_time.minute,
                    second=digest_time.second, timezone=self.jobs.zone),
                    args=["digest"], id="digest")
            elif settings.deadlines.staff_address is None:
                log.warning("deadlines.staff_address is not set: no reminders, escalations "
                            "or digests are sent")
        if settings.retention.enabled:
            self._scheduler.add_job(self._run, IntervalTrigger(
                seconds=settings.retention.interval, timezone=self.jobs.zone),
                args=["retention"], id="retention", next_run_time=now)
        self._scheduler.start()
        log.info("deadline jobs scheduled: %s",
                 ", ".join(job.id for job in self._scheduler.get_jobs()))

    def wakeup(self) -> None:
        """Look at the clock again now (after it jumped, in tests)."""
        self._scheduler.wakeup()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)

    def wait_for_runs(self, wanted: dict[str, int], timeout: float) -> bool:
        """Whether each job in ``wanted`` completed at least that many runs within
        ``timeout`` seconds."""
        with self._changed:
            return self._changed.wait_for(
                lambda: all(self.runs[name] >= count for name, count in wanted.items()),
                timeout)

    def _run(self, name: str) -> None:
        try:
            result: JobResult = getattr(self.jobs, name)()
            for line in result.lines:
                log.info("%s", line)
            if result.queued:
                self.deliver()
        except Exception:
            log.exception("deadline job %s failed; it runs again at its next time", name)
        finally:
            with self._changed:
                self.runs[name] += 1
                self._changed.notify_all()
