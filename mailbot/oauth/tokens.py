"""Access tokens for XOAUTH2 logins: one :class:`TokenSource` per OAuth2 account, handing out
a token that stays valid for at least ``refresh_margin`` seconds, asking the provider for a
new one before the old one runs out, and keeping what the provider gave (sealed) through a
:class:`Keeper` so every mailbot process on the database shares it.

A refused grant is reported once per process in one log line, and through the keeper once
per refusal to staff (mail) and to health (the account's row); until the next attempt
(with backoff) callers get the same GrantRefused without a request to the endpoint."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from mailbot.config import OAuth2, Settings, url_credentials
from mailbot.errors import ConfigError, GrantRefused, OAuthError, TokenUnavailable
from mailbot.mailbox.backoff import Backoff
from mailbot.oauth.providers import Grant, Provider, provider_for, read_secret_file

log = logging.getLogger(__name__)
RETRY_MIN = 1.0  # seconds before asking the endpoint again after a failure, doubling
RETRY_MAX = 300.0


@dataclass(frozen=True)
class Account:
    """One OAuth2 configuration: ``name`` is its row (mailbox or smtp), ``key`` its config
    section (for messages), ``user`` the login its token is for."""

    name: str
    key: str
    settings: OAuth2
    user: str


@dataclass(frozen=True)
class Saved:
    """An account's tokens as the keeper holds them."""

    client_id: str
    seed_hash: str | None
    refresh_token: str | None
    access_token: str | None
    expires_at: datetime | None


class Keeper(Protocol):
    def load(self, account: Account) -> Saved | None: ...

    def save(self, account: Account, saved: Saved) -> None: ...

    def refused(self, account: Account, error: GrantRefused, fix: str) -> None: ...

    def forget_access(self, account: Account) -> None: ...


def fix_for(account: Account) -> str:
    """What a person does about a refused grant of ``account``."""
    settings, key = account.settings, account.key
    if settings.refresh_token_file is not None and settings.service_account_file is None:
        return (f"sign in again for {account.user} and put the new refresh token in "
                f"{settings.refresh_token_file} ({key}.refresh_token_file)")
    if settings.provider == "microsoft":
        return (f"an administrator grants app {settings.client_id} consent again in Microsoft "
                f"Entra, or corrects {key}.client_secret / {key}.certificate")
    if settings.provider == "google":
        return ("a Google Workspace administrator restores the service account's domain-wide "
                f"delegation for {account.user}")
    return f"restore client {settings.client_id}'s grant at {settings.token_url}, or correct {key}"


