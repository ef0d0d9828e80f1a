"""Deadline arithmetic (GDPR art. 12(3)): pure functions of dates."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the last day of that month when the day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(received: date | datetime) -> date:
    """The earlier of received + 30 days and the same day next month (or that month's last day)."""
    day = received.date() if isinstance(received, datetime) else received
    return min(day + timedelta(days=30), add_months(day, 1))
