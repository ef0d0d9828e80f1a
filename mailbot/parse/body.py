"""What a reader sees of a MIME tree: the body text, and the list of attachments.

The text is every inline text/plain part in order; an HTML part is converted when its
``multipart/alternative`` has no plain version (or when it stands alone). The machine
parts of reports (delivery status, returned headers, feedback and disposition reports) are
shown as text, as mail clients show them, and so is an inline ``message/rfc822`` part:
a few of its header fields, then its own text. Everything else is an attachment.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mailbot.domain.mail import Attachment
from mailbot.parse.headers import decode_words
from mailbot.parse.html import html_to_text
from mailbot.parse.mime import Budget, Part, decoded_size

MAX_HTML_CHARS = 2_000_000

REPORT_TEXT_TYPES = frozenset({
    "message/delivery-status", "message/global-delivery-status", "text/rfc822-headers",
    "message/rfc822-headers", "message/global-headers", "message/feedback-report",
    "message/disposition-notification", "message/global-disposition-notification",
})
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
_SHOWN = REPORT_TEXT_TYPES | _MESSAGE_TYPES | {"text/plain", "text/html"}
_SUMMARY_FIELDS = ("from", "to", "cc", "date", "subject", "message-id")


@dataclass(slots=True)
class Body:
    texts: list[str] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    plain: bool = False
    html: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(t for t in self.texts if t).strip()

    @property
    def html_only(self) -> bool:
        return self.html and not self.plain


def collect(part: Part, budget: Budget) -> Body:
    body = Body()
    _visit(part, body, budget)
    return body


def _visit(part: Part, body: Body, budget: Budget) -> None:
    ctype = part.content_type
    if ctype.startswith("multipart/"):
        if ctype == "multipart/alternative":
            _visit_alternative(part, body, budget)
        else:
            for child in part.children:
                _visit(child, body, budget)
        return
    attached = _is_attachment(part)
    if ctype in _MESSAGE_TYPES:
        body.attachments.append(_attachment(part))
        if not attached and part.message is not None:
            body.texts.append(_render_message(part.message, budget))
    elif attached:
        body.attachments.append(_attachment(part))
    elif ctype == "text/plain":
        body.texts.append(_plain_text(part, budget))
        body.plain = True
    elif ctype == "text/html":
        body.texts.append(_html_text(part, budget))
        body.html = True
    elif ctype in REPORT_TEXT_TYPES:
        text, defect = part.text()
        budget.note(defect)
        body.texts.append(text.strip())
    else:
        body.attachments.append(_attachment(part))


def _visit_alternative(part: Part, body: Body, budget: Budget) -> None:
    children = [c for c in part.children if not _is_attachment(c)]
    ranked = (
        [c for c in children if c.content_type == "text/plain"]
        + [c for c in reversed(children) if c.content_type.startswith("multipart/")]
        + [c for c in children if c.content_type == "text/html"]
    )
    chosen: Part | None = None
    for candidate in ranked:
        found = Body()
        _visit(candidate, found, budget)
        if found.text or candidate is ranked[-1]:
            chosen = candidate
            body.texts.extend(found.texts)
            body.attachments.extend(found.attachments)
            body.plain = body.plain or found.plain
            body.html = body.html or found.html
            break
    for child in part.children:
        if child is not chosen:
            _list_files(child, body)


def _list_files(part: Part, body: Body) -> None:
    """Attachments inside an alternative that was not chosen (e.g. images of an HTML part)."""
    if part.children:
        for child in part.children:
            _list_files(child, body)
    elif not part.content_type.startswith("text/"):
        body.attachments.append(_attachment(part))


def _is_attachment(part: Part) -> bool:
    """Marked as attachment; or, unmarked, a named part that mail clients would not show."""
    disposition = part.disposition
    if disposition == "attachment":
        return True
    return not disposition and part.content_type not in _SHOWN and bool(part.filename)


def _attachment(part: Part) -> Attachment:
    return Attachment(filename=part.filename, content_type=part.content_type,
                      size=decoded_size(part))


def _plain_text(part: Part, budget: Budget) -> str:
    text, defect = part.text()
    budget.note(defect)
    if part.params.get("format", "").lower() == "flowed":
        text = unflow(text, delsp=part.params.get("delsp", "").lower() == "yes")
    return text.strip("\n")


def _html_text(part: Part, budget: Budget) -> str:
    markup, defect = part.text()
    budget.note(defect)
    if len(markup) > MAX_HTML_CHARS:
        budget.note(f"HTML part longer than {MAX_HTML_CHARS} characters; the rest is ignored")
        markup = markup[:MAX_HTML_CHARS]
    return html_to_text(markup)


def _render_message(message: Part, budget: Budget) -> str:
    lines = ["---------- attached message ----------"]
    for name in _SUMMARY_FIELDS:
        value = message.get(name)
        if value is not None:
            lines.append(f"{name.title()}: {decode_words(value)[0]}")
    inner = collect(message, budget)
    return "\n".join(lines) + "\n\n" + inner.text


def unflow(text: str, *, delsp: bool) -> str:
    """Join the soft line breaks of ``format=flowed`` text (RFC 3676)."""
    out: list[str] = []
    carry = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]
        if line.endswith(" ") and line != "-- ":
            carry += line[:-1] if delsp else line
            continue
        out.append(carry + line)
        carry = ""
    if carry:
        out.append(carry)
    return "\n".join(out)
