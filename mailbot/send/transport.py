"""Hand messages to the SMTP server; every failure leaves as a TransientSendError or a
PermanentSendError.

A message is sent to all its recipients or to none: when any RCPT is refused the
envelope is abandoned before DATA, so retrying never delivers twice.

With ``smtp.auth = "oauth2"`` the login is AUTH XOAUTH2 with a token from mailbot/oauth/; a
token the server refuses is dropped and a new one tried once. No token (the endpoint is
down, or the grant was refused: reported there) is a TransientSendError: the mail waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Awaitable, Callable, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiosmtplib

from mailbot.config import Smtp, url_credentials
from mailbot.errors import (
    ConfigError,
    OAuthError,
    PermanentSendError,
    SendError,
    TransientSendError,
)
from mailbot.send import failures
from mailbot.send.blocking import BlockingSmtpSession, Endpoint
from mailbot.send.envelope import envelope

if TYPE_CHECKING:
    from mailbot.oauth.tokens import XOAuth2Login

CLOSE_WAIT = 1.0  # seconds to wait for a connection to close after QUIT
CLOSE_POLL = 0.002

_SCHEMES = {  # scheme: (default port, implicit TLS, STARTTLS)
    "smtp": (25, False, False),
    "smtps": (465, True, False),
    "smtp+starttls": (587, False, True),
}


class SmtpTransport:
    """Sends as configured by ``smtp.*``: ``send`` over one fresh connection per message,
    ``batch`` over one connection for a round of messages.

    ``tls_verify=False`` accepts any certificate (a test server only); ``ca_file`` trusts a
    private CA or a self-signed certificate instead, which is the better choice.
    """

    def __init__(
        self, settings: Smtp, *, tls_verify: bool = True, ca_file: str | Path | None = None,
        oauth: XOAuth2Login | None = None,
    ) -> None:
        parts = urlsplit(settings.url)
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise ConfigError(f"config error: smtp.url: unsupported URL {settings.url!r}")
        default_port, self._implicit_tls, self._starttls = _SCHEMES[parts.scheme]
        try:
            self._port = parts.port or default_port
        except ValueError as exc:
            raise ConfigError(f"config error: smtp.url: bad port in {settings.url!r}") from exc
        self._host = parts.hostname
        self._oauth = oauth
        if settings.auth == "oauth2" and oauth is None:
            raise ConfigError('config error: smtp.auth: "oauth2" needs [smtp.oauth2] or '
                              '[mailbox.oauth2]')
        url_user, url_password = url_credentials(settings.url)
        self._username = settings.username or url_user
        self._password = (
            settings.password.get_secret_value() if settings.password else url_password
        )
        if oauth is not None:
            self._username, self._password = oauth.user, None
        elif bool(self._username) != bool(self._password):
            missing = "smtp.password" if self._username else "smtp.username"
            raise ConfigError(f"config error: {missing}: missing (the other one is set)")
        self._timeout = settings.timeout
        self._tls_context = _tls_context(tls_verify, ca_file)

    @property
    def where(self) -> str:
        return f"{self._host}:{self._port}"

    async def send(
        self, message: EmailMessage | bytes, *, sender: str, recipients: Sequence[str]
    ) -> str:
        """Deliver ``message`` to ``recipients``; return the server's reply to DATA.

        ``sender`` is the envelope sender; ``""`` sends with the null sender ``<>``.
        """
        if isinstance(recipients, str) or not recipients:
            raise PermanentSendError("no recipients (pass a sequence of addresses)")
        if self._oauth is not None:
            return await self._send_xoauth2(self._oauth, message, sender, list(recipients))
        client = self._client(password=self._password)
        return await self._attempt(client, message, sender, list(recipients))

    def _client(self, **login: object) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self._host,
            port=self._port,
            username=self._username,
            timeout=self._timeout,
            use_tls=self._implicit_tls,
            start_tls=self._starttls,
            tls_context=self._tls_context,
            **login,  # type: ignore[arg-type]
        )

    async def _attempt(self, client: aiosmtplib.SMTP, message: EmailMessage | bytes,
                       sender: str, recipients: list[str]) -> str:
        try:
            return await _deliver(client, message, sender, recipients)
        except SendError:
            raise
        except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as exc:
            raise _translate(exc, self.where, self._username,
                             oauth=self._oauth is not None) from exc
        finally:
            client.close()

    async def _send_xoauth2(self, login: XOAuth2Login, message: EmailMessage | bytes,
                            sender: str, recipients: list[str]) -> str:
        for attempt in (1, 2):
            used: list[str] = []
            client = self._client(oauth_token_generator=self._token_for(login, used))
            try:
                return await self._attempt(client, message, sender, recipients)
            except SendError as exc:
                refused_login = isinstance(exc.__cause__, aiosmtplib.SMTPAuthenticationError)
                if not (refused_login and used) or attempt == 2:
                    raise
                login.tokens.invalidate(used[-1])  # ended early by the provider: a new one
        raise AssertionError("unreachable")

    def _token_for(self, login: XOAuth2Login, used: list[str]
                   ) -> Callable[[], Awaitable[str]]:
        """aiosmtplib's token generator: a token from ``login``, noted in ``used``."""
        async def token() -> str:
            try:
                value = await asyncio.to_thread(login.tokens.access_token)
            except OAuthError as exc:
                raise TransientSendError(f"SMTP server {self.where}: no OAuth2 token to log "
                                         f"in as {login.user!r}: {exc}") from exc
            used.append(value)
            return value

        return token
    async def probe(self) -> list[tuple[str, str | None]]:
        """Connect, EHLO, STARTTLS and log in as configured, then QUIT, sending nothing: each
        step with None when it passed or what went wrong (the steps after a failed one are
        not tried). For ``mailbot check``."""
        client = aiosmtplib.SMTP(hostname=self._host, port=self._port, timeout=self._timeout,
                                 use_tls=self._implicit_tls, start_tls=False,
                                 tls_context=self._tls_context)
        steps: list[tuple[str, str | None]] = []

        async def step(name: str, action: Any) -> bool:
            try:
                await action()
            except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as exc:
                steps.append((name, str(_translate(exc, self.where, self._username))))
                return False
            steps.append((name, None))
            return True

        async def starttls() -> None:
            if not client.supports_extension("starttls"):
                raise aiosmtplib.SMTPNotSupported("the server does not offer STARTTLS")
            await client.starttls()
            await client.ehlo()

        async def login() -> None:
            await client.login(self._username or "", self._password or "")

        try:
            if not await step("connect and EHLO", _connect_and_greet(client)):
                return steps
            if self._starttls and not await step("STARTTLS", starttls):
                return steps
            if self._username:
                await step("login", login)
        finally:
            protocol = client.protocol
            with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
                if client.is_connected:
                    await client.quit()
            client.close()
            # the socket closes in callbacks the loop runs next (more than one after TLS):
            # wait for them before asyncio.run ends the loop, or it stays open until collected
            if protocol is not None:
                await _closed(protocol)
        return steps

    def probe_sync(self) -> list[tuple[str, str | None]]:
        return asyncio.run(self.probe())

    def send_sync(
        self, message: EmailMessage | bytes, *, sender: str, recipients: Sequence[str]
    ) -> str:
        """``send`` for synchronous callers; not for use inside a running event loop."""
        return asyncio.run(self.send(message, sender=sender, recipients=recipients))

    def batch(self) -> SmtpSession | BlockingSmtpSession:
        """One connection for a round of messages (``with transport.batch() as s``): on a
        blocking socket, unless the login needs aiosmtplib (XOAUTH2; a user name or password
        that is not ASCII, which smtplib cannot send)."""
        credentials = (self._username or "") + (self._password or "")
        if self._oauth is not None or not credentials.isascii():
            return SmtpSession(self)
        return BlockingSmtpSession(Endpoint(
            host=self._host, port=self._port, implicit_tls=self._implicit_tls,
            starttls=self._starttls, username=self._username, password=self._password,
            timeout=self._timeout, tls_context=self._tls_context))


