"""Build the mail source named by ``mailbox.url``.

URLs: ``imap://user:pass@host:port/FOLDER`` (port 143), ``imaps://...`` (TLS, port 993,
certificates verified), ``maildir://PATH``. The folder defaults to INBOX. User name and
password may be in the URL or in ``mailbox.username`` / ``mailbox.password``; the keys
win. With ``mailbox.auth = "oauth2"`` there is no password: the login is XOAUTH2 with the
tokens of ``oauth`` (mailbot/oauth/). For Maildir everything after ``maildir://`` is the
path, percent-decoded:
``maildir:///srv/mail/privacy`` is absolute, ``maildir://var/mail`` is relative to the
working directory (and made absolute at start-up), ``maildir://~/Maildir`` is in the home
directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from mailbot.config import Mailbox, url_credentials
from mailbot.errors import ConfigError
from mailbot.mailbox.imap import ImapSource, ImapTarget
from mailbot.mailbox.maildir import MaildirSource
from mailbot.mailbox.source import MailSource

if TYPE_CHECKING:
    from mailbot.oauth.tokens import XOAuth2Login


def open_source(settings: Mailbox, oauth: XOAuth2Login | None = None) -> MailSource:
    """The (not yet opened) source for ``settings.url``; ``oauth``: the XOAUTH2 login when
    ``settings.auth`` is oauth2."""
    scheme = urlsplit(settings.url).scheme
    if scheme == "maildir":
        return MaildirSource(maildir_path(settings.url), settings)
    if scheme in ("imap", "imaps"):
        return ImapSource(imap_target(settings, oauth), settings)
    raise ConfigError(f"config error: mailbox.url: unsupported scheme {scheme!r}")


def source_name(settings: Mailbox) -> str:
    """The name mail from this mailbox is recorded under (and its lease is held by), without
    connecting; the URL itself when it cannot be built without its tokens."""
    try:
        return open_source(settings).name
    except ConfigError:
        return settings.url


def maildir_path(url: str) -> Path:
    return Path(unquote(url.removeprefix("maildir://"))).expanduser().absolute()


def imap_target(settings: Mailbox, oauth: XOAuth2Login | None = None) -> ImapTarget:
    parts = urlsplit(settings.url)
    tls = parts.scheme == "imaps"
    try:
        port = parts.port or (993 if tls else 143)
    except ValueError as exc:
        raise ConfigError(f"config error: mailbox.url: bad port: {exc}") from None
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    if settings.auth == "oauth2":
        if oauth is None:
            raise ConfigError('config error: mailbox.auth: "oauth2" needs [mailbox.oauth2]')
        return ImapTarget(host=parts.hostname or "", port=port, tls=tls, folder=folder,
                          username=oauth.user, password="", oauth=oauth)
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
        folder=folder,
        username=username,
        password=password,
    )
