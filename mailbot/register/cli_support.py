"""What the ``mailbot clients add`` and ``mailbot register export`` commands call."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from mailbot.register import clients
from mailbot.register import export as exporting
from mailbot.store.repository import Repository


def export(repo: Repository, fmt: str, *, current_only: bool = True, language: str = "en",
           organisation: str = "", now: datetime | None = None) -> str:
    """The register as ``fmt`` (csv, json, md or html): the current version of every order,
    or with ``current_only=False`` every version."""
    if fmt not in exporting.FORMATS:
        raise exporting.ExportError(f"unknown export format {fmt!r}: use one of "
                                    f"{', '.join(exporting.FORMATS)}")
    found = exporting.rows(repo, current_only=current_only)
    return exporting.render(found, fmt, language=language, organisation=organisation,
                            produced=now or datetime.now(UTC), current_only=current_only)


def add_client(repo: Repository, name: str, contacts: Iterable[str], dpo: str | None = None,
               address: str | None = None) -> dict[str, Any]:
    """Register a client (or add to it) with the addresses its orders come from, its DPO or
    representative and its address. Returns the client as a dict."""
    return clients.add_client(repo, name, contacts, dpo=dpo, address=address)
