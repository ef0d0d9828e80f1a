"""Compose outgoing replies: threading headers, loop prevention, stable Message-IDs.

``compose_reply_bytes`` writes the message directly (RFC 5322 headers, RFC 2047 encoded
words, the body as the standard library encodes it), about ten times faster than building
an ``EmailMessage``; it parses back to what ``compose_reply`` gives (tests/unit/
test_compose_fast.py), and falls back to it for an address the writer does not handle
(non-ASCII in an address itself).

Every header value passes through here, and mail text is attacker-controlled (a sender's
name, the original Message-ID), so line breaks are folded into spaces and ids are only
copied when they look like ids: no input can add a header.

No ``Precedence`` header: RFC 3834 defines ``Auto-Submitted`` for automatic replies, and
``Precedence`` is non-standard (``bulk`` even hurts delivery). Exchange, which ignores
``Auto-Submitted``, honours ``X-Auto-Response-Suppress``.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from email import policy, quoprimime
from email._header_value_parser import SPECIALS
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from mailbot.domain.mail import LOOP_HEADER

# The first id (the thread's root) plus the most recent ones, as common clients do.
MAX_REFERENCES = 20
MAX_ID_LENGTH = 250
# Longer display names and words in them are cut, so that no header line can pass RFC 5322's
# 998 characters (a server may refuse the message); no real name comes near either.
MAX_DISPLAY = 200
MAX_DISPLAY_WORD = 60

# Everything str.splitlines() or a mail parser could take as a line break, and other controls.
_BREAKS = re.compile(r" *[\x00-\x1f\x7f\x85\u2028\u2029][\x00-\x20\x7f\x85\u2028\u2029]*")
_MSG_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
_BARE_ID = re.compile(r"[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+")
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
# A dot-atom local part at a domain of letters, digits and hyphens: nearly every address,
# and one the email package's parser (about 0.15 ms an address) reads as these two parts
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"({_ATEXT}(?:\.{_ATEXT})*)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)")
_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def make_message_id(domain: str, purpose: str, key: str) -> str:
    """A Message-ID that depends only on its arguments, e.g. ``<ack.42.1f2e3d4c5b6a7988@x.org>``.

    The outbox passes its row's purpose and key, so a message re-sent after a crash keeps its
    id and the receiving side can drop the duplicate. ``key`` must be unique for the domain's
    lifetime (an outbox id alone repeats if the database is ever recreated; add a random token
    stored with the row). Non-id characters are replaced in the readable part; the hash covers
    the original text, so distinct keys never share an id.
    """
    if not purpose or not key:
        raise ValueError("make_message_id needs a purpose and a key")
    host = _id_domain(domain)
    digest = hashlib.sha256(f"{purpose}\0{key}\0{host}".encode()).hexdigest()[:16]
    return f"<{_id_part(purpose)}.{_id_part(key)}.{digest}@{host}>"


def compose_reply(
    *,
    from_address: str,
    from_name: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    in_reply_to: str | None,
    references: Sequence[str],
    loop_header: str = LOOP_HEADER,
    loop_value: str,
    language: str,
    date: datetime | None = None,
    auto_submitted: bool = True,
) -> EmailMessage:
    """A UTF-8 text/plain reply, threaded under ``in_reply_to``.

    ``subject`` is used as given (already localised, with "Re: " if wanted). ``references``
    is the original's References (ids or whole header values); the original's Message-ID
    (``in_reply_to``) is appended. A naive ``date`` is taken as UTC; the default is now.
    ``auto_submitted=False`` is for replies a person approved: no ``Auto-Submitted``, and
    ``X-Auto-Response-Suppress`` keeps delivery reports, which matter for such replies.
    Raises ValueError for an address, Message-ID, header name or language that is not one.
    """
    sender = _mailbox(from_address, "from_address")
    content_language = _language(language)
    message = EmailMessage(policy=policy.default)
    message["From"] = Address(_display(from_name), sender.username, sender.domain)
    message["To"] = _tidy(_mailbox(to, "to"))
    message["Subject"] = _one_line(subject)
    message["Date"] = format_datetime(_aware(date or datetime.now(UTC)))
    message["Message-ID"] = _own_message_id(message_id)
    parents = _message_ids([in_reply_to] if in_reply_to else [])
    if parents:
        message["In-Reply-To"] = " ".join(parents)
    chain = _trim(_dedupe([*_message_ids(references), *parents]))
    if chain:
        message["References"] = " ".join(chain)
    if auto_submitted:
        message["Auto-Submitted"] = "auto-replied"
        message["X-Auto-Response-Suppress"] = "All"
    else:
        message["X-Auto-Response-Suppress"] = "OOF, AutoReply"
    message[_loop_header(loop_header, message)] = _loop_value(loop_value)
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    message.set_content(text, subtype="plain", charset="utf-8", cte=_transfer_encoding(text))
    message["Content-Language"] = content_language  # after set_content, which drops Content-*
    return message


def compose_reply_bytes(
    *,
    from_address: str,
    from_name: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    in_reply_to: str | None,
    references: Sequence[str],
    loop_header: str = LOOP_HEADER,
    loop_value: str,
    language: str,
    date: datetime | None = None,
    auto_submitted: bool = True,
) -> bytes:
    """``message_bytes(compose_reply(...))``, written directly: the same headers in the same
    order, the same body bytes; the same ValueErrors."""
    sender = _mailbox(from_address, "from_address")
    content_language = _language(language)
    recipient = _tidy(_mailbox(to, "to"))
    ascii_addresses = all(part.isascii() for part in (
        sender.username, sender.domain, recipient.username, recipient.domain))
    from_header = _address_header(
        "From", Address(_display(from_name), sender.username, sender.domain))
    to_header = _address_header("To", recipient)
    if from_header is None or to_header is None or not ascii_addresses:
        return message_bytes(compose_reply(
            from_address=from_address, from_name=from_name, to=to, subject=subject,
            body=body, message_id=message_id, in_reply_to=in_reply_to,
            references=references, loop_header=loop_header, loop_value=loop_value,
            language=language, date=date, auto_submitted=auto_submitted))
    headers = [
        from_header,
        to_header,
        _unstructured_header("Subject", _one_line(subject)),
        f"Date: {format_datetime(_aware(date or datetime.now(UTC)))}",
        f"Message-ID: {_own_message_id(message_id)}",
    ]
    names = {"from", "to", "subject", "date", "message-id"}
    parents = _message_ids([in_reply_to] if in_reply_to else [])
    if parents:
        headers.append(_fold("In-Reply-To", parents))
        names.add("in-reply-to")
    chain = _trim(_dedupe([*_message_ids(references), *parents]))
    if chain:
        headers.append(_fold("References", chain))
        names.add("references")
    if auto_submitted:
        headers += ["Auto-Submitted: auto-replied", "X-Auto-Response-Suppress: All"]
        names.add("auto-submitted")
    else:
        headers.append("X-Auto-Response-Suppress: OOF, AutoReply")
    names.add("x-auto-response-suppress")
    if not _HEADER_NAME.fullmatch(loop_header):
        raise ValueError(f"loop_header: not a header name: {loop_header!r}")
    lowered = loop_header.lower()
    if lowered in names or lowered.startswith("content-") or lowered == "mime-version":
        raise ValueError(f"loop_header: {loop_header!r} would clash with a header mailbot sets")
    headers.append(_unstructured_header(loop_header, _loop_value(loop_value)))
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    cte = _transfer_encoding(text)
    lines = text.encode("utf-8").splitlines()  # as email.contentmanager._encode_text does
    normal = b"\n".join(lines) + b"\n"
    data = (normal.decode("ascii") if cte == "7bit"
            else quoprimime.body_encode(normal.decode("latin-1"), policy.SMTP.max_line_length))
    headers += ['Content-Type: text/plain; charset="utf-8"',
                f"Content-Transfer-Encoding: {cte}", "MIME-Version: 1.0",
                f"Content-Language: {content_language}"]
    head = "\r\n".join(headers)
    return (f"{head}\r\n\r\n{data}".replace("\r\n", "\n").replace("\n", "\r\n")
            .encode("ascii"))


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP: CRLF line ends, non-ASCII headers RFC 2047 encoded."""
    return message.as_bytes(policy=policy.SMTP)


