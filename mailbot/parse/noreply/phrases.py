"""The phrase lists of ``mailbot/parse/data/*.toml``, compiled once into regular expressions."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from mailbot.parse.alternation import any_of
from mailbot.preload import preloaded

LANGUAGES = ("en", "nl", "de", "fr")
_FLAGS = re.IGNORECASE | re.MULTILINE
_LOWER_CASE_INPUT = re.MULTILINE  # for text lower-cased beforehand: IGNORECASE is 3x slower


@dataclass(frozen=True, slots=True)
class AutoReplyPhrases:
    """``subject`` ignores case; the body patterns expect lower-cased text."""

    subject: re.Pattern[str]
    absence: re.Pattern[str]
    support: re.Pattern[str]
    notice: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class BouncePhrases:
    subject: re.Pattern[str]
    body: re.Pattern[str]  # for "\n" + lower-cased text: each phrase opens a line


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(files("mailbot.parse").joinpath("data", name).read_text("utf-8"))


def _any(patterns: list[str], date: str = "", flags: int = _FLAGS) -> re.Pattern[str]:
    return any_of((p.replace("{date}", date) for p in patterns), flags)


def _prefixes(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"\s*(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", _FLAGS)


def _date_expression(dates: dict[str, list[str]]) -> str:
    months = "|".join(sorted({re.escape(m) for m in dates["months"]}, key=len, reverse=True))
    weekdays = "|".join(dates["weekdays"])
    relative = "|".join(dates["relative"])
    day = r"\d{1,2}(?:st|nd|rd|th|e|er|ste|de|\.)?"
    month = rf"(?:{months})\.?"
    numeric = r"\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\.?"
    return (
        rf"(?:(?:(?:{weekdays}),?\s+(?:the\s+|den\s+|le\s+)?)?"
        rf"(?:{numeric}|{day}\s*(?:of\s+)?{month}(?:\s+\d{{4}})?|{month}\s+{day}(?:,?\s+\d{{4}})?)"
        rf"|(?:{weekdays})\b|(?:{relative})\b)"
    )


@preloaded
def autoreply() -> AutoReplyPhrases:
    data = _load("autoreply.toml")
    date = _date_expression(data["dates"])
    sections = [data[lang] for lang in LANGUAGES]
    return AutoReplyPhrases(
        subject=_prefixes(data["subject"]["prefixes"]),
        absence=_any([p for s in sections for p in s["absence"]], date, _LOWER_CASE_INPUT),
        support=_any([p for s in sections for p in s["support"]], date, _LOWER_CASE_INPUT),
        notice=_any([p for s in sections for p in s["notice"]], date, _LOWER_CASE_INPUT),
    )


@preloaded
def bounce() -> BouncePhrases:
    data = _load("bounce.toml")
    return BouncePhrases(
        subject=_prefixes(data["subject"]["prefixes"]),
        body=re.compile(r"\n[ \t]*(?:" + _any(data["body"]["phrases"]).pattern + ")",
                        _LOWER_CASE_INPUT),
    )
