"""Header fields: splitting a header block, RFC 2047 words, parameters, ids and dates."""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz
from functools import lru_cache
from urllib.parse import unquote_to_bytes

from mailbot.parse import charsets

Field = tuple[str, str]  # (lower-case name, unfolded raw value)

# RFC 5322 allows any printable but ':' in a field name; real names are tokens starting with
# a letter or digit, and the stricter rule keeps boundary lines and prose out of header blocks.
# A field runs on over the following lines that start with white space (folding).
_NAME = r"[A-Za-z0-9][A-Za-z0-9!#$%&'*+.^_`|~-]*"
_FIELD = re.compile(rf"({_NAME})[ \t]*:[ \t]*(.*(?:\n[ \t].*)*)")
_FOLD = re.compile(r"\s*\n\s*")
# The fast path, for blocks in which every line is a field or a continuation: unfold all
# at once, check that each line opens a field, and let findall do the rest.
_CONTINUATION = re.compile(r"\n[ \t]+")
_FIELD_START = re.compile(rf"{_NAME}[ \t]*:")
_ODD_LINE = re.compile(rf"\n(?!{_NAME}[ \t]*:)")
_UNFOLDED_FIELDS = re.compile(rf"^({_NAME})[ \t]*:[ \t]*(.*)$", re.MULTILINE)
_PARAM_LINE = re.compile(r"[A-Za-z][A-Za-z0-9_*-]*[ \t]*=.*")
_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([bBqQ])\?(.*?)\?=")
_PARAM = re.compile(r';\s*([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)')
_BACKSLASH_PAIR = re.compile(r"\\(.)")
_RFC2231_NAME = re.compile(r"^(.+?)\*(?:(\d+)(\*)?)?$")
_ANGLE_ID = re.compile(r"<([^<>]*)>")
_COMMON_DATE = re.compile(
    r"\s*(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s+([+-])(\d\d)(\d\d)\b"
)
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def split_fields(
    block: bytes, *, lenient_params: bool = False
) -> tuple[list[Field], int | None, list[str]]:
    """Unfold the header ``block`` into fields with text values.

    Returns the fields, the offset where a line that is no header field ends the block
    early (from there on it is body; None when every line was a field), and defects. With
    ``lenient_params`` an unindented ``name=value`` line after a Content-* field is taken as a
    continuation, a common slip of mail generators.
    """
    defects: list[str] = []
    multibyte = not block.isascii()
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        text = block.decode("cp1252", "replace")
        multibyte = False
        defects.append("8-bit bytes in header fields are not utf-8; read as windows-1252")
    unfolded = _CONTINUATION.sub(" ", text)
    if _FIELD_START.match(unfolded) and _ODD_LINE.search(unfolded) is None:
        found = _UNFOLDED_FIELDS.findall(unfolded)
        return [(name.lower(), value.rstrip()) for name, value in found], None, defects
    fields, body_start = _split_odd(text, lenient_params, defects)
    if body_start is not None and multibyte:
        body_start = len(text[:body_start].encode("utf-8"))  # characters to bytes
    return fields, body_start, defects


def _field(name: str, value: str) -> Field:
    return name.lower(), (_FOLD.sub(" ", value) if "\n" in value else value).rstrip()


def _split_odd(
    text: str, lenient_params: bool, defects: list[str]
) -> tuple[list[Field], int | None]:
    """The careful line-by-line path for header blocks with lines that are no fields."""
    fields: list[Field] = []
    size = len(text)
    pos = 0
    while pos < size:
        match = _FIELD.match(text, pos)
        if match is not None:
            fields.append(_field(match[1], match[2]))
            pos = match.end() + 1
            continue
        line_end = text.find("\n", pos)
        line_end = size if line_end < 0 else line_end
        line = text[pos:line_end]
        if not fields and (not line.strip() or line[0] in " \t"):
            defects.append("continuation line before the first header field ignored")
        elif fields and lenient_params and fields[-1][0].startswith("content-") and (
            _PARAM_LINE.fullmatch(line)
        ):
            name, value = fields[-1]
            fields[-1] = (name, f"{value} {line.strip()}")
            defects.append(f"unindented continuation of {name} header")
        elif fields and not line.startswith("--") and _FIELD.match(text, line_end + 1):
            defects.append(f"malformed header line ignored: {line[:60]!r}")
        else:
            if fields:
                defects.append("header block ends without a blank line; the rest is body")
            return fields, pos
        pos = line_end + 1
    return fields, None


