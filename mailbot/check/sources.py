"""Each data source, its query run for an address nobody has."""

from __future__ import annotations

from mailbot.check.item import Item, failed, passed
from mailbot.config import Settings
from mailbot.config import Source as SourceSettings
from mailbot.errors import MailbotError

DUMMY = "mailbot-check@example.invalid"


def sources(settings: Settings) -> list[Item]:
    return [_source(source) for source in settings.sources]


def _source(settings: SourceSettings) -> Item:
    from mailbot.sources.csvfile import CsvSource, check_delimiter
    from mailbot.sources.sql import SqlSource, check_queries, sql_engine

    name = f"source {settings.name}"
    if settings.type == "own":
        return passed(name, "mailbot's own records")
    try:
        if settings.type == "sql":
            check_queries(settings)
            engine = sql_engine(settings)
            try:
                source = SqlSource(settings, engine)
                rows = source.lookup(DUMMY)
                columns = source.columns()
            finally:
                engine.dispose()
            problem = _optout_problem(settings, columns)
            if problem:
                return failed(name, problem, "name in optout_columns only columns the "
                              "query returns, set writable = true and give an update_query")
        else:
            check_delimiter(settings)
            rows = CsvSource(settings).lookup(DUMMY)
            problem = _optout_problem(settings, None)
            if problem:
                return failed(name, problem, "set writable = true, or remove optout_columns")
    except MailbotError as exc:
        fix = ("check the source's url and query (it takes :email)" if settings.type == "sql"
               else "check the source's path and email_column")
        return failed(name, str(exc), fix)
    where = "query ran" if settings.type == "sql" else f"{settings.path} read"
    return passed(name, f"{where} ({len(rows)} row(s) for a dummy address)")


def _optout_problem(settings: SourceSettings, columns: list[str] | None) -> str:
    """Why an objection could not be recorded in this source's consent columns, if so
    (``columns``: those an sql query returns; None for a csv file)."""
    if not settings.optout_columns:
        return ""
    if not settings.writable or (columns is not None and not settings.update_query):
        return "optout_columns are set, but the source is not writable" + (
            " with an update_query" if columns is not None else "")
    if columns is None:
        return ""
    known = {c.lower() for c in columns}
    missing = [c for c in settings.optout_columns.values() if c.lower() not in known]
    if missing:
        return (f"optout_columns {', '.join(missing)} are not among the query's columns "
                f"({', '.join(columns)})")
    return ""
