"""What every rule is: a name and one step over the findings."""

from __future__ import annotations

from typing import Protocol

from mailbot.classify.document import Doc, Findings
from mailbot.classify.lexicon import STRENGTHS

STRONG = STRENGTHS["strong"]  # the weight of a strong lexicon phrase
MEDIUM = 0.6


class Rule(Protocol):
    name: str

    def apply(self, doc: Doc, found: Findings) -> None:
        """Add evidence to ``found``, or set some of it aside with a reason."""
