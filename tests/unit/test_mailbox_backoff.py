from __future__ import annotations

import pytest

from mailbot.mailbox import Backoff


def test_doubles_up_to_the_maximum_without_jitter() -> None:
    backoff = Backoff(1, 10, jitter=0)

    assert [backoff.next_delay() for _ in range(6)] == [1, 2, 4, 8, 10, 10]


def test_reset_starts_over() -> None:
    backoff = Backoff(1, 10, jitter=0)
    backoff.next_delay()
    backoff.next_delay()

    backoff.reset()

    assert backoff.next_delay() == 1


def test_jitter_shortens_by_at_most_its_fraction() -> None:
    assert Backoff(10, 100, jitter=0.2, rng=lambda: 1.0).next_delay() == pytest.approx(8)
    assert Backoff(10, 100, jitter=0.2, rng=lambda: 0.0).next_delay() == 10
    delays = [Backoff(10, 100, jitter=0.5).next_delay() for _ in range(200)]
    assert all(5 <= d <= 10 for d in delays)
    assert len(set(delays)) > 1


def test_many_attempts_stay_at_the_maximum() -> None:
    backoff = Backoff(0.5, 300, factor=3, jitter=0)

    delays = [backoff.next_delay() for _ in range(5000)]

    assert delays[-1] == 300


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 1), "min_delay"),
        ((2, 1), "min_delay"),
        ((1, 2, 0.5), "factor"),
        ((1, 2, 2, 1.0), "jitter"),
    ],
)
def test_rejects_bad_parameters(args: tuple[float, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Backoff(*args)
