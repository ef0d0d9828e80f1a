"""What the ``mailbot register export`` command and the console's download call."""

from __future__ import annotations

from datetime import UTC, datetime

from mailbot.register import export as exporting
from mailbot.store.repository import Repository


def export(repo: Repository, fmt: str, *, current_only: bool = True, language: str = "en",
           processor: exporting.Processor | None = None,
           now: datetime | None = None) -> str:
    """The register as ``fmt`` (csv, json, md or html): the current version of every order,
    or with ``current_only=False`` every version."""
    if fmt not in exporting.FORMATS:
        raise exporting.ExportError(f"unknown export format {fmt!r}: use one of "
                                    f"{', '.join(exporting.FORMATS)}")
    found = exporting.rows(repo, current_only=current_only, processor=processor)
    return exporting.render(found, fmt, language=language, processor=processor,
                            produced=now or datetime.now(UTC), current_only=current_only)