class SmtpSession:
    """Several messages over one connection, each sent to all its recipients or to none,
    as ``SmtpTransport.send`` sends one: a round of deliveries no longer pays a connection,
    a greeting, a login and an event loop per message. After any failure the connection is
    dropped and the next message opens a new one; a kept connection the server closed
    before a message began (an idle timeout) is opened again for that message. With
    XOAUTH2 each message has its own connection, as before. ``batch`` gives it only where
    the login needs aiosmtplib; other rounds go over ``blocking.BlockingSmtpSession``."""

    def __init__(self, transport: SmtpTransport) -> None:
        self.transport = transport
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: aiosmtplib.SMTP | None = None

    def __enter__(self) -> SmtpSession:
        return self  # the loop and the connection come with the first message

    def __exit__(self, *_exc: object) -> None:
        if self._loop is None:
            return
        try:
            self._loop.run_until_complete(self._drop(politely=True))
        finally:
            self._loop.close()
            self._loop = None

    def send_sync(
        self, message: EmailMessage | bytes, *, sender: str, recipients: Sequence[str]
    ) -> str:
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
        if self.transport._oauth is not None or isinstance(recipients, str) or not recipients:
            return self._loop.run_until_complete(
                self.transport.send(message, sender=sender, recipients=recipients))
        return self._loop.run_until_complete(self._send(message, sender, list(recipients)))

    async def _send(self, message: EmailMessage | bytes, sender: str,
                    recipients: list[str]) -> str:
        transport = self.transport
        for attempt in (1, 2):
            reused = self._client is not None and self._client.is_connected
            begun: list[bool] = []
            try:
                if not reused:
                    await self._drop(politely=False)
                    self._client = transport._client(password=transport._password)
                    await _open(self._client)
                assert self._client is not None
                return await _transfer(self._client, message, sender, recipients, begun)
            except SendError:
                await self._drop(politely=False)
                raise
            except aiosmtplib.SMTPServerDisconnected as exc:
                await self._drop(politely=False)
                if reused and attempt == 1 and not begun:
                    continue  # the server closed the kept connection: once more, fresh
                raise _translate(exc, transport.where, transport._username) from exc
            except (aiosmtplib.SMTPException, OSError, TimeoutError, ValueError) as exc:
                await self._drop(politely=False)
                raise _translate(exc, transport.where, transport._username) from exc
        raise AssertionError("unreachable")

    async def _drop(self, *, politely: bool) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        if politely and client.is_connected:
            await _quit(client)
        client.close()
        if client.protocol is not None:
            await _closed(client.protocol)


