"""When staff are reminded: the points before the target and due dates, and escalation."""

from datetime import date

from mailbot.deadlines.points import DUE, OVERDUE, TARGET, current, schedule
from mailbot.domain.calendar import target_date

DUE_DATE = date(2026, 12, 28)  # a Monday, after Christmas
TARGET_DATE = target_date(DUE_DATE, 5)  # Friday 18 December


def test_the_points_of_a_request() -> None:
    points = schedule(DUE_DATE, TARGET_DATE, [2, 0], [3, 1])
    assert [(p.kind, p.days, p.on) for p in points] == [
        (TARGET, 2, date(2026, 12, 16)),  # leaves Thursday and Friday
        (TARGET, 0, date(2026, 12, 18)),
        (DUE, 3, date(2026, 12, 22)),  # leaves 23, 24 and 28 December (25/26: Christmas)
        (DUE, 1, date(2026, 12, 24)),
        (OVERDUE, 0, date(2026, 12, 29)),
    ]
    assert [p.key for p in points][:2] == ["2:2026-12-18", "0:2026-12-18"]


def test_only_the_latest_point_that_has_come_counts() -> None:
    points = schedule(DUE_DATE, TARGET_DATE, [2, 0], [3, 1])
    assert current(points, date(2026, 12, 15)) is None
    assert current(points, date(2026, 12, 16)) == points[0]
    assert current(points, date(2026, 12, 17)) == points[0]
    # the daemon was down from the 16th to the 23rd: one reminder, not three
    found = current(points, date(2026, 12, 23))
    assert found is not None and (found.kind, found.days) == (DUE, 3)
    found = current(points, date(2027, 2, 1))
    assert found is not None and found.kind == OVERDUE


def test_points_on_one_day_give_the_later_stage() -> None:
    points = schedule(DUE_DATE, TARGET_DATE, [0], [5])  # both on 18 December
    found = current(points, date(2026, 12, 18))
    assert found is not None and (found.kind, found.days) == (DUE, 5)


def test_an_extension_gives_new_points() -> None:
    before = {(p.kind, p.key) for p in schedule(DUE_DATE, TARGET_DATE, [2, 0], [3, 1])}
    later = date(2027, 2, 28)
    after = {(p.kind, p.key) for p in schedule(later, target_date(later, 5), [2, 0], [3, 1])}
    assert not before & after
