"""The MIME tree of a message, built from bytes by a small, fast, tolerant parser.

Input has bare ``\\n`` line ends (the caller normalises them). Parts keep their undecoded
bodies as offsets into the one buffer of the message (``Part.body`` slices it when asked);
attachments are not kept decoded (a base64 attachment's size is estimated without decoding
or copying it; a quoted-printable or uuencoded one is decoded only to measure it), and
multipart bodies are split with ``bytes.find`` on the boundary, never line by line, so a
30 MB mail costs no copy of its bytes beyond that buffer and a fraction of a second.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass, field

from mailbot.parse import charsets
from mailbot.parse.headers import Field, decode_words, split_fields, split_params

MAX_DEPTH = 20
MAX_PARTS = 1000

_MEDIA_TYPE = re.compile(r"[a-z0-9!#$&.+^_-]+/[a-z0-9!#$&.+^_-]+")
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_WHITE_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.strip() strips
_ENCODINGS = {
    "7bit": "7bit", "7-bit": "7bit", "8bit": "8bit", "8-bit": "8bit", "binary": "binary",
    "base64": "base64", "quoted-printable": "quoted-printable",
    "x-uuencode": "uuencode", "uuencode": "uuencode", "x-uue": "uuencode",
}


@dataclass(slots=True)
class Part:
    """One MIME entity: its fields (raw values), media type, and undecoded body."""

    fields: list[Field]
    content_type: str
    params: dict[str, str]
    transfer_encoding: str
    source: bytes  # the buffer the body is in (shared by all parts of a message)
    start: int  # the body: source[start:end]
    end: int
    children: list[Part] = field(default_factory=list)
    message: Part | None = None  # the embedded message of a message/rfc822 part
    disposition: str = ""  # "inline", "attachment", or "" when not given
    filename: str = ""  # decoded, from Content-Disposition or the Content-Type name

    @property
    def body(self) -> bytes:
        """The undecoded body (a copy, unless it is the whole buffer)."""
        return self.source[self.start:self.end]

    @property
    def size(self) -> int:
        """The undecoded body's length."""
        return self.end - self.start

    def get(self, name: str) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None

    def get_all(self, name: str) -> list[str]:
        return [value for key, value in self.fields if key == name]

    def payload(self) -> tuple[bytes, str | None]:
        """The body with its transfer encoding undone, and any defect met."""
        return decode_transfer(self.body, self.transfer_encoding)

    def text(self) -> tuple[str, str | None]:
        """The body as text in its declared charset (with fallbacks), and any defect met."""
        data, defect = self.payload()
        text, problem = charsets.decode(data, self.params.get("charset"))
        if "\r" in text:  # base64 and quoted-printable bodies carry their own line ends
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text, defect or problem


class Budget:
    """Limits how many parts one message may have, and gathers the defects of all parts."""

    def __init__(self) -> None:
        self.parts = 0
        self.defects: list[str] = []

    def note(self, defect: str | None) -> None:
        if defect and defect not in self.defects:
            self.defects.append(defect)


def split_head(data: bytes, start: int = 0, end: int | None = None
               ) -> tuple[bytes, int, bool]:
    """(header block, where the body starts, whether a blank line separated them), of
    ``data[start:end]``; the body runs to ``end``."""
    end = len(data) if end is None else end
    if data.startswith(b"\n", start, end):
        return b"", start + 1, True
    found = data.find(b"\n\n", start, end)
    if found < 0:
        return data[start:end].rstrip(b"\n"), end, False
    return data[start:found], found + 2, True


def parse_entity(data: bytes, budget: Budget, depth: int = 0,
                 default_type: str = "text/plain", start: int = 0,
                 end: int | None = None) -> Part:
    """The entity in ``data[start:end]`` (all of ``data`` by default)."""
    end = len(data) if end is None else end
    head, body_at, separated = split_head(data, start, end)
    fields, body_start, defects = split_fields(head, lenient_params=True)
    for defect in defects:
        budget.note(defect)
    if body_start is not None:  # the fields ended early: the rest of the head is body
        rest = head[body_start:]
        data = rest + b"\n\n" + data[body_at:end] if separated else rest
        body_at, end = 0, len(data)
    return _build(fields, data, body_at, end, budget, depth, default_type)


def _build(fields: list[Field], source: bytes, start: int, end: int, budget: Budget,
           depth: int, default_type: str) -> Part:
    budget.parts += 1
    content_type, params = _content_type(fields, budget, default_type)
    encoding = _transfer_encoding(fields, budget)
    part = Part(fields, content_type, params, encoding, source, start, end)
    _name_part(part)
    if content_type.startswith("multipart/"):
        _split_children(part, budget, depth)
    elif content_type in ("message/rfc822", "message/global") and depth < MAX_DEPTH:
        inner, defect = part.payload()
        budget.note(defect)
        part.message = parse_entity(inner, budget, depth + 1)
    return part


def _name_part(part: Part) -> None:
    disposition = part.get("content-disposition")
    filename = ""
    if disposition is not None:
        kind, params = split_params(disposition)
        part.disposition = kind.lower()
        filename = params.get("filename", "")
    filename = filename or part.params.get("name", "")
    if filename:
        part.filename = decode_words(filename)[0].strip()


def _content_type(fields: list[Field], budget: Budget,
                  default_type: str) -> tuple[str, dict[str, str]]:
    values = [value for key, value in fields if key == "content-type"]
    if not values:
        return default_type, {}
    if len(values) > 1:
        budget.note("several Content-Type fields; the first is used")
    main, params = split_params(values[0])
    main = main.lower()
    if _MEDIA_TYPE.fullmatch(main):
        return main, params
    budget.note(f"invalid Content-Type {values[0][:60]!r}; read as text/plain")
    return "text/plain", params


