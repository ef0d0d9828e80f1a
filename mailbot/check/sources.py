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
                rows = SqlSource(settings, engine).lookup(DUMMY)
            finally:
                engine.dispose()
        else:
            check_delimiter(settings)
            rows = CsvSource(settings).lookup(DUMMY)
    except MailbotError as exc:
        fix = ("check the source's url and query (it takes :email)" if settings.type == "sql"
               else "check the source's path and email_column")
        return failed(name, str(exc), fix)
    where = "query ran" if settings.type == "sql" else f"{settings.path} read"
    return passed(name, f"{where} ({len(rows)} row(s) for a dummy address)")
