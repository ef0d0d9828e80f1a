"""When staff are reminded of a request: pure dates, no I/O.

A request has reminder points a number of working days before its target date and before
its due date, and an overdue point the day after the due date (escalation). Only the latest
point that has come is sent: a daemon that was down for a week sends one reminder, not a
backlog, and a point whose mail went out is never sent again (its key is recorded).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from mailbot.domain.calendar import working_days_before

TARGET, DUE, OVERDUE = "target", "due", "overdue"
_RANK = {TARGET: 0, DUE: 1, OVERDUE: 2}


@dataclass(frozen=True, slots=True, order=True)
class Point:
    on: date  # the local day from which the point is due
    rank: int  # on one day the later stage wins: target < due < overdue
    kind: str
    days: int  # working days before the anchor (0 for overdue)
    anchor: date  # the target or due date counted from

    @property
    def key(self) -> str:
        """What makes the point unique for a request (with its kind)."""
        return f"{self.days}:{self.anchor.isoformat()}"


def schedule(due: date, target: date, before_target: Iterable[int],
             before_due: Iterable[int]) -> list[Point]:
    """Every point of a request whose due date is ``due``, earliest first."""
    points = [Point(working_days_before(target, d), _RANK[TARGET], TARGET, d, target)
              for d in set(before_target)]
    points += [Point(working_days_before(due, d), _RANK[DUE], DUE, d, due)
               for d in set(before_due)]
    points.append(Point(due + timedelta(days=1), _RANK[OVERDUE], OVERDUE, 0, due))
    return sorted(points)


def current(points: Sequence[Point], today: date) -> Point | None:
    """The latest point that has come on ``today``, if any."""
    passed = [p for p in points if p.on <= today]
    return passed[-1] if passed else None
