"""Loading the phrase files in ``data/``: per-language tables of regular expressions.

Shorthand in patterns: ``<gapN>`` stands for up to N words. A pattern that starts or ends
with a letter or digit starts or ends at a word boundary.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("nl", "en", "de", "fr")
_GAP = re.compile(r"<gap(\d+)>")


@cache
def load(topic: str) -> dict[str, dict[str, Any]]:
    """``data/<topic>.toml`` as a mapping language -> section -> value."""
    text = resources.files(__package__).joinpath("data", f"{topic}.toml").read_text("utf-8")
    return tomllib.loads(text)


def expand(pattern: str, space: str = " ") -> str:
    """The pattern with ``<gapN>`` spelled out and word boundaries at its ends; each space
    in it stands for ``space`` (``r"\\s+"`` lets a phrase run over a line break)."""
    body = pattern if space == " " else pattern.replace(" ", space)
    body = _GAP.sub(lambda m: rf"(?:\S+{space}){{0,{m.group(1)}}}", body)
    start = r"\b" if pattern[:1].isalnum() else ""
    end = r"\b" if pattern[-1:].isalnum() else ""
    return f"{start}(?:{body}){end}"


def compile_any(patterns: list[str], flags: int = 0,
                space: str = " ") -> re.Pattern[str] | None:
    """One expression matching any of ``patterns``; None when there are none."""
    if not patterns:
        return None
    return re.compile("|".join(expand(p, space) for p in patterns), flags)


def section(topic: str, name: str, languages: tuple[str, ...] = LANGUAGES) -> list[str]:
    """Section ``name`` of every language in ``languages``, concatenated."""
    book = load(topic)
    return [p for lang in languages for p in book.get(lang, {}).get(name, [])]
