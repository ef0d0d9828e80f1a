"""The deadline scan only looks at requests due within its horizon: no request due later can
have a reminder point yet, whatever the settings (issue 12, flat growth)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from mailbot.deadlines import points
from mailbot.deadlines.reminders import horizon
from mailbot.domain.calendar import target_date
from tests.harness.app import make_settings

SETTINGS = [
    {},  # the defaults
    {"target_working_days": 0, "remind_days_before_target": [0],
     "remind_days_before_due": [0]},
    {"target_working_days": 15, "remind_days_before_target": [15, 3],
     "remind_days_before_due": [15, 1]},
    {"target_working_days": 1, "remind_days_before_target": [],
     "remind_days_before_due": [15]},
]


@pytest.mark.parametrize("deadlines", SETTINGS)
def test_no_point_comes_before_the_horizon(tmp_path: Path, deadlines: dict[str, object]) -> None:
    settings = make_settings(tmp_path, mailbox_url="maildir:///nonexistent",
                             smtp_url="smtp://127.0.0.1:1", deadlines=deadlines).deadlines
    days = horizon(SimpleNamespace(settings=SimpleNamespace(deadlines=settings)))  # type: ignore[arg-type]
    due = date(2026, 1, 1)
    while due < date(2029, 1, 1):  # every due date of three years, holidays included
        target = target_date(due, settings.target_working_days)
        schedule = points.schedule(due, target, settings.remind_days_before_target,
                                   settings.remind_days_before_due)
        assert schedule[0].on >= due - timedelta(days=days), (due, schedule[0])
        due += timedelta(days=1)
