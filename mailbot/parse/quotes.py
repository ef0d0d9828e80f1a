"""The part of a reply that its writer wrote: text before the quoted history.

Cuts at the first line that opens a quote in the usual clients (Gmail, Outlook, Apple Mail,
Thunderbird) in Dutch, English, German and French, and drops ``>``-quoted lines.
"""

from __future__ import annotations

import re

# Searched in "\n" + text: the literal newline in front lets the engine skip to line starts.
_OPENERS = re.compile(
    r"""\n[ \t]*(?:
        (?:on|op|am|le)\b[^\n]{0,200}?(?:\n[^\n]{0,120}?)?
          (?:wrote|schreef|schrieb|geschreven|a\ écrit|a\ ecrit)[^\n]{0,120}:[ \t]*$
      | -{2,}\s*(?:original\ message|oorspronkelijk\ bericht|origineel\ bericht
          |ursprüngliche\ nachricht|message\ d'origine|forwarded\ message
          |doorgestuurd\ bericht|weitergeleitete\ nachricht|message\ transféré)\s*-{2,}
      | _{10,}
      | \*?(?:from|van|von|de)\s*:\*?\s.+\n\*?(?:sent|date|verzonden|datum|gesendet|envoyé|
          to|aan|an|à)\s*:
    )""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*\n?", re.MULTILINE)


def own_text(text: str) -> str:
    """``text`` without the quoted message it answers or forwards."""
    opener = _OPENERS.search("\n" + text)
    if opener is not None:
        text = text[: max(0, opener.start() - 1)]
    if ">" in text:
        text = _QUOTED_LINE.sub("", text)
    return text.strip()
