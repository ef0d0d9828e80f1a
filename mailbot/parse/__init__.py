"""Raw bytes to :class:`~mailbot.domain.mail.ParsedMail`, and the checks for mail never to answer.

``parse(raw)`` never raises. It is lenient: whatever can be read is read, and every repair
is listed in ``ParsedMail.defects`` (bad charsets, broken encoded words, duplicate or
malformed fields, missing boundaries, a missing Message-ID or From, ...).

It returns :class:`~mailbot.domain.mail.ParseFailure` only when the bytes hold no mail:

- the input is not bytes, is empty, or is only white space;
- the input (after blank lines and an mbox ``From`` line) does not open with header fields
  of which at least one is a mail field (From, To, Subject, Date, Message-ID, Received,
  Return-Path, MIME-Version, Content-Type, ...): binary garbage, a bare letter, a CSV file;
- something unforeseen went wrong inside the parser (the error names it).

A mail whose header block is readable but whose body is broken or missing is a ParsedMail.

``mailbot.parse.noreply.check(mail, ...)`` tells auto-replies, bounces, list mail and our
own mail coming back from mail a person wrote.
"""

from mailbot.parse.message import parse, parse_owned

__all__ = ["parse", "parse_owned"]