def _connect_and_greet(client: aiosmtplib.SMTP) -> Any:
    async def greet() -> None:
        await client.connect()
        await client.ehlo()
    return greet


async def _deliver(
    client: aiosmtplib.SMTP,
    message: EmailMessage | bytes,
    sender: str,
    recipients: list[str],
) -> str:
    await _open(client)
    reply = await _transfer(client, message, sender, recipients)
    await _quit(client)
    return reply


async def _open(client: aiosmtplib.SMTP) -> None:
    await client.connect()
    if client.is_ehlo_or_helo_needed:
        try:
            await client.ehlo()
        except aiosmtplib.SMTPHeloError:
            await client.helo()


async def _quit(client: aiosmtplib.SMTP) -> None:
    protocol = client.protocol
    # The message is the server's now: a failing QUIT must not make the outbox send it again.
    with contextlib.suppress(aiosmtplib.SMTPException, OSError, TimeoutError):
        await client.quit()
    if protocol is not None:
        await _closed(protocol)


async def _transfer(
    client: aiosmtplib.SMTP,
    message: EmailMessage | bytes,
    sender: str,
    recipients: list[str],
    begun: list[bool] | None = None,
) -> str:
    """One message on an open connection: MAIL, RCPT for each recipient (all refused or
    none: the envelope is reset), DATA. ``begun`` is told when DATA starts (from then on
    the message may have reached the server)."""
    wire = envelope(message, sender, recipients, client.supports_extension)
    await client.mail(sender, options=wire.options, encoding=wire.encoding)
    refused: list[aiosmtplib.SMTPRecipientRefused] = []
    for recipient in recipients:
        try:
            await client.rcpt(recipient, encoding=wire.encoding)
        except aiosmtplib.SMTPRecipientRefused as exc:
            refused.append(exc)
    if refused:
        with contextlib.suppress(aiosmtplib.SMTPException, OSError):
            await client.rset()
        raise aiosmtplib.SMTPRecipientsRefused(refused)
    if begun is not None:
        begun.append(True)
    reply = await client.data(wire.data)
    return reply.message


async def _closed(protocol: asyncio.BaseProtocol) -> None:
    """Wait (briefly) until the connection is closed. A TLS connection closes only after its
    close_notify exchange, in later turns of the event loop; ``send_sync`` ends the loop
    when ``send`` returns, which would leave the socket open until garbage collection."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CLOSE_WAIT
    while getattr(protocol, "transport", None) is not None and loop.time() < deadline:
        await asyncio.sleep(CLOSE_POLL)


def _tls_context(verify: bool, ca_file: str | Path | None) -> ssl.SSLContext:
    try:
        context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"config error: smtp.ca_file: cannot load {ca_file}: {exc}") from exc
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _translate(exc: BaseException, where: str, username: str | None, *,
               oauth: bool = False) -> SendError:
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        return failures.login_refused(where, username, exc.code, exc.message, oauth=oauth)
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        return failures.recipients_refused(
            where, [(r.recipient, r.code, r.message) for r in exc.recipients])
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return failures.answered(where, exc.code, exc.message)
    certificate = failures.certificate_error(exc)
    if certificate is not None:
        return failures.untrusted(where, certificate)
    if type(exc) in (aiosmtplib.SMTPException, aiosmtplib.SMTPNotSupported):
        return failures.lacking(where, exc.message)
    if isinstance(exc, ValueError):
        return failures.unsendable(where, exc)
    if isinstance(exc, TimeoutError):
        return failures.timed_out(where, exc)
    return failures.unavailable(where, exc)
