"""Exponential backoff with jitter for reconnecting."""

from __future__ import annotations

import random
from collections.abc import Callable


class Backoff:
    """Delays ``min_delay``, ``min_delay * factor``, ... capped at ``max_delay``.

    Each delay is shortened by a random part of up to ``jitter`` (a fraction) of itself,
    so that many clients do not retry in step; it never exceeds ``max_delay``.
    """

    def __init__(
        self,
        min_delay: float,
        max_delay: float,
        factor: float = 2.0,
        jitter: float = 0.1,
        rng: Callable[[], float] = random.random,
    ) -> None:
        if not 0 < min_delay <= max_delay:
            raise ValueError("need 0 < min_delay <= max_delay")
        if factor < 1:
            raise ValueError("factor must be at least 1")
        if not 0 <= jitter < 1:
            raise ValueError("jitter must be in [0, 1)")
        self.min_delay = min_delay
        self.max_delay = max_delay
        self.factor = factor
        self.jitter = jitter
        self._rng = rng
        self._current = min_delay

    def next_delay(self) -> float:
        delay = self._current
        self._current = min(self.max_delay, self._current * self.factor)
        return delay * (1 - self.jitter * self._rng())

    def reset(self) -> None:
        self._current = self.min_delay