class TokenSource:
    def __init__(self, account: Account, provider: Provider, *,
                 clock: Callable[[], datetime], keeper: Keeper | None = None) -> None:
        self.account = account
        self.provider = provider
        self.clock = clock
        self.keeper = keeper
        self.margin = timedelta(seconds=account.settings.refresh_margin)
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at: datetime | None = None
        self._failure: OAuthError | None = None
        self._retry_at: datetime | None = None
        self._backoff = Backoff(RETRY_MIN, RETRY_MAX)
        self._refused = False

    @property
    def name(self) -> str:
        return self.account.name

    @property
    def refused(self) -> bool:
        """Whether the provider refused the grant at the last attempt of this process."""
        return self._refused

    def access_token(self) -> str:
        """A token valid for at least the margin; raises GrantRefused or TokenUnavailable."""
        with self._lock:
            now = self.clock()
            if self._token is not None and self._fresh(self._expires_at, now):
                return self._token
            if self._failure is not None and self._retry_at is not None and now < self._retry_at:
                raise self._failure
            return self._renew(now)

    def renew_now(self) -> str:
        """Ask the provider for a new token now, whatever is cached or backing off (a person
        fixed the grant and wants to know)."""
        with self._lock:
            self._token = self._expires_at = None
            self._failure = self._retry_at = None
            return self._renew(self.clock(), use_saved=False)

    def invalidate(self, token: str) -> None:
        """The server did not take ``token``: the next call asks the provider for a new one."""
        with self._lock:
            if token != self._token:
                return
            self._token = self._expires_at = None
            if self.keeper is not None:
                self.keeper.forget_access(self.account)

    def refresh_due_at(self) -> datetime | None:
        """When this source next wants to ask the endpoint: before its token runs out, or
        after a failure's backoff; None before its first token."""
        with self._lock:
            if self._failure is not None:
                return self._retry_at
            return None if self._expires_at is None else self._expires_at - self.margin

    def keep_fresh(self) -> None:
        """Renew the token if it is due (the daemon calls this while it waits); a failure is
        reported as usual and not raised."""
        due = self.refresh_due_at()
        if due is None or due > self.clock():
            return
        with contextlib.suppress(OAuthError):  # logged, recorded and told when it happened
            self.access_token()

    # -- asking the provider -------------------------------------------------------------

    def _fresh(self, expires_at: datetime | None, now: datetime) -> bool:
        return expires_at is not None and expires_at - self.margin > now

    def _seed(self) -> tuple[str | None, str | None]:
        """The configured refresh token and its fingerprint (none for client credentials)."""
        settings = self.account.settings
        if not self.provider.uses_refresh_token or settings.refresh_token_file is None:
            return None, None
        token = read_secret_file(settings.refresh_token_file,
                                 f"{self.account.key}.refresh_token_file")
        return token, hashlib.sha256(token.encode()).hexdigest()

    def _renew(self, now: datetime, *, use_saved: bool = True) -> str:
        seed, seed_hash = self._seed()
        client_id = self.account.settings.client_id or ""
        saved = self._load()
        same = saved is not None and saved.client_id == client_id and saved.seed_hash == seed_hash
        if (use_saved and same and saved and saved.access_token
                and self._fresh(saved.expires_at, now)):
            self._failure = self._retry_at = None  # another process renewed it
            self._refused = False
            self._token, self._expires_at = saved.access_token, saved.expires_at
            return saved.access_token
        refresh_token = saved.refresh_token if same and saved and saved.refresh_token else seed
        try:
            grant = self.provider.fetch(refresh_token)
        except GrantRefused as exc:
            self._failed(exc, now)
            if not self._refused:
                self._refused = True
                log.error("OAuth2 grant refused for %s (provider %s, user %s): %s; mailbot "
                          "cannot log in until %s", self.account.name, self.provider.name,
                          self.account.user, exc, fix_for(self.account))
            if self.keeper is not None:
                self.keeper.refused(self.account, exc, fix_for(self.account))
            raise
        except TokenUnavailable as exc:
            self._failed(exc, now)
            log.warning("no OAuth2 token for %s: %s", self.account.name, exc)
            raise
        return self._granted(grant, refresh_token, seed_hash, client_id)

    def _granted(self, grant: Grant, refresh_token: str | None, seed_hash: str | None,
                 client_id: str) -> str:
        if self._refused:
            log.info("OAuth2 grant for %s works again", self.account.name)
        self._refused = False
        self._failure = self._retry_at = None
        self._backoff.reset()
        self._token, self._expires_at = grant.access_token, grant.expires_at
        if self.keeper is not None:
            self.keeper.save(self.account, Saved(
                client_id=client_id, seed_hash=seed_hash,
                refresh_token=grant.refresh_token or refresh_token,
                access_token=grant.access_token, expires_at=grant.expires_at))
        return grant.access_token

    def _failed(self, exc: OAuthError, now: datetime) -> None:
        self._failure = exc
        self._retry_at = now + timedelta(seconds=self._backoff.next_delay())
        self._token = self._expires_at = None

    def _load(self) -> Saved | None:
        return self.keeper.load(self.account) if self.keeper is not None else None


@dataclass(frozen=True)
class XOAuth2Login:
    """What an XOAUTH2 login needs: the user and where its tokens come from."""

    user: str
    tokens: TokenSource


class TokenSources:
    """The OAuth2 accounts of one mailbot (none, mailbox, smtp), built from the settings."""

    def __init__(self, settings: Settings, *, clock: Callable[[], datetime],
                 keeper: Keeper | None = None) -> None:
        self.sources: dict[str, TokenSource] = {}
        self.mailbox: XOAuth2Login | None = None
        self.smtp: XOAuth2Login | None = None
        mailbox, smtp = settings.mailbox, settings.smtp
        if mailbox.auth == "oauth2" and mailbox.oauth2 is not None:
            url_user, _ = url_credentials(mailbox.url)
            user = mailbox.oauth2.user or mailbox.username or url_user
            self.mailbox = self._login("mailbox", "mailbox.oauth2", mailbox.oauth2, user,
                                       clock, keeper)
        if smtp.auth == "oauth2":
            url_user, _ = url_credentials(smtp.url)
            if smtp.oauth2 is not None:
                user = smtp.oauth2.user or smtp.username or url_user or (
                    self.mailbox.user if self.mailbox else None)
                self.smtp = self._login("smtp", "smtp.oauth2", smtp.oauth2, user, clock, keeper)
            elif self.mailbox is not None:  # the mailbox's grant serves SMTP too
                user = smtp.username or url_user or self.mailbox.user
                self.smtp = XOAuth2Login(user, self.mailbox.tokens)

    def _login(self, name: str, key: str, settings: OAuth2, user: str | None,
               clock: Callable[[], datetime], keeper: Keeper | None) -> XOAuth2Login:
        if not user:
            raise ConfigError(f"config error: {key}.user: missing (the address to log in as; "
                              f"or set {name}.username)")
        account = Account(name, key, settings, user)
        source = TokenSource(account, provider_for(settings, key, user=user, clock=clock),
                             clock=clock, keeper=keeper)
        self.sources[name] = source
        return XOAuth2Login(user, source)

    def keep_fresh(self) -> None:
        for source in self.sources.values():
            source.keep_fresh()

    def next_due(self) -> datetime | None:
        due = [d for d in (s.refresh_due_at() for s in self.sources.values()) if d is not None]
        return min(due, default=None)
