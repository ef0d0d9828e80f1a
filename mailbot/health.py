"""Whether the daemon is doing its work, told from what it left behind: the heartbeat, the
status file (the mailbox's last successful read, SMTP's last delivery or failure), the
outbox in the database, and the sources asked now. For `mailbot health` and /healthz."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from mailbot.config import Settings
from mailbot.daemon import HEARTBEAT_EVERY, heartbeat_path
from mailbot.oauth.status import token_problems
from mailbot.status import part_for, read_status, status_path
from mailbot.store.database import Database

HEARTBEAT_LIMIT = 3 * HEARTBEAT_EVERY + 30


def mailbox_limit(settings: Settings) -> float:
    """Seconds without a successful read before the mailbox counts as unhealthy: N poll
    intervals, each at most as long as the daemon ever waits between two reads."""
    return settings.health.mailbox_polls * min(settings.mailbox.poll_interval, HEARTBEAT_EVERY)


def check_health(settings: Settings, database: Database, *,
                 sources: bool = True) -> tuple[bool, dict[str, Any]]:
    """Healthy or not, the figures that say so, and ``problems``: one line each."""
    now = time.time()
    problems: list[str] = []
    report: dict[str, Any] = {}

    trouble = database.ping()
    report["db"] = "ok" if trouble is None else f"error: {trouble}"
    if trouble is not None:
        problems.append(f"database: {trouble}")

    beat = heartbeat_path(settings)
    beat_age = _age(now, beat.stat().st_mtime if beat.exists() else None)
    report["heartbeat_age"] = beat_age
    report["heartbeat_limit"] = HEARTBEAT_LIMIT
    if beat_age is None or beat_age > HEARTBEAT_LIMIT:
        problems.append(f"heartbeat: none in {beat} for "
                        f"{'ever' if beat_age is None else f'{beat_age:.0f} s'}")

    status = read_status(status_path(settings.paths.data_dir)) or {}
    report["mailbox"] = _mailbox(settings, status, now, problems)
    if settings.mailboxes:
        report["mailboxes"] = _mailboxes(settings, database if trouble is None else None,
                                         status, now, problems)
    report["smtp"] = _smtp(status, now, problems)
    if trouble is None:
        report["outbox"] = _outbox(settings, database, problems)
        refused = token_problems(settings, database.uow)
        report["oauth2"] = refused or "ok"
        problems += [f"oauth2: {line}" for line in refused]
    if sources:
        report["sources"] = _sources(settings)

    healthy = not problems
    report["status"] = "ok" if healthy else "unhealthy"
    report["problems"] = problems
    return healthy, report


def _age(now: float, at: Any) -> float | None:
    return round(now - at, 1) if isinstance(at, int | float) else None


def _mailbox(settings: Settings, status: dict[str, Any], now: float,
             problems: list[str]) -> dict[str, Any]:
    part = status.get("mailbox") or {}
    limit = mailbox_limit(settings)
    age = _age(now, part.get("ok_at"))
    report = {"last_read_age": age, "limit": limit, "last_error": part.get("error")}
    # Before the first read, the daemon's start counts (it may still be connecting).
    since = age if age is not None else _age(now, status.get("started_at"))
    if since is None or since > limit:
        error = f" (last error: {part['error']})" if part.get("error") else ""
        problems.append("mailbox: not read " + ("ever" if age is None else f"for {age:.0f} s")
                        + f", more than {limit:g} s{error}")
        report["ok"] = False
    else:
        report["ok"] = True
    return report


def _mailboxes(settings: Settings, database: Database | None, status: dict[str, Any],
               now: float, problems: list[str]) -> list[dict[str, Any]]:
    """Every mailbox: which worker holds it (on a shared database), when this host last read
    it, and its last error. One that no live worker holds is a problem."""
    from mailbot.mailbox.factory import source_name
    from mailbot.store.leases import holders

    held = holders(database.engine) if database is not None else {}
    shared = database is not None and database.engine.dialect.name == "postgresql"
    report = []
    for name, mailbox in settings.all_mailboxes():
        part = status.get(part_for(name)) or {}
        holder, expires = held.get(source_name(mailbox), (None, None))
        running = isinstance(expires, datetime) and expires > datetime.now(UTC)
        entry = {"name": name, "holder": holder if running else None,
                 "last_read_age": _age(now, part.get("ok_at")), "last_error": part.get("error")}
        if shared and not running:
            problems.append(f"mailbox {name}: no worker holds it")
        report.append(entry)
    return report


def _smtp(status: dict[str, Any], now: float, problems: list[str]) -> dict[str, Any]:
    part = status.get("smtp") or {}
    ok_at, failed_at = part.get("ok_at"), part.get("failed_at")
    report = {"last_delivery_age": _age(now, ok_at), "last_failure_age": _age(now, failed_at),
              "last_error": part.get("error")}
    failing = bool(part.get("down")) and failed_at is not None and (ok_at or 0) < failed_at
    if failing:
        problems.append(f"smtp: the last delivery failed: {part.get('error')}")
    report["ok"] = not failing
    return report


def _outbox(settings: Settings, database: Database, problems: list[str]) -> dict[str, Any]:
    from mailbot.domain.states import OutboxStatus

    with database.uow() as uow:
        backlog, oldest, due = uow.repo.outbox.backlog()
        failed = uow.repo.outbox.count(OutboxStatus.FAILED)
        uncertain = uow.repo.outbox.count(OutboxStatus.UNCERTAIN)
    waited = (datetime.now(UTC) - oldest).total_seconds() if oldest else None
    report = {"backlog": backlog, "failed": failed, "uncertain": uncertain,
              "oldest_waiting_s": None if waited is None else round(waited, 1),
              "next_attempt_at": due.isoformat() if due else None,
              "stuck_after": settings.health.outbox_stuck_after}
    stuck = waited is not None and waited > settings.health.outbox_stuck_after
    if stuck:
        problems.append(f"outbox: {backlog} mail(s) waiting, the oldest for {waited:.0f} s")
    report["ok"] = not stuck
    return report


def _sources(settings: Settings) -> dict[str, str]:
    from mailbot.check.sources import sources

    return {item.name.removeprefix("source "): "ok" if item.ok else item.detail
            for item in sources(settings)}