def _one_line(value: str) -> str:
    return _BREAKS.sub(" ", value).strip()


def _display(value: str) -> str:
    """A display name on one line, each word cut to ``MAX_DISPLAY_WORD`` characters and the
    whole to ``MAX_DISPLAY`` (at a space where there is one)."""
    words = [w[:MAX_DISPLAY_WORD] for w in _one_line(value).split(" ")]
    name = " ".join(words)
    if len(name) > MAX_DISPLAY:
        name = name[:MAX_DISPLAY]
        name = (name.rpartition(" ")[0] or name).rstrip()
    return name


def _tidy(address: Address) -> Address:
    name = _display(address.display_name)
    if name == address.display_name:
        return address
    return Address(name, address.username, address.domain)


@functools.lru_cache(maxsize=4096)
def _mailbox(value: str, what: str) -> Address:
    plain = _PLAIN_ADDRESS.fullmatch(value)
    if plain is not None:
        return Address(username=plain[1], domain=plain[2])
    header = policy.default.header_factory("To", _one_line(value))
    addresses = header.addresses
    if (
        len(addresses) != 1
        or header.defects
        or not addresses[0].username
        or not addresses[0].domain
    ):
        raise ValueError(f"{what}: not a single e-mail address: {value!r}")
    return addresses[0]


_LINE = 78  # RFC 5322's recommended line length; folded at spaces to stay within it
_WORD_BYTES = 30  # UTF-8 bytes per encoded word: 52 characters, a short line each


