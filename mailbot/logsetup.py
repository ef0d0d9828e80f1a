"""Logging for the daemon and the commands: one line per record on standard error, as text
or as real JSON objects (``logging.format = "json"``, python-json-logger). Whatever a message
holds, an e-mail address in it leaves as ``***@domain``: the log is no place for personal
data. Message-IDs mailbot made (``<purpose.key.16 hex digits@host>``, see send/compose.py)
and ``scheme://user@host`` stay readable; a person's address with digits in it
(``k.jansen19850312@``) does not. Libraries that trace protocols (the IMAP and SMTP
conversations hold whole mails and passwords) log warnings only, at any level."""

from __future__ import annotations

import logging
import re
import sys

from pythonjsonlogger.json import JsonFormatter

from mailbot.config import Settings

CHATTY = ("mail.log", "alembic.runtime.migration", "apscheduler", "uvicorn.error",
          "imapclient", "aiosmtplib", "sqlalchemy", "psycopg", "asyncio", "multipart")
ADDRESS = re.compile(r"(?<![\w.+/-])[\w.+-]+@(?=[\w-]+(?:\.[\w-]+)+)")
MACHINE_MADE = re.compile(r"\.[0-9a-f]{16}@$")  # the end of make_message_id's local part
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: str) -> str:
    return ADDRESS.sub(lambda m: m[0] if MACHINE_MADE.search(m[0]) else "***@", text)


class RedactingText(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingJson(JsonFormatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def json_formatter() -> logging.Formatter:
    return RedactingJson("{asctime}{levelname}{name}{message}", style="{",
                         rename_fields={"asctime": "at", "levelname": "level",
                                        "name": "logger"},
                         json_ensure_ascii=False)


def setup_logging(settings: Settings) -> None:
    """Route every logger (mailbot's and the libraries') through one stderr handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter() if settings.logging.format == "json"
                         else RedactingText(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.logging.level)
    for chatty in CHATTY:
        logging.getLogger(chatty).setLevel(logging.WARNING)
