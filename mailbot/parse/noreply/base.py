"""What every no-reply rule is: a name, a disposition, a description, and one question."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from functools import cached_property
from typing import ClassVar

from mailbot.domain.kinds import Disposition
from mailbot.domain.mail import NoReplyVerdict, ParsedMail
from mailbot.parse.quotes import own_text

_FORWARD = re.compile(r"\s*(?:fwd?|fw|wg|tr|doorst(?:uren)?|rv|enc)\s*:", re.IGNORECASE)
_REPLY_OR_FORWARD = re.compile(
    r"\s*(?:re|aw|antw|sv|vs|ref|fwd?|fw|wg|tr|doorst(?:uren)?|rv|enc)\s*(?:\[\d+\])?\s*:",
    re.IGNORECASE,
)
_CURLY_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'"})


class Context:
    """One check of one mail: the settings, and values several rules share, made once."""

    def __init__(self, mail: ParsedMail, own_addresses: frozenset[str], loop_header: str) -> None:
        self.mail = mail
        self.own_addresses = own_addresses
        self.loop_header = loop_header.lower()

    @cached_property
    def forwarded(self) -> bool:
        """The subject says a person forwards something (quoted notices are then no signal)."""
        return _FORWARD.match(self.mail.subject) is not None

    @cached_property
    def replied_or_forwarded(self) -> bool:
        return _REPLY_OR_FORWARD.match(self.mail.subject) is not None

    @cached_property
    def own_text(self) -> str:
        """The writer's own words, lower-cased, without quoted history."""
        return own_text(self.mail.text[:20_000]).lower().translate(_CURLY_APOSTROPHES)

    def header(self, name: str) -> str | None:
        return self.mail.header(name)


class Rule(ABC):
    """A named check, in the manner of Mailman 3's rules: one concern, run in order."""

    name: ClassVar[str]
    disposition: ClassVar[Disposition]
    description: ClassVar[str]

    @abstractmethod
    def reason(self, ctx: Context) -> str | None:
        """Why this mail must not be answered, or None when this rule has no objection."""

    def check(self, ctx: Context) -> NoReplyVerdict | None:
        why = self.reason(ctx)
        return None if why is None else self.verdict(ctx, why)

    def verdict(self, ctx: Context, reason: str) -> NoReplyVerdict:
        return NoReplyVerdict(disposition=self.disposition, rule=self.name, reason=reason)

    def __repr__(self) -> str:
        return f"<rule {self.name}: {self.disposition}>"


def quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
