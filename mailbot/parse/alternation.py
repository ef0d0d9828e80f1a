"""One regular expression of many alternatives, searched fast.

Python's engine tries every alternative at every position of the text. A lookahead of the
characters any alternative can begin with ("(?=[adn])(?:do not reply|niet|antwoord)") lets it
pass most positions after one test, without changing what the expression matches: those
characters are read from the parsed expression itself. An expression whose first character
cannot be told (one that may match nothing, or starts with "." or "\\w") is compiled as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
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
    pattern = guarded(alternatives, flags) if alternatives else re.compile(r"(?!)", flags)
    # What a match needs (``may_match``) is read here, where the expression is built when
    # its lexicon loads (by the warm-up, for the preloaded ones), not by the first mail that
    # searches it: the first few hundred mails of a worker read 200 of them otherwise.
    needs(pattern)
    return pattern


# ---------------------------------------------------------------- what a match needs
#
# Most texts hold none of a cue list's phrases, yet searching one costs a pass of the engine
# over the whole text. Every match of a phrase holds certain words whole ("mind" in
# "\bnever ?mind\b"), and certain runs of literal text ("never"): a text that holds none of
# what an expression needs is not searched at all. A word is a run of word characters
# (``\w``, what ``\b`` tells apart), so whole words are read from the parsed expression
# with the characters beside them, and looked up in the set of the text's words.

_PIECE = 3  # literal text shorter than this is too common to look for
_WORD_CHAR = re.compile(r"\w")
_WORDS = re.compile(r"\w+")
_ASCII_NON_WORD = bytes.maketrans(
    bytes(c for c in range(256) if not (c < 128 and _WORD_CHAR.match(chr(c)))),
    b" " * sum(1 for c in range(256) if not (c < 128 and _WORD_CHAR.match(chr(c)))))
# Both sides of these are word boundaries for a word character beside them: "\b", "^", "$".
_EDGES = frozenset({sre.AT_BOUNDARY, sre.AT_BEGINNING, sre.AT_BEGINNING_LINE,
                    sre.AT_BEGINNING_STRING, sre.AT_END, sre.AT_END_LINE, sre.AT_END_STRING})
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT})
_CASE_FLAGS = re.IGNORECASE | re.ASCII | re.LOCALE


@dataclass(frozen=True, slots=True)
class Needs:
    """Every match holds one of ``words`` as a whole word, or one of ``pieces`` anywhere."""

    words: frozenset[str]
    pieces: frozenset[str]
    shortest: int  # the length of the shortest of them (longer: rarer)

    def __or__(self, other: Needs) -> Needs:
        return Needs(self.words | other.words, self.pieces | other.pieces,
                     min(self.shortest, other.shortest))

    @property
    def rank(self) -> tuple[bool, int]:
        """Words first (a look-up in a set, where a piece is a search of the text), then the
        longer (the rarer)."""
        return not self.pieces and self.shortest >= _PIECE, self.shortest


def _is_word(code: int) -> bool:
    return _WORD_CHAR.match(chr(code)) is not None


_NON_WORD_CATEGORIES = frozenset({sre.CATEGORY_NOT_WORD, sre.CATEGORY_SPACE})


def _no_word_chars(items: list[tuple[Any, Any]]) -> bool:
    """A character class that holds no word character ("[ ,]", "\\W", "\\s")."""
    if all(op is sre.CATEGORY and av in _NON_WORD_CATEGORIES for op, av in items):
        return bool(items)
    chars = _class(items)
    return not chars & _OPEN and not any(_WORD_CHAR.match(c) for c in chars)


def _case_flags(items: Iterable[tuple[Any, Any]]) -> bool:
    """Some group of the parsed items turns on a flag under which its words cannot be read
    ("(?i:...)")."""
    for op, av in items:
        if op is sre.SUBPATTERN and av[1] & _CASE_FLAGS:
            return True
        if isinstance(av, (list, tuple)):
            inner = [x for x in av if isinstance(x, (sre_parse.SubPattern, list))]
            if any(_case_flags(_items(x)) for x in inner):
                return True
    return False


def _items(node: Any) -> list[tuple[Any, Any]]:
    """The parsed items of a group's pattern, or of a choice's list of them."""
    if isinstance(node, sre_parse.SubPattern):
        return list(node)
    return [item for branch in node for item in branch]


def _edge(op: Any, av: Any, bounded: bool, backward: bool) -> bool:
    """Given whether a word character read next to one side of an item would stand beside a
    non-word character (or an end of the text), whether one read on its other side would:
    reading forwards (a character after the item) or ``backward`` (one before it)."""
    if op is sre.LITERAL:
        return not _is_word(av)
    if op is sre.IN:
        return _no_word_chars(av)
    if op is sre.AT:
        return av in _EDGES
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return bounded
    if op is sre.SUBPATTERN:
        return _walk(list(av[-1]), bounded, backward)
    if op is sre.BRANCH:
        return all(_walk(list(b), bounded, backward) for b in av[1])
    if op in _REPEATS:
        once = _walk(list(av[2]), False, backward)
        return once and (bounded or av[0] > 0)
    return False


def _walk(items: list[tuple[Any, Any]], bounded: bool, backward: bool) -> bool:
    for op, av in (reversed(items) if backward else items):
        bounded = _edge(op, av, bounded, backward)
    return bounded


def _needs(items: list[tuple[Any, Any]], left: bool, right: bool) -> Needs | None:
    """What every match of a sequence of parsed items needs (None: nothing told), ``left`` and
    ``right`` telling whether a word character just inside its ends stands beside a non-word
    character (or an end of the text)."""
    n = len(items)
    lefts = [left]
    for op, av in items:
        lefts.append(_edge(op, av, lefts[-1], False))
    rights = [right]
    for op, av in reversed(items):
        rights.append(_edge(op, av, rights[-1], True))
    rights.reverse()  # rights[k]: before item k, as the mirror of lefts[k]
    found: list[Needs] = []
    k = 0
    while k < n:
        op, av = items[k]
        if op is sre.LITERAL:
            end = k
            while end < n and items[end][0] is sre.LITERAL:
                end += 1
            found.extend(_literal_needs(items[k:end], lefts[k:end + 1], rights[k:end + 1]))
            k = end
            continue
        inner: Needs | None = None
        if op is sre.SUBPATTERN:
                inner = _needs(list(av[-1]), lefts[k], rights[k + 1])
        elif op is sre.BRANCH:
            inner = _any_needs([_needs(list(b), lefts[k], rights[k + 1]) for b in av[1]])
        elif op in _REPEATS and av[0] > 0:
            sub = list(av[2])
            inner = _needs(sub, lefts[k] and _walk(sub, False, False),
                           rights[k + 1] and _walk(sub, False, True))
        if inner is not None:
            found.append(inner)
        k += 1
    return max(found, key=lambda need: need.rank, default=None)


def _literal_needs(items: list[tuple[Any, Any]], lefts: list[bool], rights: list[bool],
                   ) -> Iterator[Needs]:
    """What a run of literal characters needs: itself, and each word in it with a boundary
    on both sides (``lefts`` and ``rights``: as in ``_needs``, at each place in the run)."""
    text = "".join(chr(c) for _, c in items)
    if len(text) >= _PIECE:
        yield Needs(frozenset(), frozenset({text}), len(text))
    start = None
    for i, char in enumerate([*text, ""]):
        word_char = char != "" and _WORD_CHAR.match(char) is not None
        if word_char and start is None:
            start = i
        elif not word_char and start is not None:
            if lefts[start] and rights[i]:
                yield Needs(frozenset({text[start:i]}), frozenset(), i - start)
            start = None


def _any_needs(alternatives: list[Needs | None]) -> Needs | None:
    """What a choice needs: one of what any alternative needs (nothing, if one needs none)."""
    known = [a for a in alternatives if a is not None]
    if not known or len(known) < len(alternatives):
        return None
    first, *rest = known
    for other in rest:
        first = first | other
    return first


# By the id of each expression, kept here with it: an expression hashes its whole program.
_KNOWN: dict[int, tuple[re.Pattern[str], Needs | None]] = {}
_KNOWN_MOST = 4096


def needs(pattern: re.Pattern[str]) -> Needs | None:
    """What every match of ``pattern`` needs (None: nothing can be told)."""
    known = _KNOWN.get(id(pattern))
    if known is None or known[0] is not pattern:
        if len(_KNOWN) >= _KNOWN_MOST:
            _KNOWN.clear()
        known = _KNOWN[id(pattern)] = (pattern, _read_needs(pattern))
    return known[1]


def _read_needs(pattern: re.Pattern[str]) -> Needs | None:
    if pattern.flags & _CASE_FLAGS:
        return None
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    return None if _case_flags(items) else _needs(items, False, False)


@lru_cache(maxsize=16)  # a mail's body is searched for many cue lists in a row
def _words_of(text: str) -> frozenset[str]:
    if text.isascii():
        return frozenset(
            text.encode("ascii").translate(_ASCII_NON_WORD).decode("ascii").split())
    return frozenset(_WORDS.findall(text))


def may_match(pattern: re.Pattern[str], text: str) -> bool:
    """False when no match of ``pattern`` can be in ``text``: it holds nothing needed."""
    known = _KNOWN.get(id(pattern))
    need = known[1] if known is not None and known[0] is pattern else needs(pattern)
    if need is None or not need.words.isdisjoint(_words_of(text)):
        return True
    return any(map(text.__contains__, need.pieces))


def search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern.search(text)``, not run on a text that lacks every word a match needs."""
    return pattern.search(text) if may_match(pattern, text) else None

