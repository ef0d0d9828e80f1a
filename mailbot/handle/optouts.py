"""The suppression list: objections per address and purpose (art. 21), recorded once, and
exported for the mailing or CRM tool that must honour them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mailbot.store.models import OptOut, Request
from mailbot.store.repository import Repository

Format = Literal["csv", "json"]
COLUMNS = ("email", "purpose", "since", "reference")


def purposes_of(repo: Repository, email: str) -> list[str]:
    """The purposes ``email`` objected to, sorted."""
    return list(repo.session.scalars(
        select(OptOut.purpose).where(OptOut.email == email.lower()).order_by(OptOut.purpose)))


def record(repo: Repository, email: str, purposes: Iterable[str], *, request_id: int | None,
           now: datetime) -> list[str]:
    """Record an objection to each purpose; those already on the list stay as they were.
    Returns the purposes that are new."""
    email = email.lower()
    added = []
    for purpose in purposes:
        if purpose in purposes_of(repo, email):
            continue
        try:
            # A savepoint: another process may record the same objection at the same time.
            with repo.session.begin_nested():
                repo.add(OptOut(email=email, purpose=purpose, request_id=request_id,
                                created_at=now))
        except IntegrityError:
            continue
        added.append(purpose)
    return added


def rows(repo: Repository) -> list[dict[str, str | None]]:
    """Every entry, ordered by address and purpose."""
    result = repo.session.execute(
        select(OptOut, Request.reference)
        .outerjoin(Request, Request.id == OptOut.request_id)
        .order_by(OptOut.email, OptOut.purpose)).all()
    return [{"email": optout.email, "purpose": optout.purpose,
             "since": optout.created_at.date().isoformat(), "reference": reference}
            for optout, reference in result]


def export(repo: Repository, fmt: Format) -> str:
    """The suppression list as CSV (with a header line) or as a JSON array."""
    entries = rows(repo)
    if fmt == "json":
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: v or "" for k, v in entry.items()} for entry in entries)
        return out.getvalue()
    raise ValueError(f"unknown format {fmt!r}: use csv or json")
