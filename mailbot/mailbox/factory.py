"""Build the mail source named by ``mailbox.url``.

URLs: ``imap://user:pass@host:port/FOLDER`` (port 143), ``imaps://...`` (TLS, port 993,
certificates verified), ``maildir://PATH``. The folder defaults to INBOX. User name and
password may be in the URL or in ``mailbox.username`` / ``mailbox.password``; the keys
win. For Maildir everything after ``maildir://`` is the path, percent-decoded:
``maildir:///srv/mail/privacy`` is absolute, ``maildir://var/mail`` is relative to the
working directory (and made absolute at start-up), ``maildir://~/Maildir`` is in the home
directory.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from mailbot.config import Mailbox, url_credentials
from mailbot.errors import ConfigError
from mailbot.mailbox.imap import ImapSource, ImapTarget
from mailbot.mailbox.maildir import MaildirSource
from mailbot.mailbox.source import MailSource


def open_source(settings: Mailbox) -> MailSource:
    """The (not yet opened) source for ``settings.url``."""
    scheme = urlsplit(settings.url).scheme
    if scheme == "maildir":
        return MaildirSource(maildir_path(settings.url), settings)
    if scheme in ("imap", "imaps"):
        return ImapSource(imap_target(settings), settings)
    raise ConfigError(f"config error: mailbox.url: unsupported scheme {scheme!r}")


def maildir_path(url: str) -> Path:
    return Path(unquote(url.removeprefix("maildir://"))).expanduser().absolute()


def imap_target(settings: Mailbox) -> ImapTarget:
    parts = urlsplit(settings.url)
    tls = parts.scheme == "imaps"
    try:
        port = parts.port or (993 if tls else 143)
    except ValueError as exc:
        raise ConfigError(f"config error: mailbox.url: bad port: {exc}") from None
    url_user, url_password = url_credentials(settings.url)
    username = settings.username or url_user
    password = settings.password.get_secret_value() if settings.password else url_password
    if not username:
        raise ConfigError("config error: mailbox.username: missing (or put it in mailbox.url)")
    if not password:
        raise ConfigError("config error: mailbox.password: missing (or put it in mailbox.url)")
    return ImapTarget(
        host=parts.hostname or "",
        port=port,
        tls=tls,
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        username=username,
        password=password,
    )
