"""Raw bytes to :class:`ParsedMail`, or :class:`ParseFailure` when there is no mail in them."""

from __future__ import annotations

import re

from mailbot.domain.mail import ParsedMail, ParseFailure
from mailbot.parse.addresses import envelope_sender, parse_addresses
from mailbot.parse.body import Body, collect
from mailbot.parse.headers import Field, decode_words, message_id, message_ids, parse_date
from mailbot.parse.mime import Budget, parse_entity

# The header block must hold at least one of these for the input to count as a mail.
MAIL_FIELDS = frozenset({
    "from", "sender", "to", "cc", "bcc", "subject", "date", "message-id", "reply-to",
    "in-reply-to", "references", "received", "return-path", "delivered-to", "mime-version",
    "content-type", "x-original-to", "envelope-to", "dkim-signature", "arc-seal",
    "authentication-results", "x-mailer", "user-agent", "resent-from", "resent-date",
    "resent-message-id",
})
_SINGLE_FIELDS = ("from", "subject", "date", "message-id")
# Fields read from their raw (still encoded) value: addresses must be split before decoding,
# and an encoded word must never spell a trusted Authentication-Results field.
_STRUCTURED = frozenset({"from", "reply-to", "to", "cc", "message-id", "date", "in-reply-to",
                         "references", "return-path", "subject", "authentication-results"})


def parse(raw: bytes) -> ParsedMail | ParseFailure:
    """Parse one raw message; never raises (see the package docstring for the rules)."""
    return _at_the_boundary(raw, owned=False)


def parse_owned(buffer: bytearray) -> ParsedMail | ParseFailure:
    """``parse`` of a buffer the caller gives up: its line ends are converted in place, so a
    large mail is held once while it is parsed, not twice. The buffer is changed."""
    return _at_the_boundary(buffer, owned=True)


def _at_the_boundary(raw: bytes | bytearray, *, owned: bool) -> ParsedMail | ParseFailure:
    try:
        return _parse(raw, owned=owned)
    except Exception as exc:  # the boundary: anything unforeseen becomes a quarantine reason
        return ParseFailure(error=f"parser error: {type(exc).__name__}: {exc}"[:500])


def _parse(raw: bytes | bytearray, *, owned: bool) -> ParsedMail | ParseFailure:
    if not isinstance(raw, bytes | bytearray | memoryview):
        return ParseFailure(error=f"expected bytes, got {type(raw).__name__}")
    data: bytes | bytearray = raw if owned and isinstance(raw, bytearray) else bytes(raw)
    if not data or data.isspace():
        return ParseFailure(error="empty input: no bytes, or only white space")
    budget = Budget()
    if b"\r" in data:
        if isinstance(data, bytearray):
            _lf_in_place(data)
        else:
            data = data.replace(b"\r\n", b"\n")
            if b"\r" in data:
                data = data.replace(b"\r", b"\n")
    blank = _BLANK_LINES.match(data)
    if blank and blank.end():
        data = _cut(data, blank.end())
        budget.note("blank lines before the header block ignored")
    if data.startswith(b"From "):
        line_end = data.find(b"\n")
        data = _cut(data, len(data) if line_end < 0 else line_end + 1)
        budget.note("mbox 'From ' line before the header block ignored")
    root = parse_entity(data, budget)
    if not any(name in MAIL_FIELDS for name, _ in root.fields):
        return ParseFailure(error=_no_header_reason(root.fields))
    if not root.size and b"\n\n" not in data:
        budget.note("no blank line after the header fields: the message has no body")
    return _mail(root.fields, collect(root, budget), root.content_type, budget)


_CHUNK = 1 << 18
_BLANK_LINES = re.compile(rb"\n*")


def _lf_in_place(buffer: bytearray) -> None:
    """CRLF and bare CR to LF within ``buffer``, a chunk at a time (no second copy of it)."""
    size = len(buffer)
    read = write = 0
    while read < size:
        stop = min(read + _CHUNK, size)
        while stop < size and buffer[stop - 1] == 0x0D:  # never split a CR from its LF
            stop += 1
        piece = bytes(buffer[read:stop]).replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        buffer[write:write + len(piece)] = piece
        read, write = stop, write + len(piece)
    del buffer[write:]


def _cut(data: bytes | bytearray, start: int) -> bytes | bytearray:
    """``data`` without its first ``start`` bytes (a buffer cut in place)."""
    if isinstance(data, bytearray):
        del data[:start]
        return data
    return data[start:]


def _no_header_reason(fields: list[Field]) -> str:
    if not fields:
        return "no header block: the input does not start with mail header fields"
    names = ", ".join(sorted({name for name, _ in fields})[:5])
    return f"no mail header fields (From, To, Subject, Date, Received, ...); found only: {names}"


def _mail(fields: list[Field], body: Body, content_type: str, budget: Budget) -> ParsedMail:
    headers: dict[str, list[str]] = {}
    raw: dict[str, list[str]] = {}
    for name, value in fields:
        if name in _STRUCTURED:
            raw.setdefault(name, []).append(value)
        if "=?" in value:
            value, defect = decode_words(value)
            if defect:
                budget.note(f"{name}: {defect}")
        if name in headers:
            headers[name].append(value)
        else:
            headers[name] = [value]
    for name in _SINGLE_FIELDS:
        if len(raw.get(name, ())) > 1:
            budget.note(f"{len(raw[name])} {name.title()} fields; the first is used")
    senders = parse_addresses(raw.get("from", [])[:1])
    if "from" not in raw:
        budget.note("no From field")
    elif not senders:
        budget.note(f"From field without a usable address: {headers['from'][0][:80]!r}")
    mid = message_id(_first(raw, "message-id"))
    if mid is None:
        budget.note("no Message-ID")
    date, date_defect = parse_date(_first(raw, "date"))
    budget.note(date_defect)
    references = tuple(i for v in raw.get("references", []) for i in message_ids(v))
    return ParsedMail(
        message_id=mid,
        sender=senders[0] if senders else None,
        envelope_sender=envelope_sender(_first(raw, "return-path")),
        reply_to=parse_addresses(raw.get("reply-to", [])),
        to=parse_addresses(raw.get("to", [])),
        cc=parse_addresses(raw.get("cc", [])),
        subject=" ".join(headers["subject"][0].split()) if "subject" in headers else "",
        date=date,
        in_reply_to=message_id(_first(raw, "in-reply-to")),
        references=tuple(dict.fromkeys(references)),
        text=body.text,
        html_only=body.html_only,
        content_type=content_type,
        attachments=tuple(body.attachments),
        headers={name: tuple(values) for name, values in headers.items()},
        defects=tuple(budget.defects),
        raw_headers={name: tuple(values) for name, values in raw.items()},
    )


def _first(raw: dict[str, list[str]], name: str) -> str | None:
    values = raw.get(name)
    return values[0] if values else None
