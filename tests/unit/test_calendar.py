"""The date rules: due dates, working days, the target date and extensions."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailbot.domain.calendar import (
    TABLE_YEARS,
    check_extension,
    due_computation,
    dutch_holidays,
    extended_due,
    is_working_day,
    package_holidays,
    target_date,
    working_days_before,
)
from mailbot.domain.deadline import due_date
from mailbot.errors import ExtensionNotAllowed


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2026, 1, 30), date(2026, 2, 28)),
        (date(2028, 1, 30), date(2028, 2, 29)),
        (date(2027, 1, 30), date(2027, 2, 28)),
        (date(2028, 1, 29), date(2028, 2, 28)),  # 30 days is the earlier one
        (date(2100, 1, 31), date(2100, 2, 28)),  # 2100 is no leap year
    ],
)
def test_due_dates_at_the_end_of_february(received: date, due: date) -> None:
    assert due_date(received) == due


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 27), False),  # Koningsdag, a Monday
        (date(2026, 5, 5), False),  # Bevrijdingsdag (Algemene termijnenwet: every year)
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 12, 25), False),
        (date(2026, 12, 24), True),
        (date(2026, 12, 26), False),  # a Saturday and Tweede kerstdag
        (date(2027, 3, 29), False),  # Tweede paasdag
        (date(2026, 11, 21), False),  # a Saturday
        (date(2026, 11, 23), True),
    ],
)
def test_working_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("due", "days", "target"),
    [
        (date(2026, 11, 27), 5, date(2026, 11, 20)),  # Friday: the Friday before
        (date(2026, 11, 29), 5, date(2026, 11, 20)),  # Sunday: the same Friday
        (date(2026, 11, 29), 0, date(2026, 11, 27)),  # the last working day
        (date(2026, 11, 27), 0, date(2026, 11, 27)),
        (date(2026, 5, 1), 5, date(2026, 4, 23)),  # over Koningsdag
        (date(2026, 5, 8), 5, date(2026, 4, 30)),  # over Bevrijdingsdag
        (date(2026, 12, 28), 5, date(2026, 12, 18)),  # over Christmas
        (date(2027, 4, 1), 5, date(2027, 3, 23)),  # over Goede vrijdag and Easter
        (date(2026, 5, 26), 1, date(2026, 5, 22)),  # Tweede pinksterdag in between
        (date(2027, 1, 4), 1, date(2026, 12, 31)),  # Nieuwjaarsdag, over the year end
    ],
)
def test_target_date(due: date, days: int, target: date) -> None:
    assert target_date(due, days) == target


def _independent_target(due: date, days: int) -> date:
    """The rule as a search: the latest working day t (not after the due date) such that
    exactly ``days`` working days lie after t, up to and including the due date."""
    nl = holidays.country_holidays("NL", years=range(due.year - 1, due.year + 1),
                                   categories=("public", "optional"))

    def working(day: date) -> bool:
        return day.weekday() < 5 and day not in nl

    candidate = due
    while True:
        span = [candidate + timedelta(days=i) for i in range(1, (due - candidate).days + 1)]
        if working(candidate) and sum(map(working, span)) == days:
            return candidate
        candidate -= timedelta(days=1)


@settings(max_examples=300, deadline=None, database=None)
@given(due=st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)),
       days=st.integers(min_value=0, max_value=10))
def test_target_date_matches_an_independent_formulation(due: date, days: int) -> None:
    target = target_date(due, days)
    assert target == _independent_target(due, days)
    assert is_working_day(target)
    assert target <= due and (days == 0 or target < due)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError):
        working_days_before(date(2026, 11, 27), -1)


@pytest.mark.parametrize(
    ("original", "months", "new"),
    [
        (date(2026, 2, 28), 1, date(2026, 3, 28)),
        (date(2026, 2, 28), 2, date(2026, 4, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),  # no 31 April: the last day
        (date(2026, 12, 31), 2, date(2027, 2, 28)),  # over the year end into February
        (date(2027, 12, 31), 2, date(2028, 2, 29)),  # into a leap February
        (date(2028, 2, 29), 1, date(2028, 3, 29)),
    ],
)
def test_an_extension_adds_months_with_the_month_end_rule(original: date, months: int,
                                                          new: date) -> None:
    assert extended_due(original, months) == new
    assert check_extension(original, 0, months, original) == new


def test_an_extension_is_allowed_up_to_and_on_the_first_deadline() -> None:
    first = date(2026, 2, 28)
    assert check_extension(first, 0, 1, date(2026, 2, 1)) == date(2026, 3, 28)
    assert check_extension(first, 0, 2, first) == date(2026, 4, 28)
    assert check_extension(first, 1, 1, first) == date(2026, 4, 28)  # a second month


def test_an_extension_is_refused_after_the_first_deadline() -> None:
    with pytest.raises(ExtensionNotAllowed, match="first deadline passed on 2026-02-28"):
        check_extension(date(2026, 2, 28), 0, 1, date(2026, 3, 1))


@pytest.mark.parametrize(("already", "months"), [(1, 2), (2, 1), (0, 3), (0, 0), (0, -1)])
def test_never_more_than_two_months_in_all(already: int, months: int) -> None:
    with pytest.raises(ExtensionNotAllowed):
        check_extension(date(2026, 2, 28), already, months, date(2026, 2, 2))
    with pytest.raises(ExtensionNotAllowed):
        extended_due(date(2026, 2, 28), 3)


@settings(database=None)
@given(received=st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31)),
       first=st.integers(min_value=1, max_value=2), second=st.integers(min_value=0, max_value=2))
def test_the_due_date_is_never_more_than_three_months_away(received: date, first: int,
                                                           second: int) -> None:
    due = due_date(received)
    try:
        new = check_extension(due, 0, first, received)
        if second:
            new = check_extension(due, first, second, due)
    except ExtensionNotAllowed:
        assert first + second > 2
        return
    assert first + second <= 2
    assert due < new <= extended_due(due, 2)
    assert new <= due + timedelta(days=31 + 31 + 31)


def test_the_computation_is_shown_with_holidays_and_extension() -> None:
    received = datetime(2026, 3, 31, 21, 30, tzinfo=UTC)  # 23:30 in Amsterdam
    text = due_computation(received, "Europe/Amsterdam", due=date(2026, 4, 30),
                           target_working_days=5)
    assert "received 2026-03-31 23:30 Europe/Amsterdam" in text
    assert "+30 days = 2026-04-30, same day next month = 2026-04-30" in text
    assert "due = the earlier, 2026-04-30" in text
    assert "2026-04-27 Koningsdag" in text
    assert text.endswith("= 2026-04-22")
    extended = due_computation(received, "Europe/Amsterdam", due=date(2026, 6, 30),
                               target_working_days=5, original_due=date(2026, 4, 30),
                               extended_months=2, extension_reason="many sources")
    assert "due = the earlier, 2026-04-30" in extended
    assert "extended by 2 months (many sources): 2026-04-30 + 2 months = 2026-06-30" \
        in extended
    assert extended.endswith("= 2026-06-23")


def test_the_holiday_table_is_what_the_package_gives_for_every_year_in_it() -> None:
    for year in TABLE_YEARS:
        assert dutch_holidays(year) == package_holidays(year), year
    assert date(2026, 4, 27) in dutch_holidays(2026)  # Koningsdag
    assert date(2025, 5, 5) in dutch_holidays(2025)  # Bevrijdingsdag, optional every year


def test_a_year_outside_the_table_is_asked_of_the_package() -> None:
    assert 1985 not in TABLE_YEARS
    earlier = dutch_holidays(1985)
    assert earlier == package_holidays(1985)
    assert date(1985, 12, 25) in earlier


WARM_WORKER = """
import sys
from mailbot.ingest import Ingestor
Ingestor.warm_up()  # the holiday calendar included
print('holidays' in sys.modules)
"""


def test_a_worker_reads_the_holidays_without_importing_the_package() -> None:
    done = subprocess.run([sys.executable, "-c", WARM_WORKER], capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "False"
