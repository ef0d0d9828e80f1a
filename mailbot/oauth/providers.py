"""Getting an access token from each provider, with the provider's own library: msal for
Microsoft 365 (client credentials: a secret or a certificate), google-auth for Gmail (a
service account with domain-wide delegation, or a stored refresh token), and a plain
OAuth2 token request (client credentials or refresh token) for any other endpoint.

Every failure leaves as :class:`~mailbot.errors.GrantRefused` (the endpoint said no: a
person must act) or :class:`~mailbot.errors.TokenUnavailable` (try again later)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from mailbot.config import OAuth2
from mailbot.errors import ConfigError, GrantRefused, TokenUnavailable

# OAuth2 error codes that mean "try again later"; any other error answer refuses the grant.
TRANSIENT_ERRORS = frozenset({"temporarily_unavailable", "server_error", "slow_down"})
DEFAULT_LIFETIME = 3600  # seconds, when the endpoint leaves expires_in out


@dataclass(frozen=True)
class Grant:
    """What the token endpoint gave: the access token, when it expires, and the refresh
    token to use next time when it sent one (a rotated one)."""

    access_token: str
    expires_at: datetime
    refresh_token: str | None = None


class Provider(Protocol):
    name: str
    uses_refresh_token: bool  # the grant is a stored refresh token (else: client credentials)

    def fetch(self, refresh_token: str | None) -> Grant: ...


def provider_for(settings: OAuth2, key: str, *, user: str,
                 clock: Callable[[], datetime]) -> Provider:
    """The provider ``settings`` describe; ``key`` (``mailbox.oauth2``) names them in errors."""
    if settings.provider == "microsoft":
        return MicrosoftProvider(settings, key, clock)
    if settings.provider == "google":
        return GoogleProvider(settings, key, user, clock)
    return GenericProvider(settings, key, clock)


def read_secret_file(path: Path, key: str) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"config error: {key}: cannot read {path}: {exc.strerror}") from exc
    if not value:
        raise ConfigError(f"config error: {key}: {path} is empty")
    return value


def client_secret(settings: OAuth2, key: str) -> str | None:
    if settings.client_secret is not None:
        return settings.client_secret.get_secret_value()
    if settings.client_secret_file is not None:
        return read_secret_file(settings.client_secret_file, f"{key}.client_secret_file")
    return None


def refused_or_unavailable(answer: Mapping[str, Any],
                           where: str) -> GrantRefused | TokenUnavailable:
    """The error an OAuth2 error answer (``error``, ``error_description``) stands for."""
    code = str(answer.get("error") or "unknown_error")
    description = str(answer.get("error_description") or "").splitlines()
    text = f"{where} answered {code}" + (f": {description[0]}" if description else "")
    if code in TRANSIENT_ERRORS:
        return TokenUnavailable(text)
    return GrantRefused(text, code)


class GenericProvider:
    """A token request (RFC 6749) to ``token_url``: the refresh_token grant when a refresh
    token is configured, else client_credentials; the client authenticates in the form."""

    name = "generic"

    def __init__(self, settings: OAuth2, key: str, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.key = key
        self.clock = clock
        self.uses_refresh_token = settings.refresh_token_file is not None

    def fetch(self, refresh_token: str | None) -> Grant:
        settings = self.settings
        form: dict[str, str] = {"client_id": settings.client_id or ""}
        secret = client_secret(settings, self.key)
        if secret is not None:
            form["client_secret"] = secret
        if self.uses_refresh_token:
            form |= {"grant_type": "refresh_token", "refresh_token": refresh_token or ""}
        else:
            form["grant_type"] = "client_credentials"
        if settings.scopes:
            form["scope"] = " ".join(settings.scopes)
        where = f"token endpoint {settings.token_url}"
        import requests

        from mailbot.oauth.http import HttpSession

        try:
            with HttpSession(settings) as session:
                response = session.post(settings.token_endpoint, data=form,
                                        headers={"Accept": "application/json"})
        except requests.RequestException as exc:
            raise TokenUnavailable(f"{where} cannot be reached: {_reason(exc)}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise TokenUnavailable(f"{where} answered HTTP {response.status_code} without JSON")
        if response.status_code >= 500 and "error" not in answer:
            raise TokenUnavailable(f"{where} answered HTTP {response.status_code}")
        if "error" in answer or not answer.get("access_token"):
            raise refused_or_unavailable(answer, where)
        lifetime = float(answer.get("expires_in") or DEFAULT_LIFETIME)
        return Grant(str(answer["access_token"]), self.clock() + timedelta(seconds=lifetime),
                     answer.get("refresh_token"))


class MicrosoftProvider:
    """msal's ConfidentialClientApplication, client credentials (app-only access, the way
    Microsoft documents IMAP/SMTP for daemons): a client secret or a certificate."""

    name = "microsoft"
    uses_refresh_token = False

    def __init__(self, settings: OAuth2, key: str, clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.key = key
        self.clock = clock
        self._credential = self._client_credential()
        self._app: Any = None
        self._lock = threading.Lock()

    def _client_credential(self) -> str | dict[str, str]:
        secret = client_secret(self.settings, self.key)
        if secret is not None:
            return secret
        assert self.settings.certificate is not None  # the config's validator saw to it
        return certificate_credential(self.settings.certificate, f"{self.key}.certificate")

    def _application(self) -> Any:
        import msal

        from mailbot.oauth.http import HttpSession

        with self._lock:
            if self._app is None:
                self._app = msal.ConfidentialClientApplication(
                    self.settings.client_id, client_credential=self._credential,
                    authority=self.settings.token_endpoint, instance_discovery=False,
                    http_client=HttpSession(self.settings), token_cache=msal.TokenCache())
            return self._app

    def fetch(self, refresh_token: str | None) -> Grant:
        where = f"Microsoft identity platform ({self.settings.token_endpoint})"
        import requests

        try:
            answer = self._application().acquire_token_for_client(scopes=self.settings.scopes)
        except (requests.RequestException, ValueError) as exc:
            with self._lock:
                self._app = None  # discovery failed: build it again next time
            raise TokenUnavailable(f"{where} cannot be reached: {_reason(exc)}") from exc
        if not isinstance(answer, dict) or "access_token" not in answer:
            raise refused_or_unavailable(answer or {}, where)
        lifetime = float(answer.get("expires_in") or DEFAULT_LIFETIME)
        return Grant(str(answer["access_token"]), self.clock() + timedelta(seconds=lifetime))


def certificate_credential(path: Path, key: str) -> dict[str, str]:
    """msal's certificate credential from one PEM file holding the private key and the
    certificate (msal computes the thumbprint from the certificate)."""
    text = read_secret_file(path, key)
    begin_key = text.find("-----BEGIN ")
    certificate_at = text.find("-----BEGIN CERTIFICATE-----")
    if certificate_at < 0 or "PRIVATE KEY-----" not in text:
        raise ConfigError(f"config error: {key}: {path} must hold the private key and the "
                          "certificate, both PEM")
    end = text.find("-----END CERTIFICATE-----", certificate_at)
    certificate = text[certificate_at:end + len("-----END CERTIFICATE-----")]
    private = text.replace(certificate, "").strip() if begin_key >= 0 else ""
    return {"private_key": private, "public_certificate": certificate}


class GoogleProvider:
    """google-auth: a service account acting for ``user`` (domain-wide delegation), or the
    user's own stored refresh token with the OAuth client's id and secret."""

    name = "google"

    def __init__(self, settings: OAuth2, key: str, user: str,
                 clock: Callable[[], datetime]) -> None:
        self.settings = settings
        self.key = key
        self.user = user
        self.clock = clock
        self.uses_refresh_token = settings.service_account_file is None

    def _credentials(self, refresh_token: str | None) -> Any:
        settings = self.settings
        if settings.service_account_file is not None:
            from google.oauth2 import service_account

            key = f"{self.key}.service_account_file"
            try:
                info = json.loads(read_secret_file(settings.service_account_file, key))
                credentials = service_account.Credentials.from_service_account_info(
                    info, scopes=settings.scopes, subject=self.user)
            except (ValueError, KeyError, TypeError) as exc:
                raise ConfigError(f"config error: {key}: not a service account key: "
                                  f"{exc}") from exc
            if settings.token_url:
                credentials = credentials.with_token_uri(settings.token_url)
            return credentials
        from google.oauth2 import credentials as user_credentials

        return user_credentials.Credentials(
            None, refresh_token=refresh_token, token_uri=settings.token_endpoint,
            client_id=settings.client_id, client_secret=client_secret(settings, self.key),
            scopes=settings.scopes)

    def fetch(self, refresh_token: str | None) -> Grant:
        from google.auth import exceptions
        from google.auth.transport.requests import Request

        from mailbot.oauth.http import HttpSession

        credentials = self._credentials(refresh_token)
        session = HttpSession(self.settings)
        where = f"Google token endpoint ({credentials._token_uri})"
        try:
            credentials.refresh(Request(session))
        except exceptions.RefreshError as exc:
            data = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else None
            if data is not None:
                raise refused_or_unavailable(data, where) from exc
            if exc.retryable:
                raise TokenUnavailable(f"{where}: {exc.args[0]}") from exc
            raise GrantRefused(f"{where} refused: {exc.args[0]}", "refresh_error") from exc
        except exceptions.TransportError as exc:
            raise TokenUnavailable(f"{where} cannot be reached: {_reason(exc)}") from exc
        finally:
            session.close()
        expiry = credentials.expiry  # naive UTC, by the machine's clock
        lifetime = (expiry.replace(tzinfo=UTC) - datetime.now(UTC) if expiry is not None
                    else timedelta(seconds=DEFAULT_LIFETIME))
        expires_at = self.clock() + lifetime
        rotated = getattr(credentials, "refresh_token", None)
        return Grant(str(credentials.token), expires_at,
                     rotated if self.uses_refresh_token and rotated != refresh_token else None)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:300]
