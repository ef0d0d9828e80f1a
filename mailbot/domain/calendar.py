"""Working days, the internal target date and the extension of a deadline: pure functions.

A working day is Monday to Friday and not a Dutch public holiday. The holidays are those of
the ``holidays`` package for the Netherlands, Liberation Day (5 May) included every year, as
the Algemene termijnenwet counts it (the package's "optional" category). They are read from a
table built from the package (``scripts/build_holidays.py``); only a year outside the table
imports the package, which costs a worker about 11 MiB.

"N working days before" a day leaves N working days up to and including that day: the
target for a due date on Friday with N = 5 is the Friday before, and so is the target for a
due date on the Sunday after it. N = 0 is the last working day on or before the day.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path

from mailbot.domain.deadline import add_months, due_date
from mailbot.errors import ExtensionNotAllowed

MAX_EXTENSION_MONTHS = 2
_CATEGORIES = ("public", "optional")
HOLIDAY_TABLE = Path(__file__).with_name("data") / "holidays-nl.json"
TABLE_YEARS = range(1990, 2101)


@cache
def _table() -> dict[str, dict[str, str]]:
    years: dict[str, dict[str, str]] = json.loads(
        HOLIDAY_TABLE.read_text(encoding="utf-8"))["years"]
    return years


def package_holidays(year: int) -> dict[date, str]:
    """The Dutch public holidays of ``year`` as the ``holidays`` package gives them."""
    import holidays

    found = holidays.country_holidays("NL", years=year, categories=_CATEGORIES, language="nl")
    return dict(found.items())


@lru_cache(maxsize=64)
def dutch_holidays(year: int) -> dict[date, str]:
    """The Dutch public holidays of ``year`` with their Dutch names."""
    if year not in TABLE_YEARS:
        return package_holidays(year)
    return {date.fromisoformat(day): name for day, name in _table()[str(year)].items()}


def holiday_name(day: date) -> str | None:
    return dutch_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def working_days_before(day: date, count: int) -> date:
    """The working day that leaves ``count`` working days up to and including ``day``."""
    if count < 0:
        raise ValueError("count must not be negative")
    current, left = day, count
    while left:
        if is_working_day(current):
            left -= 1
        current -= timedelta(days=1)
    while not is_working_day(current):
        current -= timedelta(days=1)
    return current


def target_date(due: date, working_days: int) -> date:
    """The internal target: ``working_days`` Dutch working days before ``due``."""
    return working_days_before(due, working_days)


def skipped_holidays(start: date, end: date) -> list[tuple[date, str]]:
    """The public holidays on weekdays from ``start`` to ``end`` (both included)."""
    found = []
    day = start
    while day <= end:
        name = holiday_name(day)
        if name is not None and day.weekday() < 5:
            found.append((day, name))
        day += timedelta(days=1)
    return found


def extended_due(original_due: date, months: int) -> date:
    """The due date after an extension of ``months`` in all (art. 12(3) GDPR)."""
    if not 0 <= months <= MAX_EXTENSION_MONTHS:
        raise ExtensionNotAllowed(f"an extension is at most {MAX_EXTENSION_MONTHS} months "
                                  f"in all, not {months}")
    return add_months(original_due, months)


def check_extension(original_due: date, already: int, months: int, today: date) -> date:
    """The new due date when ``months`` more are allowed now; else ExtensionNotAllowed.

    ``today`` is the local date the notice is drafted; it must not be after the first
    deadline (the notice has to reach the person within the first period).
    """
    if months not in (1, 2):
        raise ExtensionNotAllowed(f"extend by 1 or 2 months, not {months}")
    if today > original_due:
        raise ExtensionNotAllowed(
            f"the first deadline passed on {original_due.isoformat()}: an extension must be "
            "announced before it")
    if already + months > MAX_EXTENSION_MONTHS:
        raise ExtensionNotAllowed(
            f"already extended by {_months(already)}; {months} more would exceed the "
            f"{MAX_EXTENSION_MONTHS} months the law allows in all")
    return extended_due(original_due, already + months)


def due_computation(received: datetime, zone: str, *, due: date, target_working_days: int,
                    original_due: date | None = None, extended_months: int = 0,
                    extension_reason: str | None = None) -> str:
    """How the due and target dates of a request were found, for staff to check.

    ``received`` is an aware datetime (when the mail reached the mailbox); ``zone`` the time
    zone dates are counted in; ``due`` the request's due date now (after any extension).
    """
    from zoneinfo import ZoneInfo

    local = received.astimezone(ZoneInfo(zone))
    day = local.date()
    plus30 = day + timedelta(days=30)
    next_month = add_months(day, 1)
    first = original_due or due_date(day)
    parts = [
        f"received {local:%Y-%m-%d %H:%M} {zone} (when the mail reached the mailbox); "
        f"+30 days = {plus30.isoformat()}, same day next month = {next_month.isoformat()}; "
        f"due = the earlier, {first.isoformat()}"]
    if extended_months:
        why = f" ({extension_reason})" if extension_reason else ""
        parts.append(f"extended by {_months(extended_months)}{why}: "
                     f"{first.isoformat()} + {_months(extended_months)} = {due.isoformat()}")
    target = target_date(due, target_working_days)
    skipped = skipped_holidays(target, due)
    holidays_text = ("; holidays skipped: " + ", ".join(f"{d.isoformat()} {n}"
                                                         for d, n in skipped)
                     if skipped else "")
    parts.append(f"target = {target_working_days} working days before {due.isoformat()} "
                 f"(weekends and Dutch public holidays do not count{holidays_text}) = "
                 f"{target.isoformat()}")
    return "; ".join(parts)


def _months(count: int) -> str:
    return f"{count} month" if count == 1 else f"{count} months"
