"""Bytes to text for a declared charset, never failing.

Mail lies about charsets: ``us-ascii`` bodies carry UTF-8, ``utf-8`` bodies carry Latin-1,
and some declare charsets that do not exist. :func:`decode` tries the declared charset
strictly, then UTF-8, then windows-1252 with replacement characters, and says what it did.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache

# Names mail software uses for a charset whose superset decodes strictly more mail correctly
# (the WHATWG encoding standard makes the same substitutions).
_SUPERSETS = {
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "ansi_x3.4-1968": "utf-8",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "big5": "big5hkscs",
    "utf8": "utf-8",
    "unicode-1-1-utf-7": "utf-7",
}

# Codecs that Python calls text encodings but that no mail charset means.
_REFUSED = frozenset({"unicode_escape", "raw_unicode_escape", "idna", "punycode", "palmos",
                      "undefined"})

# Stateful 7-bit codecs: pure-ASCII bytes are not necessarily plain ASCII text for them.
_SEVEN_BIT_STATEFUL = ("iso2022", "utf-7", "utf_7", "hz", "utf-16", "utf-32", "utf_16",
                       "utf_32")

_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


@lru_cache(maxsize=256)
def codec_for(charset: str | None) -> str | None:
    """The Python codec for a declared charset, or None when it is unknown or unusable."""
    if not charset:
        return "utf-8"
    name = charset.strip().strip("\"'").strip().lower()
    if not name:
        return "utf-8"
    name = _SUPERSETS.get(name, name)
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED:
        return None
    return info.name


def decode(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode ``data``; the second item describes any repair made (None when none was needed)."""
    codec = codec_for(charset)
    if data.isascii() and (codec is None or not codec.startswith(_SEVEN_BIT_STATEFUL)):
        return data.decode("ascii"), None
    if codec is not None:
        try:
            return data.decode(codec), None
        except (UnicodeDecodeError, LookupError):
            pass
    if not charset:
        declared = "no charset declared"
    elif codec is None:
        declared = f"unknown charset {charset.strip()!r}"
    else:
        declared = f"charset {charset.strip()!r} does not fit the bytes"
    if codec != "utf-8":
        try:
            return data.decode("utf-8"), f"{declared}: decoded as utf-8"
        except UnicodeDecodeError:
            pass
    if _UTF8_MULTIBYTE.search(data):
        return data.decode("utf-8", "replace"), f"{declared}: invalid bytes replaced"
    if codec is not None and codec != "utf-8":
        return data.decode(codec, "replace"), f"{declared}: invalid bytes replaced"
    return data.decode("cp1252", "replace"), f"{declared}: decoded as windows-1252"
