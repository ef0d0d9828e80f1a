"""An OAuth2 authorisation server in the test process: it issues access tokens, answers
Dovecot's token introspection, and lets a test expire tokens or revoke a grant.

It speaks what mailbot's three providers send, so each runs its own library against it:

- ``POST /token`` (and ``/<tenant>/oauth2/v2.0/token``, the path msal finds through
  ``/<tenant>/v2.0/.well-known/openid-configuration``): ``client_credentials`` with a
  client secret or a client assertion signed by the client's certificate key (msal),
  ``refresh_token`` (the generic provider and google-auth's user credentials), and
  ``urn:ietf:params:oauth:grant-type:jwt-bearer`` (google-auth's service account with
  domain-wide delegation: the assertion names the mailbox in ``sub``).
- ``POST /introspect`` (RFC 7662, plain HTTP on a port of its own, for Dovecot's oauth2
  passdb): ``{"active": true, "username": ...}`` for a live token.

Client endpoints are HTTPS with the session's self-signed certificate (msal accepts no
other); a refused grant answers 400 ``invalid_grant`` as real providers do.
"""

from __future__ import annotations

import base64
import json
import secrets
import ssl
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.x509.oid import NameOID

from tests.harness.smtp import Certificate

HOST = "127.0.0.1"
TENANT = "contoso-test"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GOOGLE_AUDIENCE = "https://oauth2.googleapis.com/token"
CLIENT_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass
class OAuthClient:
    """An app registration: it may reach ``user``'s mailbox (app-only access), and proves
    itself with ``secret`` or with a JWT signed by the key of ``public_key``."""

    client_id: str
    user: str
    secret: str | None = None
    public_key: PublicKeyTypes | None = None
    revoked: bool = False


@dataclass
class _Token:
    user: str
    client_id: str
    expires_at: float
    refresh_token: str | None = None


@dataclass
class _Refresh:
    client_id: str
    user: str
    live: bool = True


@dataclass
class Issued:
    grant_type: str
    client_id: str
    user: str
    access_token: str


@dataclass
class _State:
    clients: dict[str, OAuthClient] = field(default_factory=dict)
    tokens: dict[str, _Token] = field(default_factory=dict)
    refresh: dict[str, _Refresh] = field(default_factory=dict)
    issued: list[Issued] = field(default_factory=list)
    introspected: list[str] = field(default_factory=list)


