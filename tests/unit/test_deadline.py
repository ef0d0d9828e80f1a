from datetime import date, datetime, timedelta, timezone

import pytest

from mailbot.domain.deadline import add_months, due_date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),  # no 31 February: last day of the month
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 1, 30), date(2026, 2, 28)),
        (date(2028, 1, 30), date(2028, 2, 29)),
        (date(2026, 1, 29), date(2026, 2, 28)),  # 30 days is earlier than 29 February... none
        (date(2026, 3, 15), date(2026, 4, 14)),  # 30 days comes before 15 April
        (date(2026, 2, 1), date(2026, 3, 1)),  # 28 days to the same day next month
        (date(2026, 2, 15), date(2026, 3, 15)),
        (date(2026, 12, 31), date(2027, 1, 30)),  # over the year end
        (date(2026, 4, 30), date(2026, 5, 30)),
        (date(2026, 5, 31), date(2026, 6, 30)),
    ],
)
def test_due_date(received: date, due: date) -> None:
    assert due_date(received) == due


def test_due_date_takes_the_day_of_a_datetime() -> None:
    amsterdam = timezone(timedelta(hours=1))
    assert due_date(datetime(2026, 1, 31, 23, 59, tzinfo=amsterdam)) == date(2026, 2, 28)


def test_add_months_clamps_and_crosses_years() -> None:
    assert add_months(date(2026, 10, 31), 4) == date(2027, 2, 28)
    assert add_months(date(2026, 8, 31), 1) == date(2026, 9, 30)
    assert add_months(date(2027, 12, 15), 2) == date(2028, 2, 15)


def _same_day_next_month_by_counting(day: date) -> date:
    """An independent formulation: walk forward to the next month, then to the day or its end."""
    cursor = day
    while cursor.month == day.month:
        cursor += timedelta(days=1)
    target_month = cursor.month
    while cursor.day < day.day:
        following = cursor + timedelta(days=1)
        if following.month != target_month:
            break
        cursor = following
    return cursor


def test_due_date_matches_an_independent_formulation_for_every_day_of_many_years() -> None:
    day = date(1999, 12, 1)
    while day < date(2031, 1, 1):
        expected = min(day + timedelta(days=30), _same_day_next_month_by_counting(day))
        assert due_date(day) == expected, day
        assert day < due_date(day) <= day + timedelta(days=30)
        day += timedelta(days=1)
