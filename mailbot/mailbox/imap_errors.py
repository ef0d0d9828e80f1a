"""Turn imapclient/imaplib/socket/ssl errors into mailbot's MailboxError types."""

from __future__ import annotations

import imaplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mailbot.errors import MailboxError, MailboxProtocolError, MailboxUnavailable

# Response codes (RFC 5530) meaning "try again later" rather than "that is wrong".
TRANSIENT_CODES = ("[UNAVAILABLE]", "[SERVERBUG]", "[INUSE]", "[LIMIT]")


@contextmanager
def translated(source: str, action: str, on_lost: Callable[[], None]) -> Iterator[None]:
    """Re-raise errors of ``action`` as MailboxUnavailable (calling ``on_lost`` first:
    the connection is unusable) or MailboxProtocolError (the server said NO or BAD)."""
    try:
        yield
    except MailboxError:
        raise
    except imaplib.IMAP4.readonly as exc:
        raise MailboxProtocolError(f"{source}: {action}: folder became read-only: {exc}") from exc
    except imaplib.IMAP4.abort as exc:
        on_lost()
        raise MailboxUnavailable(f"{source}: connection lost during {action}: {exc}") from exc
    except imaplib.IMAP4.error as exc:
        if any(code in str(exc) for code in TRANSIENT_CODES):
            raise MailboxUnavailable(f"{source}: {action}: server busy: {exc}") from exc
        raise MailboxProtocolError(f"{source}: {action} refused by the server: {exc}") from exc
    except (OSError, EOFError) as exc:  # socket errors, timeouts, TLS errors
        on_lost()
        detail = str(exc) or type(exc).__name__
        raise MailboxUnavailable(f"{source}: {action} failed: {detail}") from exc
