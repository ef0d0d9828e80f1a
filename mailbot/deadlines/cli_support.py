"""What the CLI calls for deadlines: extend, refuse, purge.

``extend`` and ``refuse`` run in the caller's transaction (``ctx`` from ``App.context``,
actor = who asked) and return the draft that waits for approval; the caller commits.
``purge`` commits by itself unless ``dry_run``; print ``report.listing()``.
"""

from __future__ import annotations

from datetime import datetime

from mailbot.config import Settings
from mailbot.deadlines.retention import PurgeItem, PurgeReport
from mailbot.deadlines.retention import purge as _purge
from mailbot.handle import extension, refusal
from mailbot.handle.context import HandlerContext
from mailbot.store.models import Draft, Request
from mailbot.store.uow import UnitOfWork

__all__ = ["PurgeItem", "PurgeReport", "extend", "purge", "refuse"]


def extend(ctx: HandlerContext, request: Request, months: int, reason: str) -> Draft:
    """Draft the notice that extends ``request``'s deadline by ``months`` (1 or 2).

    Raises WorkflowError once the first deadline has passed, when the total would exceed two
    months, for a closed request, an empty reason, or while another notice waits.
    """
    return extension.extend(ctx, request, months, reason)


def refuse(ctx: HandlerContext, request: Request, reason: str) -> Draft:
    """Draft the refusal (with the right to complain to the Autoriteit Persoonsgegevens and
    to go to court); the request is closed as rejected once it is approved and sent."""
    return refusal.refuse(ctx, request, reason)


def purge(uow: UnitOfWork, settings: Settings, now: datetime, dry_run: bool) -> PurgeReport:
    """Purge what the retention periods say must go (``dry_run``: only list it)."""
    return _purge(uow, settings, now, dry_run=dry_run)
