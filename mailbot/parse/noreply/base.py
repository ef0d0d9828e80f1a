"""What every no-reply rule is: a name, a disposition, a description, and one question."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from mailbot.domain.kinds import Disposition
from mailbot.domain.mail import NoReplyVerdict, ParsedMail
from mailbot.parse.quotes import OwnText, own_text
from mailbot.parse.subject import FORWARD, REPLY_OR_FORWARD

OWN_TEXT_WINDOW = 3_000
OPENING_WINDOW = 2_000
_CURLY_APOSTROPHES = ("\u2019", "\u2018", "\u00b4")


class Context:
    """One check of one mail: the settings, and values several rules share, made once.

    (Lazy attributes by hand: functools.cached_property takes a lock on Python 3.11, which
    costs more than most rules.)
    """

    def __init__(self, mail: ParsedMail, own_addresses: frozenset[str], loop_header: str) -> None:
        self.mail = mail
        self.own_addresses = own_addresses
        self.loop_header = loop_header.lower()
        self._own: OwnText | None = None
        self._own_text: str | None = None
        self._opening: str | None = None

    @property
    def forwarded(self) -> bool:
        """The subject says a person forwards something (quoted notices are then no signal)."""
        return FORWARD.match(self.mail.subject) is not None

    @property
    def replied_or_forwarded(self) -> bool:
        return REPLY_OR_FORWARD.match(self.mail.subject) is not None

    @property
    def own(self) -> OwnText:
        """The writer's own words and where the quoted or forwarded history begins."""
        if self._own is None:
            self._own = own_text(self.mail.text)
        return self._own

    @property
    def own_text(self) -> str:
        """The start of the writer's own words, lower-cased, without quoted history."""
        if self._own_text is None:
            text = self.own.text[:OWN_TEXT_WINDOW].lower()
            for apostrophe in _CURLY_APOSTROPHES:
                if apostrophe in text:
                    text = text.replace(apostrophe, "'")
            self._own_text = text
        return self._own_text

    @property
    def opening(self) -> str:
        """The first lines of the whole text (quotes included), lower-cased, after a newline."""
        if self._opening is None:
            self._opening = "\n" + self.mail.text[:OPENING_WINDOW].lower()
        return self._opening

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
