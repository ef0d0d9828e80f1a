"""A round of messages over one connection on a blocking socket (``smtplib``): the outbox's
rounds without XOAUTH2, by the rules of ``transport.SmtpSession`` and with its failures, at
about a third of its CPU a message (no event loop to turn for every command).

A message is sent to all its recipients or to none: when any RCPT is refused the envelope
is reset before DATA. After any failure the connection is dropped and the next message opens
a new one. A kept connection the server closed, or spoke on unasked (an idle timeout's 421),
is opened again for the next message, and so is one lost before DATA began; never once DATA
has begun, from when the message may have reached the server.
"""

from __future__ import annotations

import contextlib
import re
import select
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from functools import lru_cache

from aiosmtplib import email as _aiosmtplib_email

from mailbot.errors import PermanentSendError, SendError
from mailbot.send import failures
from mailbot.send.envelope import envelope

_LINE_ENDINGS = re.compile(rb"(?:\r\n|\n|\r(?!\n))")  # each one sent as CRLF, as aiosmtplib does


@dataclass(frozen=True)
class Endpoint:
    """Where and how to connect, as ``SmtpTransport`` read it from ``smtp.*``."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None
    timeout: float
    tls_context: ssl.SSLContext

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


class BlockingSmtpSession:
    """``with BlockingSmtpSession(endpoint) as s: s.send_sync(...)``; QUIT at the end."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._client: smtplib.SMTP | None = None
        self._local_hostname: str | None = None  # found once: smtplib asks the resolver

    def __enter__(self) -> BlockingSmtpSession:
        return self  # the connection comes with the first message

    def __exit__(self, *_exc: object) -> None:
        self._drop(politely=True)

    def send_sync(
        self, message: EmailMessage | bytes, *, sender: str, recipients: Sequence[str]
    ) -> str:
        """Deliver ``message`` to ``recipients``; return the server's reply to DATA."""
        if isinstance(recipients, str) or not recipients:
            raise PermanentSendError("no recipients (pass a sequence of addresses)")
        for attempt in (1, 2):
            reused = self._client is not None and _still_open(self._client)
            begun: list[bool] = []
            try:
                if not reused:
                    self._drop(politely=False)
                    self._client = self._open()
                assert self._client is not None
                return _transfer(self._client, message, sender, list(recipients), begun)
            except SendError:
                self._drop(politely=False)
                raise
            except smtplib.SMTPServerDisconnected as exc:
                self._drop(politely=False)
                if reused and attempt == 1 and not begun and not _timed_out(exc):
                    continue  # the server closed the kept connection: once more, fresh
                raise _translate(exc, self.endpoint) from exc
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                self._drop(politely=False)
                raise _translate(exc, self.endpoint) from exc
        raise AssertionError("unreachable")

    def _open(self) -> smtplib.SMTP:
        """Connect, greet, STARTTLS and log in as configured; a SendError when connecting
        failed, smtplib's exceptions after that."""
        end = self.endpoint
        try:  # smtplib connects and reads the greeting here, and closes on failure
            client = (
                smtplib.SMTP_SSL(end.host, end.port, local_hostname=self._local_hostname,
                                 timeout=end.timeout, context=end.tls_context)
                if end.implicit_tls else
                smtplib.SMTP(end.host, end.port, local_hostname=self._local_hostname,
                             timeout=end.timeout))
        except smtplib.SMTPConnectError as exc:
            raise _translate(exc, end) from exc  # a greeting other than 220
        except (smtplib.SMTPException, OSError) as exc:
            raise _connecting(exc, end) from exc
        self._local_hostname = client.local_hostname
        try:
            if end.starttls:
                client.ehlo_or_helo_if_needed()
                if not client.has_extn("starttls"):
                    raise smtplib.SMTPNotSupportedError(
                        "SMTP STARTTLS extension not supported by server.")
                code, reply = client.starttls(context=end.tls_context)
                if code != 220:
                    raise smtplib.SMTPResponseException(code, reply)
            client.ehlo_or_helo_if_needed()
            if end.username is not None:
                _login(client, end.username, end.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def _drop(self, *, politely: bool) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        if politely and client.sock is not None:
            # every message is the server's by now: a failing QUIT changes nothing
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()
        client.close()


def _login(client: smtplib.SMTP, username: str, password: str) -> None:
    if not client.has_extn("auth"):
        hint = "" if isinstance(client.sock, ssl.SSLSocket) else \
            " Try connecting via TLS (or STARTTLS)."
        raise smtplib.SMTPNotSupportedError(
            f"The SMTP AUTH extension is not supported by this server.{hint}")
    client.login(username, password)


def _still_open(client: smtplib.SMTP) -> bool:
    """Whether a kept connection can carry the next message: nothing has come from the
    server since its last reply (a close or an unasked 421 would be waiting to be read)."""
    sock = client.sock
    if sock is None:
        return False
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return False
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return not poller.poll(0)


@lru_cache(maxsize=1024)
def quote_address(address: str) -> str:
    """aiosmtplib's quoting of an address for MAIL and RCPT (``email.utils.parseaddr`` and
    its check for characters no command line may hold), remembered: the sender is the same in
    every message of a round, and a pure function of the string is quoted once. An address
    refused (aiosmtplib's ``ValueError``) is not remembered: it is raised every time, as
    before."""
    return _aiosmtplib_email.quote_address(address)


def _transfer(client: smtplib.SMTP, message: EmailMessage | bytes, sender: str,
              recipients: list[str], begun: list[bool]) -> str:
    """One message on an open connection: MAIL, RCPT for each recipient (all refused or
    none: the envelope is reset), DATA. ``begun`` is told when DATA starts."""
    wire = envelope(message, sender, recipients, client.has_extn)
    client.command_encoding = wire.encoding
    parameters = "".join(f" {option}" for option in wire.options)
    code, reply = client.docmd("MAIL", f"FROM:{quote_address(sender)}{parameters}")
    if code != 250:
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused: dict[str, tuple[int, bytes]] = {}
    for recipient in recipients:
        code, reply = client.docmd("RCPT", f"TO:{quote_address(recipient)}")
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if refused:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            client.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    begun.append(True)
    code, reply = client.data(_LINE_ENDINGS.sub(b"\r\n", wire.data))
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return failures.reply_text(reply)


def _timed_out(exc: BaseException) -> bool:
    """smtplib reports a read that timed out as a lost connection, the timeout its context."""
    return isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)


