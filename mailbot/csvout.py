"""CSV that a spreadsheet opens as text: a cell that begins like a formula (``=``, ``+``,
``-``, ``@``, a tab or a carriage return, the OWASP list) is prefixed with ``'``, so text
taken from senders and orders never runs as a formula in the reader's spreadsheet. Every
CSV mailbot writes for people (opt-out and register exports, CLI and console) goes through
:func:`table`. A phone number in international form (``+31612345678``) stays as it is: it
holds nothing a spreadsheet could run, and the tools that import the list need it exact."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+[0-9]{6,15}")


def cell(value: object) -> str:
    """``value`` as a cell's text, neutralised when it would start a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _PHONE.fullmatch(text):
        return "'" + text
    return text


def table(columns: Sequence[str], rows: Iterable[Mapping[str, object]]) -> str:
    """A header line and one line per row, every cell through :func:`cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([cell(c) for c in columns])
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return out.getvalue()
