"""Phone numbers in one form, so an objection to sales calls holds whichever way the number
was written: "06-12345678", "+31 (0)6 1234 5678" and "0031612345678" are all +31612345678.
Pure."""

from __future__ import annotations

import re

_NOISE = re.compile(r"[\s\-./()\u00a0]")
MIN_DIGITS = 9  # country code included; shorter is a extension or a code, not a number
MAX_DIGITS = 15  # ITU-T E.164


def normalise(text: str, calling_code: str) -> str | None:
    """``text`` as +<country code><number>, national numbers (a leading 0) read with
    ``calling_code``; None when it is not a phone number."""
    value = text.strip().replace("(0)", "")
    international = value.startswith("+")
    digits = _NOISE.sub("", value.lstrip("+"))
    if not digits.isdigit():
        return None
    if international:
        number = digits
    elif digits.startswith("00"):
        number = digits[2:]
    elif digits.startswith("0"):
        number = calling_code + digits[1:]
    else:
        return None
    if number.startswith("0") or not MIN_DIGITS <= len(number) <= MAX_DIGITS:
        return None
    return f"+{number}"


def masked(phone: str) -> str:
    """The number with all but its last two digits hidden, for logs and staff lists."""
    return "•" * max(len(phone) - 2, 0) + phone[-2:]
