"""A real SMTP server in the test process (aiosmtpd) that records what it receives.

Fixtures: ``smtp_sink`` (plain, no AUTH) and ``smtp_sink_factory`` (AUTH users, STARTTLS,
implicit TLS, AUTH XOAUTH2 with ``xoauth2=check``); ``tls_certificate``, a self-signed
certificate for ``localhost``/127.0.0.1.
A sink can refuse for a while (``refuse()``/``accept()``) or be down (``stop()``/``start()``
on the same port).
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import ssl
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal, cast

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mailbot.demo.sink import LocalSmtpServer

Stage = Literal["MAIL", "RCPT", "DATA"]


@dataclass(frozen=True)
class ReceivedMessage:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes
    message: EmailMessage
    login: str | None  # the AUTH user name, when the client authenticated
    peer: Any = None  # the client's (host, port): one per connection


@dataclass(frozen=True)
class _Refusal:
    stage: Stage
    reply: str
    recipients: frozenset[str] | None


class _RecordingHandler:
    def __init__(self, users: Mapping[str, str]) -> None:
        self.users = dict(users)
        self.require_auth = bool(users)
        self.condition = threading.Condition()
        self.received: list[ReceivedMessage] = []
        self.refusal: _Refusal | None = None

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and self.users.get(data.login.decode()) == data.password.decode()
        )
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    def _refused(self, stage: Stage, recipient: str | None = None) -> str | None:
        refusal = self.refusal
        if refusal is None or refusal.stage != stage:
            return None
        if recipient is not None and refusal.recipients is not None:
            return refusal.reply if recipient in refusal.recipients else None
        return refusal.reply

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.require_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        if reply := self._refused("MAIL"):
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if reply := self._refused("RCPT", address):
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if reply := self._refused("DATA"):
            return reply
        data = envelope.original_content or b""
        login = session.login_data.decode() if session.authenticated else None
        received = ReceivedMessage(
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
            data=data,
            message=cast(EmailMessage, message_from_bytes(data, policy=policy.default)),
            login=login,
            peer=session.peer,
        )
        with self.condition:
            self.received.append(received)
            number = len(self.received)
            self.condition.notify_all()
        return f"250 2.0.0 OK queued as sink-{number}"


@dataclass(frozen=True)
class BearerLogin:
    login: bytes
    token: str


class _Xoauth2Handler(_RecordingHandler):
    """Also ``AUTH XOAUTH2`` (user and bearer token), checked by ``check(user, token)``."""

    def __init__(self, users: Mapping[str, str], check: Callable[[str, str], bool]) -> None:
        super().__init__(users)
        self.require_auth = True
        self.check = check
        self.bearer_logins: list[tuple[str, bool]] = []

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        if len(args) > 1:
            blob: bytes = args[1].encode()
        else:
            answer = await server.challenge_auth("")
            if not isinstance(answer, bytes):
                return AuthResult(success=False)
            blob = base64.b64encode(answer)  # challenge_auth has decoded it already
        try:
            fields = base64.b64decode(blob, validate=True).decode().split("\x01")
        except ValueError:
            await server.push("501 5.5.2 Can't decode base64")
            return AuthResult(success=False, handled=True)
        values = dict(f.split("=", 1) for f in fields if "=" in f)
        user = values.get("user", "")
        token = values.get("auth", "").removeprefix("Bearer ").strip()
        ok = bool(token) and self.check(user, token)
        self.bearer_logins.append((user, ok))
        if ok:
            return AuthResult(success=True, auth_data=BearerLogin(user.encode(), token))
        return AuthResult(success=False, message="535 5.7.8 Username and token not accepted")


class SmtpSink(LocalSmtpServer):
    """The receiving end of the tests' outgoing mail."""

    def __init__(self, *, users: Mapping[str, str] | None = None,
                 xoauth2: Callable[[str, str], bool] | None = None,
                 **smtp_options: Any) -> None:
        self._recorder = (_RecordingHandler(users or {}) if xoauth2 is None
                          else _Xoauth2Handler(users or {}, xoauth2))
        if xoauth2 is not None:
            smtp_options.setdefault("auth_require_tls", "tls_context" in smtp_options)
        if users:
            smtp_options.setdefault("authenticator", self._recorder.authenticate)
            smtp_options.setdefault("auth_require_tls", "tls_context" in smtp_options)
        super().__init__(self._recorder, **smtp_options)

    @property
    def bearer_logins(self) -> list[tuple[str, bool]]:
        """(user, accepted) of every AUTH XOAUTH2 so far (a sink made with ``xoauth2``)."""
        return list(getattr(self._recorder, "bearer_logins", []))

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self._recorder.condition:
            return list(self._recorder.received)

    def wait_for_count(self, count: int, timeout: float = 5.0) -> list[ReceivedMessage]:
        """The messages once at least ``count`` have arrived; AssertionError after ``timeout``."""
        recorder = self._recorder
        with recorder.condition:
            if not recorder.condition.wait_for(lambda: len(recorder.received) >= count, timeout):
                raise AssertionError(
                    f"SMTP sink: {len(recorder.received)} message(s) after {timeout:g} s, "
                    f"expected {count}"
                )
            return list(recorder.received)

    def clear(self) -> None:
        with self._recorder.condition:
            self._recorder.received.clear()

    def refuse(
        self,
        code: int = 451,
        message: str = "4.3.0 Try again later",
        *,
        at: Stage = "DATA",
        recipients: Collection[str] | None = None,
    ) -> None:
        """Answer every ``at`` command with ``code message`` until ``accept()``;
        with ``recipients`` (``at="RCPT"`` only) refuse just those addresses."""
        chosen = frozenset(recipients) if recipients is not None else None
        self._recorder.refusal = _Refusal(at, f"{code} {message}", chosen)

    def accept(self) -> None:
        self._recorder.refusal = None


@dataclass(frozen=True)
class Certificate:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def self_signed_certificate(directory: Path) -> Certificate:
    """A certificate for ``localhost`` and 127.0.0.1, valid for a day, signed by itself."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Certificate(cert_file, key_file)


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def smtp_sink_factory() -> Iterator[Callable[..., SmtpSink]]:
    """``make(users={"u": "pw"}, tls_context=..., require_starttls=True, ssl_context=...)``:
    a started sink, stopped after the test. ``tls_context`` offers STARTTLS;
    ``ssl_context`` speaks TLS from the start (smtps)."""
    made: list[SmtpSink] = []

    def make(**options: Any) -> SmtpSink:
        sink = SmtpSink(**options)
        made.append(sink)
        sink.start()
        return sink

    yield make
    for sink in made:
        sink.stop()


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))