def decode_words(value: str) -> tuple[str, str | None]:
    """Decode RFC 2047 encoded words anywhere in ``value`` (lenient, as mail clients are)."""
    if "=?" not in value:
        return value, None
    out: list[str] = []
    defect: str | None = None
    pending_charset = ""
    pending = b""
    pos = 0
    previous_was_word = False

    def flush() -> None:
        nonlocal pending, defect
        if pending_charset or pending:
            text, problem = charsets.decode(pending, pending_charset)
            out.append(text)
            defect = defect or problem
        pending = b""

    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        if gap and not (previous_was_word and gap.isspace()):
            flush()
            pending_charset = ""
            out.append(gap)
        charset = match[1].partition("*")[0].lower()
        data = _word_bytes(match[2], match[3])
        if data is None:
            flush()
            pending_charset = ""
            out.append(match[0])
            defect = defect or f"undecodable encoded word {match[0][:40]!r} kept as is"
        elif pending_charset == charset:
            pending += data
        else:
            flush()
            pending_charset, pending = charset, data
        pos = match.end()
        previous_was_word = data is not None
    flush()
    out.append(value[pos:])
    return "".join(out), defect


def _word_bytes(encoding: str, text: str) -> bytes | None:
    raw = text.encode("utf-8")
    if encoding in "qQ":
        return binascii.a2b_qp(raw, header=True)
    raw = raw.replace(b" ", b"")
    for candidate in (raw + b"=" * (-len(raw) % 4), raw[: len(raw) - len(raw) % 4]):
        try:
            return binascii.a2b_base64(candidate)
        except binascii.Error:
            continue
    return None


def split_params(value: str) -> tuple[str, dict[str, str]]:
    """``text/plain; charset="utf-8"`` -> ("text/plain", {"charset": "utf-8"}), RFC 2231 aware."""
    main, _, rest = value.partition(";")
    params: dict[str, str] = {}
    if not rest:
        return main.strip(), params
    pieces: dict[str, list[tuple[int, bool, str]]] = {}
    for match in _PARAM.finditer(";" + rest):
        name = match[1].lower()
        raw = match[2].strip()
        if raw.startswith('"'):
            raw = raw[1:-1] if raw.endswith('"') and len(raw) > 1 else raw[1:]
            if "\\" in raw:
                raw = _BACKSLASH_PAIR.sub(r"\1", raw)
        extended = _RFC2231_NAME.match(name) if "*" in name else None
        if extended:
            base, number, star = extended.groups()
            is_encoded = star is not None or (number is None)
            pieces.setdefault(base, []).append((int(number or 0), is_encoded, raw))
        else:
            params.setdefault(name, raw)
    for base, parts in pieces.items():
        params[base] = _join_rfc2231(sorted(parts))
    return main.strip(), params


def _join_rfc2231(parts: list[tuple[int, bool, str]]) -> str:
    charset = ""
    chunks: list[bytes] = []
    for number, encoded, raw in parts:
        if not encoded:
            chunks.append(raw.encode("utf-8"))
            continue
        if number == 0 and raw.count("'") >= 2:
            charset, _language, raw = raw.split("'", 2)
        chunks.append(unquote_to_bytes(raw))
    return charsets.decode(b"".join(chunks), charset or "utf-8")[0]


def message_id(value: str | None) -> str | None:
    """The id inside the first ``<...>``, or the first word; None when there is nothing."""
    if not value:
        return None
    match = _ANGLE_ID.search(value)
    found = match[1] if match else value.split()[0] if value.split() else ""
    found = "".join(found.split())
    return found or None


def message_ids(value: str | None) -> tuple[str, ...]:
    """Every id in a References-style field, in order, without duplicates."""
    if not value:
        return ()
    found = _ANGLE_ID.findall(value) or value.split()
    ids = ("".join(i.split()) for i in found)
    return tuple(dict.fromkeys(i for i in ids if i))


def parse_date(value: str | None) -> tuple[datetime | None, str | None]:
    """An aware datetime (UTC when the zone is missing or -0000) and any defect."""
    if not value:
        return None, None
    try:
        common = _COMMON_DATE.match(value)
        month = _MONTHS.get(common[2].lower()) if common else None
        if common and month:
            day, _, year, hour, minute, second, sign, zone_h, zone_m = common.groups()
            offset = (int(zone_h) * 60 + int(zone_m)) * (-1 if sign == "-" else 1)
            return datetime(int(year), month, int(day), int(hour), int(minute),
                            int(second or 0), tzinfo=_zone(offset)), None
        parts = parsedate_tz(value)
        if parts is None:
            return None, f"unreadable Date header {value[:60]!r}"
        return datetime(*parts[:6], tzinfo=_zone(parts[9] // 60 if parts[9] else 0)), None
    except (ValueError, OverflowError, TypeError, IndexError):
        return None, f"unreadable Date header {value[:60]!r}"


@lru_cache(maxsize=64)
def _zone(minutes: int) -> timezone:
    return UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