class TokenServer:
    """The authorisation server. ``lifetime``: seconds an access token lives (``expires_in``);
    ``rotate``: a refresh grant answers with a new refresh token and retires the old one."""

    def __init__(self, certificate: Certificate, *, lifetime: int = 3600,
                 rotate: bool = False) -> None:
        self.certificate = certificate
        self.lifetime = lifetime
        self.rotate = rotate
        self._lock = threading.Lock()
        self._state = _State()
        self._https: ThreadingHTTPServer | None = None
        self._http: ThreadingHTTPServer | None = None

    # -- what a test arranges ------------------------------------------------------------

    def register(self, client_id: str, user: str, *, secret: str | None = None,
                 public_key: PublicKeyTypes | None = None) -> OAuthClient:
        client = OAuthClient(client_id, user, secret, public_key)
        with self._lock:
            self._state.clients[client_id] = client
        return client

    def refresh_token_for(self, client_id: str) -> str:
        """A refresh token as a user's consent would leave it (e.g. for the token file)."""
        with self._lock:
            client = self._state.clients[client_id]
            token = "rt-" + secrets.token_urlsafe(24)
            self._state.refresh[token] = _Refresh(client_id, client.user)
        return token

    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working now (they ran out)."""
        with self._lock:
            for token in self._state.tokens.values():
                token.expires_at = min(token.expires_at, time.time() - 1)

    def revoke(self, client_id: str) -> None:
        """The consent is withdrawn: its tokens die, further grants answer invalid_grant."""
        with self._lock:
            self._state.clients[client_id].revoked = True
            for token in self._state.tokens.values():
                if token.client_id == client_id:
                    token.expires_at = 0
            for grant in self._state.refresh.values():
                if grant.client_id == client_id:
                    grant.live = False

    def restore(self, client_id: str) -> None:
        """Consent given again (client credentials work again; old refresh tokens stay dead)."""
        with self._lock:
            self._state.clients[client_id].revoked = False

    @property
    def issued(self) -> list[Issued]:
        with self._lock:
            return list(self._state.issued)

    def live_refresh_tokens(self, client_id: str) -> list[str]:
        with self._lock:
            return [t for t, g in self._state.refresh.items()
                    if g.client_id == client_id and g.live]

    # -- addresses -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        assert self._https is not None
        return f"https://{HOST}:{self._https.server_address[1]}"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/token"

    @property
    def authority(self) -> str:
        """An msal authority (``https://host/<tenant>``)."""
        return f"{self.base_url}/{TENANT}"

    @property
    def introspection_url(self) -> str:
        assert self._http is not None
        return f"http://{HOST}:{self._http.server_address[1]}/introspect"

    # -- the server ----------------------------------------------------------------------

    def start(self) -> None:
        handler = _handler_for(self)
        self._https = ThreadingHTTPServer((HOST, 0), handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.certificate.cert_file, self.certificate.key_file)
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._http = ThreadingHTTPServer((HOST, 0), handler)
        for server in (self._https, self._http):
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        for server in (self._https, self._http):
            if server is not None:
                server.shutdown()
                server.server_close()

    # -- answers -------------------------------------------------------------------------

    def discovery(self, tenant: str) -> dict[str, Any]:
        base = f"{self.base_url}/{tenant}"
        return {"issuer": f"{base}/v2.0", "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "token_endpoint_auth_methods_supported": ["client_secret_post",
                                                          "private_key_jwt"]}

    def grant(self, form: dict[str, str], basic: tuple[str, str] | None,
              endpoint: str) -> tuple[int, dict[str, Any]]:
        grant_type = form.get("grant_type", "")
        with self._lock:
            if grant_type == "client_credentials":
                client = self._authenticated(form, basic, endpoint)
                if isinstance(client, tuple):
                    return client
                if client.revoked:
                    return _error("invalid_grant", "AADSTS65001: consent was revoked for "
                                  f"app {client.client_id}")
                return 200, self._issue(grant_type, client, client.user)
            if grant_type == "refresh_token":
                client = self._authenticated(form, basic, endpoint, secret_optional=True)
                if isinstance(client, tuple):
                    return client
                grant = self._state.refresh.get(form.get("refresh_token", ""))
                if grant is None or not grant.live or grant.client_id != client.client_id:
                    return _error("invalid_grant", "Token has been expired or revoked.")
                if client.revoked:
                    return _error("invalid_grant", "Token has been expired or revoked.")
                answer = self._issue(grant_type, client, grant.user)
                if self.rotate:
                    grant.live = False
                    new = "rt-" + secrets.token_urlsafe(24)
                    self._state.refresh[new] = _Refresh(client.client_id, grant.user)
                    answer["refresh_token"] = new
                return 200, answer
            if grant_type == JWT_BEARER:
                return self._jwt_bearer(form.get("assertion", ""), endpoint)
        return _error("unsupported_grant_type", f"grant_type {grant_type!r}")

    def introspect(self, token: str) -> dict[str, Any]:
        with self._lock:
            self._state.introspected.append(token)
            found = self._state.tokens.get(token)
            if found is None or found.expires_at <= time.time():
                return {"active": False}
            return {"active": True, "username": found.user, "client_id": found.client_id,
                    "exp": int(found.expires_at), "token_type": "Bearer"}

    def check_bearer(self, user: str, token: str) -> bool:
        """What an SMTP server asks: is ``token`` live and issued for ``user``?"""
        answer = self.introspect(token)
        return bool(answer["active"]) and answer["username"] == user

    def _issue(self, grant_type: str, client: OAuthClient, user: str) -> dict[str, Any]:
        token = "at-" + secrets.token_urlsafe(24)
        self._state.tokens[token] = _Token(user, client.client_id, time.time() + self.lifetime)
        self._state.issued.append(Issued(grant_type, client.client_id, user, token))
        return {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime}

    def _authenticated(self, form: dict[str, str], basic: tuple[str, str] | None,
                       endpoint: str, *, secret_optional: bool = False
                       ) -> OAuthClient | tuple[int, dict[str, Any]]:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret"))
        client = self._state.clients.get(client_id)
        if client is None:
            return _error("invalid_client", f"unknown client {client_id!r}", 401)
        if form.get("client_assertion_type") == CLIENT_ASSERTION:
            if client.public_key is None:
                return _error("invalid_client", "no certificate registered", 401)
            try:
                claims = jwt.decode(form.get("client_assertion", ""), client.public_key,
                                    algorithms=["RS256", "PS256"], audience=endpoint)
            except jwt.PyJWTError as exc:
                return _error("invalid_client", f"bad client assertion: {exc}", 401)
            if claims.get("iss") != client_id or claims.get("sub") != client_id:
                return _error("invalid_client", "assertion names another client", 401)
            return client
        if client.secret is not None and secret != client.secret:
            if secret is None and secret_optional:
                return client
            return _error("invalid_client", "wrong client secret", 401)
        if client.secret is None and client.public_key is not None:
            return _error("invalid_client", "this client signs in with a certificate", 401)
        return client

    def _jwt_bearer(self, assertion: str, endpoint: str) -> tuple[int, dict[str, Any]]:
        try:
            unverified = jwt.decode(assertion, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            return _error("invalid_grant", f"not a JWT: {exc}")
        client = self._state.clients.get(str(unverified.get("iss")))
        if client is None or client.public_key is None:
            return _error("invalid_client", "unknown service account", 401)
        try:
            # google-auth addresses its assertions to Google's endpoint, wherever it sends them
            claims = jwt.decode(assertion, client.public_key, algorithms=["RS256"],
                                audience=[endpoint, GOOGLE_AUDIENCE])
        except jwt.PyJWTError as exc:
            return _error("invalid_grant", f"bad assertion: {exc}")
        if client.revoked:
            return _error("invalid_grant", "Not a valid email or user ID.")
        user = str(claims.get("sub") or client.user)
        if user != client.user:
            return _error("unauthorized_client", "no domain-wide delegation for that user")
        return 200, self._issue(JWT_BEARER, client, user)


def _error(code: str, description: str, status: int = 400) -> tuple[int, dict[str, Any]]:
    return status, {"error": code, "error_description": description}


def _handler_for(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            if len(parts) == 4 and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
                self._answer(200, server.discovery(parts[0]))
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8")
            form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
            path = self.path.split("?")[0]
            if path == "/introspect":
                self._answer(200, server.introspect(form.get("token", "")))
                return
            if path == "/token" or path == f"/{TENANT}/oauth2/v2.0/token":
                endpoint = f"{server.base_url}{path}"
                status, answer = server.grant(form, self._basic(), endpoint)
                self._answer(status, answer)
                return
            self._answer(404, {"error": "not_found"})

        def _basic(self) -> tuple[str, str] | None:
            value = self.headers.get("Authorization", "")
            if not value.startswith("Basic "):
                return None
            user, _, secret = base64.b64decode(value[6:]).decode().partition(":")
            return user, secret

        def _answer(self, status: int, data: dict[str, Any]) -> None:
            payload = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(payload)

    return Handler


# -- keys an app or a service account signs with -----------------------------------------

def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def app_certificate(directory: Path) -> tuple[Path, rsa.RSAPrivateKey]:
    """One PEM file with an app's private key and its self-signed certificate."""
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mailbot app")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(datetime.now(UTC) - timedelta(minutes=5))
            .not_valid_after(datetime.now(UTC) + timedelta(days=1)).sign(key, hashes.SHA256()))
    path = directory / "app.pem"
    path.write_text(private_pem(key) + cert.public_bytes(serialization.Encoding.PEM).decode())
    return path, key


def service_account_file(directory: Path, token_url: str) -> tuple[Path, str, rsa.RSAPrivateKey]:
    key = rsa_key()
    email = "mailbot@voorbeeld-project.iam.gserviceaccount.com"
    info = {"type": "service_account", "project_id": "voorbeeld-project",
            "private_key_id": "k1", "private_key": private_pem(key), "client_email": email,
            "client_id": "1234567890", "token_uri": token_url}
    path = directory / "service-account.json"
    path.write_text(json.dumps(info))
    return path, email, key



@pytest.fixture
def token_server(tls_certificate: Certificate) -> Iterator[TokenServer]:
    server = TokenServer(tls_certificate)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def oauth_dovecot(dovecot_factory, token_server: TokenServer):
    """A Dovecot whose XOAUTH2 logins are checked by the token server's introspection (and
    whose PLAIN logins with the harness password still work, for the test's own checks)."""
    return dovecot_factory(oauth2=token_server.introspection_url)
