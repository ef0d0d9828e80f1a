"""What a worker loads before its first mail: lexicons, data files and the expressions built
from them, each loaded once and kept (``functools.cache``).

    @preloaded                       (on a loader that takes no arguments)
    def _patterns() -> re.Pattern[str]: ...

    preload()                        (the warm-up: every preloaded loader of the modules
                                      imported so far, once)

Without ``preload`` each loader runs when the first mail needs it, which costs that mail
up to a second.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TypeVar

T = TypeVar("T")

_LOADERS: list[Callable[[], object]] = []


def preloaded(loader: Callable[[], T]) -> Callable[[], T]:
    """``loader`` cached, and run by ``preload``."""
    cached = cache(loader)
    _LOADERS.append(cached)
    return cached


def preload() -> int:
    """Run every preloaded loader not run yet; how many there are."""
    for loader in _LOADERS:
        loader()
    return len(_LOADERS)
