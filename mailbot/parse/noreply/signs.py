"""Weaker signs that a machine wrote a mail which carries no automatic-reply header: a ticket
number in the subject, "your request has been received", "do not reply to this mail", a leave
notice. None of them stops a mail the way the no-reply rules do; they make it wait for a
person, and hold its acknowledgement until that person decides (``handle/acknowledge``).
The phrases are data: ``parse/data/signs.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib.resources import files

from mailbot.classify.normalize import strip_accents
from mailbot.domain.mail import ParsedMail
from mailbot.parse.alternation import any_of, search
from mailbot.parse.quotes import own_text
from mailbot.preload import preloaded

_WINDOW = 2_000
_FLAGS = re.MULTILINE


@dataclass(frozen=True, slots=True)
class SignPatterns:
    subject: re.Pattern[str]
    sender: re.Pattern[str]
    body: dict[str, re.Pattern[str]]


@preloaded
def patterns() -> SignPatterns:
    data = tomllib.loads(files("mailbot.parse").joinpath("data", "signs.toml").read_text("utf-8"))
    return SignPatterns(any_of(data["subject"]["ticket"], _FLAGS),
                        any_of(data["sender"]["mailbox"]),
                        {name: any_of(found, _FLAGS) for name, found in data["body"].items()})


def _fold(text: str) -> str:
    return strip_accents(text.lower().replace("\u2019", "'"))


def automatic_signs(mail: ParsedMail) -> tuple[str, ...]:
    """What in ``mail`` looks automatic, each as "kind: words", or () for none."""
    found = []
    signs = patterns()
    subject = _fold(mail.subject or "")
    m = search(signs.subject, subject)
    if m:
        found.append(f"ticket number in the subject: {m.group().strip()!r}")
    local = mail.sender.addr.partition("@")[0] if mail.sender else ""
    if local and signs.sender.fullmatch(local):
        found.append(f"sent from {mail.sender.addr if mail.sender else ''}")
    own = own_text(mail.text or "").text
    # A bulk mailing says why it came in its footer, so the end is read too.
    text = _fold(own if len(own) <= 2 * _WINDOW else f"{own[:_WINDOW]}\n{own[-_WINDOW:]}")
    for name, pattern in signs.body.items():
        m = search(pattern, text)
        if m:
            found.append(f"{name.replace('_', ' ')}: {m.group().strip()!r}")
    return tuple(found)
