"""All items, in the order an operator fixes them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from mailbot.check.access import access
from mailbot.check.basics import clock, database, key
from mailbot.check.item import Item
from mailbot.check.mailbox import mailbox
from mailbot.check.smtp import smtp
from mailbot.check.sources import sources
from mailbot.check.templates import templates
from mailbot.config import Settings


def _utcnow() -> datetime:
    return datetime.now(UTC)


def run_checks(settings: Settings, *, now: Callable[[], datetime] = _utcnow) -> list[Item]:
    """Every item; nothing is sent, written, marked or migrated."""
    key_item, cipher = key(settings)
    database_item, db, current = database(settings, cipher)
    try:
        return [key_item, database_item, *mailbox(settings, db if current else None),
                *smtp(settings),
                *sources(settings), templates(settings), access(settings),
                clock(settings, now, db)]
    finally:
        if db is not None:
            db.close()
