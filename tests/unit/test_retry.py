import random

import pytest

from mailbot.send.retry import next_attempt_delay, should_give_up


def test_delay_doubles_from_min_to_max_without_jitter():
    delays = [next_attempt_delay(n, min_delay=30, max_delay=3600, jitter=0) for n in range(1, 10)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_huge_attempt_counts_stay_at_max():
    assert next_attempt_delay(10_000, min_delay=1, max_delay=60, jitter=0) == 60


def test_jitter_stays_within_its_band_and_below_max():
    rng = random.Random(7)
    for attempts in range(1, 12):
        base = min(3600, 30 * 2 ** (attempts - 1))
        delay = next_attempt_delay(attempts, min_delay=30, max_delay=3600, jitter=0.1, rng=rng)
        assert base * 0.9 <= delay <= min(3600, base * 1.1)


def test_jitter_spreads_messages_that_failed_together():
    rng = random.Random(1)
    delays = {next_attempt_delay(3, min_delay=30, max_delay=3600, rng=rng) for _ in range(20)}
    assert len(delays) > 1


def test_same_seed_same_delays():
    def run(seed):
        rng = random.Random(seed)
        return [next_attempt_delay(n, min_delay=2, max_delay=60, rng=rng) for n in range(1, 8)]

    assert run(3) == run(3)


@pytest.mark.parametrize(
    ("attempts", "kwargs"),
    [
        (0, {"min_delay": 1, "max_delay": 2}),
        (1, {"min_delay": 0, "max_delay": 2}),
        (1, {"min_delay": 3, "max_delay": 2}),
        (1, {"min_delay": 1, "max_delay": 2, "jitter": 1.0}),
        (1, {"min_delay": 1, "max_delay": 2, "jitter": -0.1}),
    ],
)
def test_bad_arguments_are_refused(attempts, kwargs):
    with pytest.raises(ValueError):
        next_attempt_delay(attempts, **kwargs)


def test_give_up_once_max_attempts_are_used():
    assert [should_give_up(n, 3) for n in range(5)] == [False, False, False, True, True]
    assert should_give_up(1, 1)
