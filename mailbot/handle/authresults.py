"""``Authentication-Results`` header fields (RFC 8601), and whether they show a DMARC pass.

A field reads ``authserv-id [version] ; method=result [reason=...] [ptype.property=value ...]
; ...`` or ``authserv-id ; none``. Comments in parentheses (nested, with ``\\`` escapes) are
dropped, quoted strings are unquoted, and folding is plain white space here.

Anyone can put such a field in the mail they send, so only fields whose authserv-id names one
of our own receiving servers count, and only the topmost of those: receiving servers prepend
their fields, so whatever sits below the first trusted one came with the mail (RFC 8601
section 5 asks our servers to remove forged ones; this is the second line of defence). That
field alone decides: it must carry ``dmarc=pass`` with ``header.from`` naming the From
address's domain. No DMARC result, a failing one, one without ``header.from``, one for another
domain: not verified, whatever fields further down claim.

Fields are read as they came, never RFC 2047-decoded: an encoded word that spells
``mx.example.org; dmarc=pass`` is text the sender wrote, not a result our server recorded.
The From address is the one in angle brackets (``customer@example.org <attacker@evil.example>``
is attacker@evil.example, as every mail server reads it), and a From with several addresses
is never verified.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from mailbot.domain.mail import ParsedMail
from mailbot.parse.addresses import parse_addresses

# Token kinds: a word (atom-like run), a quoted string, and the two separators.
_WORD, _QUOTED, _SEMI, _EQUALS = "word", "quoted", ";", "="
Token = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Result:
    """One ``method=result`` clause; names are lower-case, values as written."""

    method: str  # "dmarc", "dkim", "spf", ... (a version like "dkim/1" is dropped)
    result: str  # "pass", "fail", "none", ...
    reason: str | None = None
    properties: Mapping[str, str] = field(default_factory=dict)  # "header.from" -> domain


@dataclass(frozen=True, slots=True)
class AuthResults:
    authserv_id: str  # lower-case
    version: int | None
    results: tuple[Result, ...]


def parse(value: str) -> AuthResults | None:
    """One header field's value; None when it has no authserv-id."""
    segments = _split(_tokens(value))
    head = segments[0]
    if not head or head[0][0] not in (_WORD, _QUOTED):
        return None
    authserv_id = head[0][1].strip().lower()
    if not authserv_id:
        return None
    version = int(head[1][1]) if len(head) > 1 and head[1][1].isdigit() else None
    results = []
    for segment in segments[1:]:
        pairs = _pairs(segment)
        if not pairs:  # "none", or something we cannot read
            continue
        method, result = pairs[0]
        reason: str | None = None
        properties: dict[str, str] = {}
        for key, pvalue in pairs[1:]:
            if key == "reason":
                reason = pvalue
            else:
                properties.setdefault(key, pvalue)
        results.append(Result(method.split("/")[0].strip(), result.lower(), reason,
                              properties))
    return AuthResults(authserv_id, version, tuple(results))


def dmarc_verified(mail: ParsedMail, trusted_authserv_ids: Sequence[str]) -> bool:
    """True when the topmost trusted field of ``mail``, read raw, records a DMARC pass for
    its one From address's domain."""
    if mail.sender is None or len(parse_addresses(list(mail.raw_headers.get("from", ())))) != 1:
        return False
    return dmarc_pass(mail.raw_headers.get("authentication-results", ()), mail.sender.domain,
                      trusted_authserv_ids)


def dmarc_pass(fields: Iterable[str], from_domain: str,
               trusted_authserv_ids: Sequence[str]) -> bool:
    """True when the topmost field from a trusted authserv-id says ``dmarc=pass`` for
    ``from_domain`` (and nothing else about DMARC). ``fields`` are raw values, topmost first."""
    trusted = {domain_key(i) for i in trusted_authserv_ids if i.strip()}
    domain = domain_key(from_domain)
    if not trusted or not domain:
        return False
    for value in fields:
        parsed = parse(value)
        if parsed is None or domain_key(parsed.authserv_id) not in trusted:
            continue
        verdicts = [r for r in parsed.results if r.method == "dmarc"]
        return bool(verdicts) and all(
            r.result == "pass" and "dmarc" not in r.properties  # a second verdict, unseparated
            and domain_key(_domain_of(r.properties.get("header.from", ""))) == domain
            for r in verdicts)
    return False


def domain_key(name: str) -> str:
    """A domain name compared case-insensitively, international names as their A-labels."""
    name = name.strip().strip(".").lower()
    if name.isascii():
        return name
    try:
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def _domain_of(value: str) -> str:
    return value.rpartition("@")[2]


def _tokens(value: str) -> list[Token]:
    tokens: list[Token] = []
    word: list[str] = []
    # True when a comment or white space ended the previous word: "a (x) b" is two words.
    spaced = True
    i, size = 0, len(value)

    def end_word() -> None:
        if word:
            tokens.append((_WORD, "".join(word)))
            word.clear()

    while i < size:
        char = value[i]
        if char == "(":
            end_word()
            i = _skip_comment(value, i)
            spaced = True
            continue
        if char == '"':
            end_word()
            text, i = _quoted(value, i)
            tokens.append((_QUOTED, text))
            spaced = False
            continue
        if char in ";=":
            end_word()
            tokens.append((char, char))
        elif char.isspace():
            end_word()
            spaced = True
        else:
            if not word and not spaced and tokens and tokens[-1][0] == _QUOTED:
                # "local part"@domain: a quoted string glued to what follows
                word.append(tokens.pop()[1])
            word.append(char)
            spaced = False
        i += 1
    end_word()
    return _join_dotted(tokens)


def _skip_comment(value: str, start: int) -> int:
    """The index after the comment opening at ``start`` (comments nest; ``\\`` escapes)."""
    depth, i = 0, start
    while i < len(value):
        char = value[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i  # an unclosed comment runs to the end


def _quoted(value: str, start: int) -> tuple[str, int]:
    text: list[str] = []
    i = start + 1
    while i < len(value):
        char = value[i]
        if char == "\\" and i + 1 < len(value):
            text.append(value[i + 1])
            i += 2
            continue
        if char == '"':
            return "".join(text), i + 1
        text.append(char)
        i += 1
    return "".join(text), i


def _join_dotted(tokens: list[Token]) -> list[Token]:
    """Join words that CFWS split around "." or "/": ``header . from``, ``dkim / 1``."""
    joined: list[Token] = []
    for token in tokens:
        if (joined and token[0] == _WORD and joined[-1][0] == _WORD
                and (joined[-1][1].endswith((".", "/")) or token[1].startswith((".", "/")))):
            joined[-1] = (_WORD, joined[-1][1] + token[1])
        else:
            joined.append(token)
    return joined


def _split(tokens: list[Token]) -> list[list[Token]]:
    segments: list[list[Token]] = [[]]
    for token in tokens:
        if token[0] == _SEMI:
            segments.append([])
        else:
            segments[-1].append(token)
    return segments


def _pairs(segment: list[Token]) -> list[tuple[str, str]]:
    """``key=value`` pairs in order (keys lower-case); stray tokens are skipped."""
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(segment):
        kind, text = segment[i]
        if (kind in (_WORD, _QUOTED) and i + 1 < len(segment)
                and segment[i + 1][0] == _EQUALS):
            following = segment[i + 2] if i + 2 < len(segment) else None
            if following is not None and following[0] in (_WORD, _QUOTED):
                pairs.append((text.lower(), following[1]))
                i += 3
            else:
                pairs.append((text.lower(), ""))
                i += 2
            continue
        i += 1
    return pairs