def _transfer_encoding(fields: list[Field], budget: Budget) -> str:
    for key, value in fields:
        if key == "content-transfer-encoding":
            token = value.strip().strip(";").split(";")[0].strip().lower()
            known = _ENCODINGS.get(token)
            if known is None and token:
                budget.note(f"unknown Content-Transfer-Encoding {value[:40]!r}; body kept as is")
            return known or "7bit"
    return "7bit"


def _split_children(part: Part, budget: Budget, depth: int) -> None:
    boundary = part.params.get("boundary", "")
    if not boundary:
        budget.note(f"{part.content_type} without boundary; read as text/plain")
        part.content_type = "text/plain"
        return
    if depth >= MAX_DEPTH:
        budget.note("MIME parts nested too deeply; inner parts ignored")
        return
    source, start, end = part.source, part.start, part.end
    chunks, closed = split_multipart(source, boundary.encode("utf-8", "replace"), start, end)
    if chunks is None:
        for other in _other_boundaries(part, boundary):
            chunks, closed = split_multipart(source, other.encode("utf-8", "replace"), start,
                                             end)
            if chunks is not None:
                budget.note(f"boundary of a later Content-Type field used: {other[:40]!r}")
                boundary = other
                break
    if chunks is None:
        budget.note(f"{part.content_type} boundary not found; read as text/plain")
        part.content_type = "text/plain"
        return
    if not closed:
        budget.note(f"{part.content_type} has no closing boundary")
    if not chunks:
        budget.note(f"{part.content_type} has no opening boundary; its preamble is read as a part")
        chunks = [(start, source.find(b"--" + boundary.encode("utf-8", "replace"), start,
                                      end))]
    child_type = "message/rfc822" if part.content_type == "multipart/digest" else "text/plain"
    for chunk_start, chunk_end in chunks:
        if budget.parts >= MAX_PARTS:
            budget.note(f"more than {MAX_PARTS} MIME parts; the rest is ignored")
            return
        part.children.append(parse_entity(source, budget, depth + 1, child_type,
                                          chunk_start, chunk_end))


def _other_boundaries(part: Part, boundary: str) -> list[str]:
    values = part.get_all("content-type")[1:]
    found = (split_params(v)[1].get("boundary", "") for v in values)
    return [b for b in found if b and b != boundary]


def split_multipart(body: bytes, boundary: bytes, start: int = 0, end: int | None = None
                    ) -> tuple[list[tuple[int, int]] | None, bool]:
    """Where the parts between boundary lines of ``body[start:end]`` start and end, and
    whether the closing boundary was seen."""
    end = len(body) if end is None else end
    delimiter = b"--" + boundary
    found = _next_delimiter(body, delimiter, start, start, end)
    if found is None:
        return None, False
    chunks: list[tuple[int, int]] = []
    _, is_close, content_start = found
    while not is_close:
        found = _next_delimiter(body, delimiter, content_start, start, end)
        if found is None:
            chunks.append((content_start, end))
            return chunks, False
        at, is_close, next_start = found
        chunks.append((content_start, max(content_start, at - 1)))
        content_start = next_start
    return chunks, True


def _next_delimiter(body: bytes, delimiter: bytes, pos: int, start: int,
                    end: int) -> tuple[int, bool, int] | None:
    """(index of the delimiter line, whether it closes, index where the next part starts)."""
    while True:
        index = body.find(delimiter, pos, end)
        if index < 0:
            return None
        after = index + len(delimiter)
        line_end = body.find(b"\n", after, end)
        if line_end < 0:
            line_end = end
        if index == start or body[index - 1] == 0x0A:
            rest = body[after:line_end]
            if rest.startswith(b"--"):
                return index, True, min(line_end + 1, end)
            if not rest.strip():
                return index, False, min(line_end + 1, end)
        pos = after


def decode_transfer(body: bytes, encoding: str) -> tuple[bytes, str | None]:
    if encoding == "base64":
        try:
            return binascii.a2b_base64(body), None
        except binascii.Error:
            clean = _NOT_BASE64.sub(b"", body)
            clean = clean[: len(clean) - (1 if len(clean) % 4 == 1 else 0)]
            return binascii.a2b_base64(clean + b"=" * (-len(clean) % 4)), "broken base64 repaired"
    if encoding == "quoted-printable":
        return binascii.a2b_qp(body), None
    if encoding == "uuencode":
        return _uudecode(body), None
    return body, None


def _uudecode(body: bytes) -> bytes:
    out: list[bytes] = []
    for line in body.split(b"\n"):
        if line.startswith(b"begin ") or not line.strip() or line.strip() == b"end":
            continue
        try:
            out.append(binascii.a2b_uu(line))
        except binascii.Error:
            continue
    return b"".join(out)


def decoded_size(part: Part) -> int:
    """The size the body has once decoded; estimated for base64, so no copy is made."""
    source, start, end = part.source, part.start, part.end
    if part.transfer_encoding == "base64":
        significant = (end - start - source.count(b"\n", start, end)
                       - source.count(b" ", start, end) - source.count(b"\t", start, end))
        last = end
        while last > start and source[last - 1] in _WHITE_SPACE:
            last -= 1
        first = last
        while first > start and source[first - 1] == 0x3D:  # "=" padding
            first -= 1
        return max(0, significant * 3 // 4 - (last - first))
    if part.transfer_encoding in ("quoted-printable", "uuencode"):
        return len(part.payload()[0])
    return part.size
