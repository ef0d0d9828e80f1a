"""The MIME tree of a message, built from bytes by a small, fast, tolerant parser.

Input has bare ``\\n`` line ends (the caller normalises them). Parts keep their undecoded
bodies as byte slices; attachments are not kept decoded (a base64 attachment's size is
estimated without decoding it; a quoted-printable or uuencoded one is decoded only to
measure it), and multipart bodies are split with ``bytes.find`` on the boundary, never line
by line, so a 30 MB mail costs a few copies of its bytes and a fraction of a second.
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
    body: bytes
    children: list[Part] = field(default_factory=list)
    message: Part | None = None  # the embedded message of a message/rfc822 part
    disposition: str = ""  # "inline", "attachment", or "" when not given
    filename: str = ""  # decoded, from Content-Disposition or the Content-Type name

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


def split_head(data: bytes) -> tuple[bytes, bytes, bool]:
    """(header block, body, whether a blank line separated them)."""
    if data.startswith(b"\n"):
        return b"", data[1:], True
    end = data.find(b"\n\n")
    if end < 0:
        return data.rstrip(b"\n"), b"", False
    return data[:end], data[end + 2 :], True


def parse_entity(data: bytes, budget: Budget, depth: int = 0,
                 default_type: str = "text/plain") -> Part:
    head, body, separated = split_head(data)
    fields, body_start, defects = split_fields(head, lenient_params=True)
    for defect in defects:
        budget.note(defect)
    if body_start is not None:
        rest = head[body_start:]
        body = rest + b"\n\n" + body if separated else rest
    return _build(fields, body, budget, depth, default_type)


def _build(fields: list[Field], body: bytes, budget: Budget, depth: int,
           default_type: str) -> Part:
    budget.parts += 1
    content_type, params = _content_type(fields, budget, default_type)
    encoding = _transfer_encoding(fields, budget)
    part = Part(fields, content_type, params, encoding, body)
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
    chunks, closed = split_multipart(part.body, boundary.encode("utf-8", "replace"))
    if chunks is None:
        for other in _other_boundaries(part, boundary):
            chunks, closed = split_multipart(part.body, other.encode("utf-8", "replace"))
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
        chunks = [part.body[: part.body.find(b"--" + boundary.encode("utf-8", "replace"))]]
    child_type = "message/rfc822" if part.content_type == "multipart/digest" else "text/plain"
    for chunk in chunks:
        if budget.parts >= MAX_PARTS:
            budget.note(f"more than {MAX_PARTS} MIME parts; the rest is ignored")
            return
        part.children.append(parse_entity(chunk, budget, depth + 1, child_type))


def _other_boundaries(part: Part, boundary: str) -> list[str]:
    values = part.get_all("content-type")[1:]
    found = (split_params(v)[1].get("boundary", "") for v in values)
    return [b for b in found if b and b != boundary]


def split_multipart(body: bytes, boundary: bytes) -> tuple[list[bytes] | None, bool]:
    """The parts between boundary lines, and whether the closing boundary was seen."""
    delimiter = b"--" + boundary
    found = _next_delimiter(body, delimiter, 0)
    if found is None:
        return None, False
    chunks: list[bytes] = []
    start, is_close, content_start = found
    while not is_close:
        found = _next_delimiter(body, delimiter, content_start)
        if found is None:
            chunks.append(body[content_start:])
            return chunks, False
        start, is_close, next_start = found
        chunks.append(body[content_start : max(content_start, start - 1)])
        content_start = next_start
    return chunks, True


def _next_delimiter(body: bytes, delimiter: bytes, pos: int) -> tuple[int, bool, int] | None:
    """(index of the delimiter line, whether it closes, index where the next part starts)."""
    while True:
        index = body.find(delimiter, pos)
        if index < 0:
            return None
        after = index + len(delimiter)
        line_end = body.find(b"\n", after)
        if line_end < 0:
            line_end = len(body)
        if index == 0 or body[index - 1] == 0x0A:
            rest = body[after:line_end]
            if rest.startswith(b"--"):
                return index, True, line_end + 1
            if not rest.strip():
                return index, False, line_end + 1
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
    body = part.body
    if part.transfer_encoding == "base64":
        significant = len(body) - body.count(b"\n") - body.count(b" ") - body.count(b"\t")
        padding = len(body.rstrip()) - len(body.rstrip().rstrip(b"="))
        return max(0, significant * 3 // 4 - padding)
    if part.transfer_encoding in ("quoted-printable", "uuencode"):
        return len(part.payload()[0])
    return len(body)
