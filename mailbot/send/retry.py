"""When to try sending an outbox message again: exponential backoff with jitter."""

from __future__ import annotations

import random

# 2**64 times any sane min_delay is far beyond any max_delay; capping keeps the power finite.
_MAX_EXPONENT = 64


def next_attempt_delay(
    attempts: int,
    *,
    min_delay: float,
    max_delay: float,
    jitter: float = 0.1,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after ``attempts`` failed attempts (1 after the first failure).

    The delay doubles per attempt from ``min_delay`` up to ``max_delay``, is then spread by
    up to ``jitter`` (a fraction) either way so that messages failed together do not retry in
    lockstep, and never exceeds ``max_delay``.
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    if min_delay <= 0 or max_delay < min_delay:
        raise ValueError(f"need 0 < min_delay <= max_delay, got {min_delay}, {max_delay}")
    if not 0 <= jitter < 1:
        raise ValueError(f"jitter must be in [0, 1), got {jitter}")
    base = min(max_delay, min_delay * 2.0 ** min(attempts - 1, _MAX_EXPONENT))
    spread = (rng or random).uniform(1 - jitter, 1 + jitter) if jitter else 1.0
    return min(max_delay, base * spread)


def should_give_up(attempts: int, max_attempts: int) -> bool:
    """True when ``attempts`` failed attempts have used up the ``max_attempts`` allowed."""
    return attempts >= max_attempts
