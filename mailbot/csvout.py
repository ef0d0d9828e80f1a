"""CSV that a spreadsheet opens as text: a cell that begins like a formula (``=``, ``+``,
``-``, ``@``, a tab or a carriage return, the OWASP list) is prefixed with ``'``, so text
taken from senders and orders never runs as a formula in the reader's spreadsheet. Every
CSV mailbot writes for people (opt-out and register exports, CLI and console) goes through
:func:`table`."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """``value`` as a cell's text, neutralised when it would start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def table(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """A header line and one line per row, every cell through :func:`cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([cell(c) for c in columns])
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()
