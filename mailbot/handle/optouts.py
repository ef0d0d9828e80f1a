"""The suppression list: objections per address and purpose (art. 21), recorded once, and
exported for the mailing or CRM tool that must honour them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from mailbot.csvout import table
from mailbot.store.repository import Repository

Format = Literal["csv", "json"]
COLUMNS = ("email", "phone", "purpose", "since", "reference")


def purposes_of(repo: Repository, email: str) -> list[str]:
    """The purposes ``email`` objected to, sorted."""
    return repo.optouts.purposes_of(email)


def record(repo: Repository, email: str, purposes: Iterable[str], *, request_id: int | None,
           now: datetime) -> list[str]:
    """Record an objection to each purpose; those already on the list stay as they were.
    Returns the purposes that are new."""
    return repo.optouts.add_all(email, purposes, request_id=request_id, now=now)


def record_phones(repo: Repository, phones: Iterable[str], purposes: Iterable[str], *,
                  request_id: int | None, now: datetime) -> list[tuple[str, str]]:
    """Record an objection to each purpose for each phone number (international form);
    returns the (phone, purpose) pairs that are new."""
    wanted = list(purposes)
    return repo.optouts.add_phones([(phone, purpose) for phone in phones for purpose in wanted],
                                   request_id=request_id, now=now)


def rows(repo: Repository, search: str = "") -> list[dict[str, str | None]]:
    """Every entry (or those whose address or number contains ``search``), by address and
    purpose."""
    return [{"email": optout.email, "phone": optout.phone, "purpose": optout.purpose,
             "since": optout.created_at.date().isoformat(), "reference": reference}
            for optout, reference in repo.optouts.rows(search)]


def export(repo: Repository, fmt: Format) -> str:
    """The suppression list as CSV (with a header line) or as a JSON array."""
    entries = rows(repo)
    if fmt == "json":
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return table(COLUMNS, entries)
    raise ValueError(f"unknown format {fmt!r}: use csv or json")
