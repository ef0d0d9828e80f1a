"""mailbot's own records about an address: its requests, the mails it sent us, its opt-outs.

Rows use fixed keys (the access templates translate them): a request is ``reference``,
``kind``, ``received``; a mail is ``mail_received``, ``subject``, ``references`` (the
requests recorded from it); an opt-out is ``opt_out`` (the purpose) and ``since``.
Corrections and erasures of these records are the correction and erasure handlers' work,
so this source itself is never changed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime

from mailbot.config import Source as SourceSettings
from mailbot.errors import NotWritable
from mailbot.handle import special
from mailbot.store.repository import Repository


class OwnSource:
    def __init__(self, settings: SourceSettings, repo: Repository) -> None:
        self.settings = settings
        self.repo = repo

    def lookup(self, email: str) -> list[dict[str, str]]:
        address = email.strip().lower()
        requests = self.repo.requests.from_sender(address)
        mails = self.repo.inbound.from_sender(address)
        optouts = self.repo.optouts.of(address)
        rows = [{"reference": r.reference or "", "kind": r.kind,
                 "received": _when(r.received_at)} for r in requests]
        rows += [{"mail_received": _when(m.received_at), "subject": special.subject_of(m),
                  "references": ", ".join(r.reference or "" for r in m.requests)}
                 for m in mails]
        rows += [{"opt_out": o.purpose, "since": _when(o.created_at)} for o in optouts]
        return rows

    def update(self, email: str, field: str, value: str) -> int:
        raise NotWritable("mailbot's own records are corrected by the correction handler")

    def erase(self, email: str) -> int:
        raise NotWritable("mailbot's own records are erased by the erasure handler")


def beyond(records: Iterable[dict[str, str]],
           references: Collection[str]) -> tuple[dict[str, str], ...]:
    """The records that are not about the requests ``references`` themselves (the request
    being answered and the mail that carried it)."""
    def about_them(record: dict[str, str]) -> bool:
        if "reference" in record:
            return record["reference"] in references
        if "references" in record:
            named = {r.strip() for r in record["references"].split(",") if r.strip()}
            return bool(named) and named <= set(references)
        return False

    return tuple(r for r in records if not about_them(r))


def _when(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")
