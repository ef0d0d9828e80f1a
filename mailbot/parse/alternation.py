"""One regular expression of many alternatives, searched fast.

Python's engine tries every alternative at every position of the text. A lookahead of the
characters any alternative can begin with ("(?=[adn])(?:do not reply|niet|antwoord)") lets it
pass most positions after one test, without changing what the expression matches: those
characters are read from the parsed expression itself. An expression whose first character
cannot be told (one that may match nothing, or starts with "." or "\\w") is compiled as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_DIGITS = frozenset("0123456789")


_OPEN = frozenset("\0")  # stands for any character: the first one cannot be told


def _first(items: list[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """The characters a sequence of parsed items can begin with, and whether it can be empty."""
    chars: set[str] = set()
    for op, av in items:
        found, empty = _first_of(op, av)
        chars |= found
        if not empty:
            return chars, False
    return chars, True


def _first_of(op: Any, av: Any) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {chr(av)}, False
    if op is sre.AT:
        return set(), True
    if op is sre.SUBPATTERN:
        return _first(list(av[-1]))
    if op is sre.BRANCH:
        chars: set[str] = set()
        empty = False
        for branch in av[1]:
            found, may_be_empty = _first(list(branch))
            chars |= found
            empty = empty or may_be_empty
        return chars, empty
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        least, _, items = av
        found, empty = _first(list(items))
        return found, empty or least == 0
    if op is sre.IN:
        return _class(av), False
    return set(_OPEN), False


def _class(items: list[tuple[Any, Any]]) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE:
            chars |= {chr(c) for c in range(av[0], av[1] + 1)}
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars |= _DIGITS
        else:
            return set(_OPEN)
    return chars


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with a lookahead of the characters it can begin with."""
    chars, empty = _first(list(sre_parse.parse(pattern, flags)))
    if empty or not chars or chars & _OPEN:
        return re.compile(pattern, flags)
    first = "".join(re.escape(c) for c in sorted(chars))
    return re.compile(f"(?=[{first}])(?:{pattern})", flags)


def any_of(patterns: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """One expression matching where any of ``patterns`` does (none: never)."""
    alternatives = "|".join(f"(?:{p})" for p in patterns)
    return guarded(alternatives, flags) if alternatives else re.compile(r"(?!)", flags)
