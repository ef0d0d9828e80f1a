"""The prefixes a mail client puts before a subject when a person replies or forwards.

One list for the whole of mailbot: classify strips them (a reply's subject was written by
whoever wrote first), the no-reply rules ask whether a person replied or forwarded.
"""

from __future__ import annotations

import re

# Re, Aw (de), Antw/Antwoord (nl), Sv (da, no, sv), Vs (fi), R/Rif (it), Ref/Réf (fr),
# Odp (pl), Vá (hu).
REPLY_PREFIXES = ("re", "aw", "antw", "antwoord", "sv", "vs", "r", "rif", "ref", "réf", "odp",
                  "vá")
# Fw/Fwd, Wg (de), Tr (fr), Doorst/Doorsturen (nl), Rv (es), Enc (pt).
FORWARD_PREFIXES = ("fw", "fwd", "wg", "tr", "doorst", "doorsturen", "rv", "enc")


def _alternatives(prefixes: tuple[str, ...]) -> str:
    return "|".join(sorted(map(re.escape, prefixes), key=lambda p: (-len(p), p)))


# A prefix: the word, an optional counter ("Re[2]:", "AW(3):"), the colon.
_REPLY = rf"(?:{_alternatives(REPLY_PREFIXES)})"
_FORWARD = rf"(?:{_alternatives(FORWARD_PREFIXES)})"
_COUNTER = r"(?:\[\d+\]|\(\d+\))?"

# The whole run of prefixes at the start ("Re: Fwd: AW: "), with the spaces after it.
PREFIX_RUN = re.compile(rf"^\s*(?:(?:{_REPLY}|{_FORWARD})\s*{_COUNTER}\s*:\s*)+", re.IGNORECASE)
# The subject starts with a reply or forward prefix (use with ``match``).
REPLY_OR_FORWARD = re.compile(rf"\s*(?:{_REPLY}|{_FORWARD})\s*{_COUNTER}\s*:", re.IGNORECASE)
# The subject starts with a forward prefix (use with ``match``).
FORWARD = re.compile(rf"\s*{_FORWARD}\s*{_COUNTER}\s*:", re.IGNORECASE)

