"""Text from mail, made safe for a terminal: control characters (escape sequences that set
the window title, clear the screen or move the cursor) are removed, and bidirectional
overrides, which make text read in another order than it is stored, are shown as visible
marks such as ``[U+202E]``. Every line the CLI prints passes :func:`safe`."""

from __future__ import annotations

import re

import click

_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# C0 controls but tab and newline, DEL, and the C1 controls (CSI is U+009B)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text
    text = _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)
    return _CONTROL.sub("", text)


def echo(message: object = "", **kwargs: object) -> None:
    """``click.echo`` of ``message`` made safe."""
    click.echo(safe(str(message)), **kwargs)  # type: ignore[arg-type]