def _connecting(exc: BaseException, end: Endpoint) -> SendError:
    certificate = failures.certificate_error(exc)
    if certificate is not None:
        return failures.untrusted(end.where, certificate)
    if _timed_out(exc):
        return failures.timed_out(end.where, f"Timed out connecting to {end.host} on port "
                                             f"{end.port}")
    return failures.unavailable(end.where, f"Error connecting to {end.host} on port "
                                           f"{end.port}: {exc}")


def _translate(exc: BaseException, end: Endpoint) -> SendError:
    where = end.where
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return failures.login_refused(where, end.username, exc.smtp_code,
                                      failures.reply_text(exc.smtp_error))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return failures.recipients_refused(where, [
            (recipient, code, failures.reply_text(reply))
            for recipient, (code, reply) in exc.recipients.items()])
    if isinstance(exc, smtplib.SMTPResponseException):
        # smtplib's -1: a reply without a code, which aiosmtplib calls a 500
        code = exc.smtp_code if exc.smtp_code >= 0 else 500
        return failures.answered(where, code, failures.reply_text(exc.smtp_error))
    certificate = failures.certificate_error(exc)
    if certificate is not None:
        return failures.untrusted(where, certificate)
    if type(exc) in (smtplib.SMTPException, smtplib.SMTPNotSupportedError):
        return failures.lacking(where, str(exc))
    if isinstance(exc, ValueError):
        return failures.unsendable(where, exc)
    if _timed_out(exc):
        return failures.timed_out(where, "Timed out waiting for server response")
    return failures.unavailable(where, exc)