def _fold(name: str, tokens: Iterable[str]) -> str:
    """``name: tokens`` joined by spaces, a line break put before a space wherever the line
    would grow past 78 characters (a token longer than that keeps a line of its own)."""
    line = f"{name}:"
    lines = []
    for token in tokens:
        if len(line) + 1 + len(token) > _LINE and line != f"{name}:":
            lines.append(line)
            line = ""
        line = f"{line} {token}"
    lines.append(line)
    return "\r\n".join(lines)


def _encoded_words(text: str, limit: int = _WORD_BYTES) -> list[str]:
    """``text`` as RFC 2047 encoded words (UTF-8, base64), each of whole characters; a
    reader joins adjacent encoded words without the space between them."""
    words: list[str] = []
    chunk = b""
    for char in text:
        data = char.encode("utf-8")
        if len(chunk) + len(data) > limit:
            words.append(f"=?utf-8?b?{base64.b64encode(chunk).decode('ascii')}?=")
            chunk = b""
        chunk += data
    if chunk:
        words.append(f"=?utf-8?b?{base64.b64encode(chunk).decode('ascii')}?=")
    return words


def _plain(value: str) -> bool:
    """Whether ``value`` can stand in a header as it is: ASCII, nothing a reader would take
    for an encoded word, and foldable at its spaces."""
    return (value.isascii() and "=?" not in value
            and all(len(word) <= _LINE - 30 for word in value.split(" ")))


def _unstructured_header(name: str, value: str) -> str:
    if _plain(value) and "  " not in value:
        return _fold(name, value.split(" "))
    return _fold(name, _encoded_words(value))


def _address_header(name: str, address: Address) -> str | None:
    """``name: display <addr>``; None when the display name is one the writer leaves to
    the standard library (two spaces in a row, a very long run of non-ASCII)."""
    display = address.display_name
    if not display or (_plain(display) and len(name) + len(str(address)) + 2 <= _LINE):
        return f"{name}: {address}"
    if "  " in display or display.startswith(" ") or display.endswith(" "):
        return None
    tokens: list[str] = []
    if display.isascii() and "=?" not in display:
        # a quoted string, folded at its spaces (str(Address) quotes it when it must)
        tokens = str(Address(display, addr_spec="x@x")).rpartition(" <")[0].split(" ")
    else:
        # Plain words stay plain; a run of other words becomes one encoded word with its
        # spaces inside: readers drop the space between two encoded words (RFC 2047), and
        # some keep it, so no two are ever adjacent.
        run: list[str] = []
        for word in [*display.split(" "), None]:
            if word is not None and (not word.isascii() or "=?" in word
                                     or not SPECIALS.isdisjoint(word)):
                run.append(word)
                continue
            if run:
                encoded = _encoded_words(" ".join(run), limit=45)
                if len(encoded) > 1:
                    return None
                tokens += encoded
                run = []
            if word is not None:
                tokens.append(word)
    return _fold(name, [*tokens, f"<{address.addr_spec}>"])


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _own_message_id(value: str) -> str:
    if not _MSG_ID.fullmatch(value) or len(value) > MAX_ID_LENGTH or "@" not in value:
        raise ValueError(f"message_id: not a Message-ID: {value!r}")
    return value


def _message_ids(values: str | Iterable[str]) -> list[str]:
    """The ids found in header values; a lone ``id@host`` without brackets is accepted."""
    found: list[str] = []
    for value in [values] if isinstance(values, str) else values:
        ids = _MSG_ID.findall(value)
        if not ids and _BARE_ID.fullmatch(value.strip()):
            ids = [f"<{value.strip()}>"]
        found.extend(i for i in ids if len(i) <= MAX_ID_LENGTH)
    return found


def _dedupe(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _trim(ids: list[str]) -> list[str]:
    if len(ids) <= MAX_REFERENCES:
        return ids
    return [ids[0], *ids[-(MAX_REFERENCES - 1) :]]


def _loop_header(name: str, message: EmailMessage) -> str:
    if not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"loop_header: not a header name: {name!r}")
    if name in message or name.lower().startswith("content-"):
        raise ValueError(f"loop_header: {name!r} would clash with a header mailbot sets")
    return name


def _loop_value(value: str) -> str:
    line = _one_line(value)
    if not line:
        raise ValueError("loop_value: must not be empty")
    return line


def _language(tag: str) -> str:
    if not _LANGUAGE.fullmatch(tag):
        raise ValueError(f"language: not a language tag: {tag!r}")
    return tag


def _transfer_encoding(text: str) -> str:
    plain = text.isascii() and all(len(line) <= 78 for line in text.split("\n"))
    return "7bit" if plain else "quoted-printable"


def _id_domain(domain: str) -> str:
    host = domain.strip().rstrip(".").lower()
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"domain: not a domain name: {domain!r}") from exc
    if not _DOMAIN.fullmatch(host):
        raise ValueError(f"domain: not a domain name: {domain!r}")
    return host


def _id_part(text: str) -> str:
    return _ID_UNSAFE.sub("-", text)[:40].strip("-") or "x"
