"""One line of `mailbot check`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Item:
    name: str
    ok: bool
    detail: str
    fix: str = ""  # what to do when it failed

    def line(self) -> str:
        mark = "✓" if self.ok else "✗"
        fix = f" — fix: {self.fix}" if not self.ok and self.fix else ""
        return f"{mark} {self.name}: {self.detail}{fix}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def passed(name: str, detail: str) -> Item:
    return Item(name, True, detail)


def failed(name: str, detail: str, fix: str) -> Item:
    return Item(name, False, detail, fix)
