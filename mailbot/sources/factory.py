"""Build each configured source, guarded so that one failing source never crashes a request.

A source raises ``SourceUnavailable`` (the database is down, the file is missing: its
third-party errors translated). The guard turns that into "nothing found here" for a lookup,
noted in the failures recorded for the current transaction (see ``recorded_failures``), and
into ``NotWritable`` for a change, so the registry lists it as a manual step.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mailbot.config import Source as SourceSettings
from mailbot.errors import NotWritable, SourceUnavailable
from mailbot.sources.base import DataSource
from mailbot.store.repository import Repository

log = logging.getLogger(__name__)
_FAILURES = "mailbot.source_failures"


class Opener:
    """Opens one source in a transaction; ``close`` releases what it holds (a SQL pool)."""

    def __init__(self, open_: Callable[[Repository], DataSource],
                 close: Callable[[], None] = lambda: None) -> None:
        self._open = open_
        self.close = close

    def __call__(self, repo: Repository) -> DataSource:
        return self._open(repo)


def source_factory(settings: SourceSettings) -> Opener:
    """What opens ``settings``' source in a transaction. Raises ConfigError for a source that
    can never work (an unknown database dialect, a delimiter that is not one character)."""
    from mailbot.sources.csvfile import CsvSource, check_delimiter
    from mailbot.sources.own import OwnSource
    from mailbot.sources.sql import SqlSource, check_queries, sql_engine

    if settings.type == "sql":
        check_queries(settings)
        engine = sql_engine(settings)
        return Opener(lambda repo: Guarded(SqlSource(settings, engine), repo), engine.dispose)
    if settings.type == "csv":
        check_delimiter(settings)
        return Opener(lambda repo: Guarded(CsvSource(settings), repo))
    return Opener(lambda repo: Guarded(OwnSource(settings, repo), repo))


@contextmanager
def recorded_failures(repo: Repository) -> Iterator[dict[str, str]]:
    """The sources that could not be searched inside the block: source name -> reason."""
    info = repo.info
    outer = info.get(_FAILURES)
    failures: dict[str, str] = {}
    info[_FAILURES] = failures
    try:
        yield failures
    finally:
        if outer is None:
            info.pop(_FAILURES, None)
        else:
            outer.update(failures)
            info[_FAILURES] = outer


class Guarded:
    """A source whose failures are reported instead of raised."""

    def __init__(self, source: DataSource, repo: Repository) -> None:
        self.source = source
        self.settings = source.settings
        self._repo = repo

    def lookup(self, email: str) -> list[dict[str, str]]:
        return self._searched(lambda: self.source.lookup(email))

    def lookup_name(self, name: str) -> list[dict[str, str]]:
        """The rows found by name; [] for a source that cannot search by name."""
        lookup = getattr(self.source, "lookup_name", None)
        return self._searched(lambda: lookup(name)) if lookup is not None else []

    def _searched(self, search: Callable[[], list[dict[str, str]]]) -> list[dict[str, str]]:
        try:
            return search()
        except SourceUnavailable as exc:
            log.warning("source %s could not be searched: %s", self.settings.name, exc)
            failures = self._repo.info.get(_FAILURES)
            if failures is not None:
                failures[self.settings.name] = str(exc)
            return []

    def update(self, email: str, field: str, value: str) -> int:
        try:
            return self.source.update(email, field, value)
        except SourceUnavailable as exc:
            raise NotWritable(f"could not be changed now: {exc}") from exc

    def erase(self, email: str) -> int:
        try:
            return self.source.erase(email)
        except SourceUnavailable as exc:
            raise NotWritable(f"could not be changed now: {exc}") from exc

    def restrict(self, email: str) -> int:
        restrict = getattr(self.source, "restrict", None)
        if restrict is None:
            raise NotWritable("this kind of source cannot mark rows as restricted")
        try:
            return int(restrict(email))
        except SourceUnavailable as exc:
            raise NotWritable(f"could not be changed now: {exc}") from exc
