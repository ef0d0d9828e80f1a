"""A database reached through any SQLAlchemy URL.

``query`` returns the person's rows and takes ``:email`` (given lower-cased: compare with
``lower(column)``). ``update_query`` takes ``:email`` and ``:value`` and names the column as
``{field}``, which is only ever replaced by one of the columns ``query`` returns (quoted by
the dialect), never by text from a mail. ``erase_query`` takes ``:email``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from mailbot.config import Source as SourceSettings
from mailbot.errors import ConfigError, NotWritable, SourceUnavailable

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_queries(settings: SourceSettings) -> None:
    """Raise ConfigError for a statement that lacks the placeholders it must take."""
    needs = {"query": (":email",), "update_query": (":email", ":value", "{field}"),
             "erase_query": (":email",), "restrict_query": (":email",)}
    for key, placeholders in needs.items():
        statement = getattr(settings, key)
        missing = [p for p in placeholders if statement and p not in statement]
        if missing:
            raise ConfigError(f"config error: sources: source {settings.name!r}: {key} must "
                              f"take {' and '.join(missing)}")


def sql_engine(settings: SourceSettings) -> Engine:
    """The source's engine; connecting waits for the first lookup."""
    url = settings.url or ""
    try:
        engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(f"config error: sources: source {settings.name!r}: url: {exc}") \
            from exc
    return engine


class SqlSource:
    def __init__(self, settings: SourceSettings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine

    def lookup(self, email: str) -> list[dict[str, str]]:
        columns, rows = self._select(email)
        return [{column: _text(value) for column, value in zip(columns, row, strict=True)}
                for row in rows]

    def lookup_name(self, name: str) -> list[dict[str, str]]:
        """Every row ``name_query`` finds for ``name``; [] without one."""
        if not self.settings.name_query:
            return []
        self._check_file()
        try:
            with self.engine.connect() as connection:
                result = connection.execute(text(self.settings.name_query),
                                            {"name": " ".join(name.split())})
                columns, rows = list(result.keys()), list(result)
        except SQLAlchemyError as exc:
            raise SourceUnavailable(_reason(exc)) from exc
        return [{column: _text(value) for column, value in zip(columns, row, strict=True)}
                for row in rows]

    def columns(self) -> list[str]:
        """The columns ``query`` returns (run for an address nobody has)."""
        return self._select("mailbot-check@example.invalid")[0]

    def update(self, email: str, field: str, value: str) -> int:
        statement = self.settings.update_query
        if not statement:
            raise NotWritable("no update_query is configured")
        columns, _ = self._select(email)
        column = next((c for c in columns if c.lower() == field.strip().lower()), None)
        if column is None or not _IDENTIFIER.fullmatch(column):
            raise NotWritable(f"{field!r} is not one of the query's columns "
                              f"({', '.join(columns)})")
        quoted = self.engine.dialect.identifier_preparer.quote(column)
        return self._change(statement.replace("{field}", quoted),
                            {"email": _normal(email), "value": value})

    def erase(self, email: str) -> int:
        if not self.settings.erase_query:
            raise NotWritable("no erase_query is configured")
        return self._change(self.settings.erase_query, {"email": _normal(email)})

    def restrict(self, email: str) -> int:
        if not self.settings.restrict_query:
            raise NotWritable("no restrict_query is configured")
        return self._change(self.settings.restrict_query, {"email": _normal(email)})

    def _select(self, email: str) -> tuple[list[str], list[Any]]:
        self._check_file()
        try:
            with self.engine.connect() as connection:
                result = connection.execute(text(self.settings.query or ""),
                                            {"email": _normal(email)})
                return list(result.keys()), list(result)
        except SQLAlchemyError as exc:
            raise SourceUnavailable(_reason(exc)) from exc

    def _change(self, statement: str, params: dict[str, str]) -> int:
        self._check_file()
        try:
            with self.engine.begin() as connection:
                rows = connection.execute(text(statement), params).rowcount
        except SQLAlchemyError as exc:
            raise SourceUnavailable(_reason(exc)) from exc
        return max(rows, 0)

    def _check_file(self) -> None:
        """SQLite would quietly create a missing database file; say it is missing instead."""
        url = self.engine.url
        if url.get_backend_name() != "sqlite" or not url.database:
            return
        if url.database == ":memory:" or url.database.startswith("file:"):
            return
        if not Path(url.database).is_file():
            raise SourceUnavailable(f"database file not found: {Path(url.database).name}")


def _normal(email: str) -> str:
    return email.strip().lower()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, bytes):
        return f"({len(value)} bytes)"
    return str(value)


def _reason(exc: SQLAlchemyError) -> str:
    """A short reason without the statement or its parameters (they hold the address)."""
    original = getattr(exc, "orig", None)
    detail = str(original) if original is not None else str(exc).split("\n", 1)[0]
    detail = detail.strip().split("\n", 1)[0]
    return f"database error: {detail}" if detail else f"database error: {type(exc).__name__}"
