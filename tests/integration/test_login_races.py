"""Issue 10, break 10, over HTTP against the console as uvicorn serves it, on SQLite and
PostgreSQL: forty wrong passwords at once are forty attempts, X-Forwarded-For counts only
from a configured proxy, and the right password after the wait gets in."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mailbot.console.app import create_app
from mailbot.console.auth import ThrottlePolicy
from mailbot.console.server import ConsoleServer
from mailbot.service import users
from tests.harness.app import make_settings
from tests.harness.wait import wait_for
from tests.unit.console_support import PASSWORD, Clock

NAME = "Fenna Visser"
FIRST_WAIT = 1.0


@pytest.fixture
def console(request: pytest.FixtureRequest, tmp_path: Path, smtp_sink: Any,
            database_url: str, app_factory: Any) -> Iterator[tuple[str, ThrottlePolicy]]:
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    app = app_factory(make_settings(tmp_path, mailbox_url=f"maildir://{maildir}",
                                    smtp_url=smtp_sink.url, database_url=database_url))
    users.add(app.service, NAME, "approver", PASSWORD, by=None)
    wait = request.node.get_closest_marker("first_wait")
    policy = ThrottlePolicy(free_per_name=3, free_per_address=5,
                            first_wait=wait.args[0] if wait else FIRST_WAIT)
    server = ConsoleServer(create_app(app, throttle=policy), "127.0.0.1:0")
    server.start()
    try:
        yield server.url, policy
    finally:
        server.stop()


def attempt(url: str, name: str, password: str, headers: dict[str, str] | None = None) -> int:
    with httpx2.Client(base_url=url, timeout=30, headers=headers or {}) as client:
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        return client.post("/login", data={"name": name, "password": password,
                                           "next": "/queue", "csrf_token": token}).status_code


# A wait longer than the forty attempts take: every check beyond three would be the race.
@pytest.mark.first_wait(120.0)
def test_forty_wrong_passwords_at_once_are_checked_at_most_three_times(
        console: tuple[str, ThrottlePolicy]) -> None:
    url, policy = console
    with ThreadPoolExecutor(max_workers=40) as pool:
        codes = list(pool.map(lambda _: attempt(url, NAME, "wrong password"), range(40)))
    checked = codes.count(401)  # the password was looked at, and was wrong
    assert checked <= policy.free_per_name, codes
    assert codes.count(429) == 40 - checked


def test_the_right_password_after_the_wait_gets_in(console: tuple[str, ThrottlePolicy]
                                                   ) -> None:
    url, policy = console
    for _ in range(policy.free_per_name):
        assert attempt(url, NAME, "wrong password") == 401
    assert attempt(url, NAME, PASSWORD) == 429  # still waiting: not even looked at
    started = time.monotonic()
    wait_for(lambda: attempt(url, NAME, PASSWORD) == 303, timeout=10, interval=0.25)
    assert time.monotonic() - started <= FIRST_WAIT + 5


def test_x_forwarded_for_does_not_move_the_client_without_a_configured_proxy(
        console: tuple[str, ThrottlePolicy]) -> None:
    url, policy = console
    codes = [attempt(url, f"nobody{n}", "wrong", {"X-Forwarded-For": f"198.51.100.{n}"})
             for n in range(policy.free_per_address + 2)]
    assert 429 in codes  # one connecting address, however many the header claims


@pytest.fixture
def console_at(tmp_path: Path, smtp_sink: Any, database_url: str,
               app_factory: Any) -> Iterator[tuple[str, Clock]]:
    """The console with its own clock and the default throttle, as it ships."""
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    app = app_factory(make_settings(tmp_path, mailbox_url=f"maildir://{maildir}",
                                    smtp_url=smtp_sink.url, database_url=database_url))
    users.add(app.service, NAME, "approver", PASSWORD, by=None)
    clock = Clock(datetime.now(UTC))
    server = ConsoleServer(create_app(app, clock=clock), "127.0.0.1:0")
    server.start()
    try:
        yield server.url, clock
    finally:
        server.stop()


def test_one_wrong_password_every_five_minutes_locks_nobody_out(
        console_at: tuple[str, Clock]) -> None:
    url, clock = console_at
    for _ in range(12):  # an hour of a guesser's drip
        assert attempt(url, NAME, "wrong password") == 401
        clock.advance(minutes=5)
    assert attempt(url, NAME, "wrong password") == 401
    # Right after a guess the owner may have to wait a moment, trying again and again;
    # their own tries while waiting never make the wait longer.
    started = clock.now
    while (code := attempt(url, NAME, PASSWORD)) == 429:
        clock.advance(seconds=1)
    assert code == 303
    assert (clock.now - started).total_seconds() <= ThrottlePolicy().first_wait * 2


def test_quick_guesses_wait_longer_each_time_but_never_for_good(
        console_at: tuple[str, Clock]) -> None:
    url, clock = console_at
    policy = ThrottlePolicy()
    last, gaps = clock.now, []
    for _ in range(policy.free_per_name + 6):  # a guesser as fast as the console lets them
        while (code := attempt(url, NAME, "wrong password")) == 429:
            clock.advance(seconds=1)
        assert code == 401
        gaps.append((clock.now - last).total_seconds())
        last = clock.now
    assert gaps[:policy.free_per_name] == [0] * policy.free_per_name  # a few cost nothing
    grown = gaps[policy.free_per_name:]
    assert all(b > a for a, b in itertools.pairwise(grown)), gaps  # then longer
    while (code := attempt(url, NAME, PASSWORD)) == 429:  # and the wait ends: no lockout
        clock.advance(seconds=1)
    assert code == 303
    assert (clock.now - last).total_seconds() <= policy.longest_wait
