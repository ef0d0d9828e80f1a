"""Every console string in Dutch and English, from ``i18n/<language>.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("nl", "en")
DIRECTORY = Path(__file__).with_name("i18n")


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def catalog(language: str) -> dict[str, str]:
    with (DIRECTORY / f"{language}.toml").open("rb") as file:
        return _flatten(tomllib.load(file))


class Translator:
    """``t(key, **values)`` for one language; a key missing there falls back to English, and a
    key missing everywhere shows as itself (a test keeps both files complete)."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else LANGUAGES[0]
        self._texts = catalog(self.language)

    def __call__(self, key: str, **values: object) -> str:
        text = self._texts.get(key) or catalog("en").get(key) or key
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in self._texts

    def months(self, count: int) -> str:
        """``count`` months, in words that agree with the number ("1 maand", "2 maanden")."""
        return self("unit.month_one" if count == 1 else "unit.month_other", n=count)

    def label(self, group: str, value: str | None) -> str:
        """A known value's name (``status.triage``), or the value itself."""
        if value is None:
            return ""
        key = f"{group}.{value}"
        return self(key) if self.has(key) else value


def choose(*wanted: str | None, accept_language: str | None = None,
           default: str = LANGUAGES[0]) -> str:
    """The first supported language among ``wanted``, then the browser's, then ``default``."""
    for language in wanted:
        if language in LANGUAGES:
            return language
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return default if default in LANGUAGES else LANGUAGES[0]
