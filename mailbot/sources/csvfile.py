"""A CSV export (UTF-8, with or without a byte-order mark) with one row per person and an
e-mail column. A writable file is changed by writing a new file next to it and renaming it
over the old one, so readers see the old file or the new one, never half of one."""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mailbot.config import Source as SourceSettings
from mailbot.errors import ConfigError, NotWritable, SourceUnavailable


def check_delimiter(settings: SourceSettings) -> None:
    if len(settings.delimiter) != 1 or settings.delimiter in "\"\r\n":
        raise ConfigError(f"config error: sources: source {settings.name!r}: delimiter must "
                          f"be one character other than a quote or line break, e.g. \",\" "
                          f"or \";\"")


@dataclass
class _Table:
    header: list[str]
    records: list[list[str]]
    email_index: int
    newline: str
    bom: bool
    stamp: tuple[int, int]  # (mtime_ns, size) when read: a change meanwhile is noticed

    def column(self, name: str) -> int | None:
        wanted = name.strip().lower()
        return next((i for i, c in enumerate(self.header) if c.strip().lower() == wanted), None)

    def matches(self, record: list[str], email: str) -> bool:
        value = record[self.email_index] if self.email_index < len(record) else ""
        return value.strip().lower() == email

    def as_dict(self, record: list[str]) -> dict[str, str]:
        padded = record + [""] * (len(self.header) - len(record))
        return dict(zip(self.header, padded, strict=False))


class CsvSource:
    def __init__(self, settings: SourceSettings) -> None:
        self.settings = settings
        self.path = Path(settings.path or "")

    def lookup(self, email: str) -> list[dict[str, str]]:
        table = self._read()
        wanted = _normal(email)
        return [table.as_dict(r) for r in table.records if table.matches(r, wanted)]

    def lookup_name(self, name: str) -> list[dict[str, str]]:
        """Every record whose ``name_column`` is ``name`` (case and spacing aside)."""
        if not self.settings.name_column:
            return []
        table = self._read()
        index = table.column(self.settings.name_column)
        if index is None:
            raise SourceUnavailable(f"{self.path.name} has no column "
                                    f"{self.settings.name_column!r}")
        wanted = " ".join(name.split()).casefold()
        return [table.as_dict(r) for r in table.records
                if index < len(r) and " ".join(r[index].split()).casefold() == wanted]

    def update(self, email: str, field: str, value: str) -> int:
        table = self._read()
        index = table.column(field)
        if index is None:
            raise NotWritable(f"{field!r} is not a column of {self.path.name} "
                              f"({', '.join(table.header)})")

        def change(record: list[str]) -> list[str]:
            record = record + [""] * (len(table.header) - len(record))
            record[index] = value
            return record

        return self._rewrite(table, email, change)

    def erase(self, email: str) -> int:
        return self._rewrite(self._read(), email, None)

    def _rewrite(self, table: _Table, email: str,
                 change: Callable[[list[str]], list[str]] | None) -> int:
        """Write the table back with the person's records changed (or left out when
        ``change`` is None); the number of records concerned."""
        wanted = _normal(email)
        kept: list[list[str]] = []
        count = 0
        for record in table.records:
            if table.matches(record, wanted):
                count += 1
                if change is not None:
                    kept.append(change(record))
            else:
                kept.append(record)
        if count:
            self._replace(table, kept)
        return count

    def _replace(self, table: _Table, records: list[list[str]]) -> None:
        encoding = "utf-8-sig" if table.bom else "utf-8"
        try:
            fd, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.",
                                        suffix=".tmp")
        except OSError as exc:
            raise SourceUnavailable(f"cannot write next to {self.path.name}: "
                                    f"{exc.strerror or exc}") from exc
        temporary = Path(name)
        try:
            with os.fdopen(fd, "w", encoding=encoding, newline="") as out:
                writer = csv.writer(out, delimiter=self.settings.delimiter,
                                    lineterminator=table.newline)
                writer.writerow(table.header)
                writer.writerows(records)
                out.flush()
                os.fsync(out.fileno())
            shutil.copymode(self.path, temporary)
            if _stamp(self.path) != table.stamp:
                raise SourceUnavailable(f"{self.path.name} was changed by something else "
                                        "while mailbot was changing it; try again")
            os.replace(temporary, self.path)
        except OSError as exc:
            raise SourceUnavailable(f"cannot write {self.path.name}: "
                                    f"{exc.strerror or exc}") from exc
        finally:
            temporary.unlink(missing_ok=True)

    def _read(self) -> _Table:
        name = self.path.name
        try:
            stamp = _stamp(self.path)
            raw = self.path.read_bytes()
        except FileNotFoundError as exc:
            raise SourceUnavailable(f"file not found: {name}") from exc
        except OSError as exc:
            raise SourceUnavailable(f"cannot read {name}: {exc.strerror or exc}") from exc
        try:
            content = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceUnavailable(f"{name} is not UTF-8 text (byte {exc.start})") from exc
        first_line = content.split("\n", 1)[0]
        try:
            rows = [r for r in csv.reader(io.StringIO(content, newline=""),
                                          delimiter=self.settings.delimiter) if r]
        except csv.Error as exc:
            raise SourceUnavailable(f"{name} is not valid CSV: {exc}") from exc
        if not rows:
            raise SourceUnavailable(f"{name} is empty: no header row")
        header, records = rows[0], rows[1:]
        table = _Table(header, records, 0, "\r\n" if first_line.endswith("\r") else "\n",
                       raw.startswith(codecs.BOM_UTF8), stamp)
        index = table.column(self.settings.email_column)
        if index is None:
            raise SourceUnavailable(f"{name} has no column {self.settings.email_column!r} "
                                    f"(columns: {', '.join(header)})")
        table.email_index = index
        return table


def _normal(email: str) -> str:
    return email.strip().lower()


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size
