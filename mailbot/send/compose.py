"""Compose outgoing replies: threading headers, loop prevention, stable Message-IDs.

Every header value passes through here, and mail text is attacker-controlled (a sender's
name, the original Message-ID), so line breaks are folded into spaces and ids are only
copied when they look like ids: no input can add a header.

No ``Precedence`` header: RFC 3834 defines ``Auto-Submitted`` for automatic replies, and
``Precedence`` is non-standard (``bulk`` even hurts delivery). Exchange, which ignores
``Auto-Submitted``, honours ``X-Auto-Response-Suppress``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from mailbot.domain.mail import LOOP_HEADER

# The first id (the thread's root) plus the most recent ones, as common clients do.
MAX_REFERENCES = 20
MAX_ID_LENGTH = 250

# Everything str.splitlines() or a mail parser could take as a line break, and other controls.
_BREAKS = re.compile(r" *[\x00-\x1f\x7f\x85\u2028\u2029][\x00-\x20\x7f\x85\u2028\u2029]*")
_MSG_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
_BARE_ID = re.compile(r"[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+")
_DOMAIN = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
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
    message["From"] = Address(_one_line(from_name), sender.username, sender.domain)
    message["To"] = _mailbox(to, "to")
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


def message_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP: CRLF line ends, non-ASCII headers RFC 2047 encoded."""
    return message.as_bytes(policy=policy.SMTP)


def _one_line(value: str) -> str:
    return _BREAKS.sub(" ", value).strip()


def _mailbox(value: str, what: str) -> Address:
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
