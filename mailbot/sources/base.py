"""The interface every data source offers, and what a lookup returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mailbot.config import Source as SourceSettings


@dataclass(frozen=True, slots=True)
class Found:
    """The rows one source holds about one address, with what an access reply says of it."""

    settings: SourceSettings
    records: tuple[dict[str, str], ...]

    @property
    def name(self) -> str:
        return self.settings.name

    @property
    def processor(self) -> bool:
        return self.settings.role == "processor"


class DataSource(Protocol):
    settings: SourceSettings

    def lookup(self, email: str) -> list[dict[str, str]]:
        """Every row about ``email`` (matched case-insensitively), values as text."""

    def update(self, email: str, field: str, value: str) -> int:
        """Set ``field`` for ``email``; the number of rows changed. NotWritable when it can't."""

    def erase(self, email: str) -> int:
        """Remove every row about ``email``; the number of rows removed. NotWritable likewise."""
