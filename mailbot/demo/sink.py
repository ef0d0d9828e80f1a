"""The demo's outgoing mail server: aiosmtpd on localhost, every message kept as a file.

``LocalSmtpServer`` (aiosmtpd in a thread, restartable on the same port) is also the base
of the test suite's SMTP sink.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from mailbot.store.files import private_dir

log = logging.getLogger(__name__)


class _Controller(Controller):
    """A Controller that may listen on port 0 and then knows the port it got."""

    def _create_server(self) -> Coroutine[Any, Any, asyncio.AbstractServer]:
        return self._listen()

    async def _listen(self) -> asyncio.AbstractServer:
        server = await self.loop.create_server(
            self._factory_invoker, host=self.hostname, port=self.port, ssl=self.ssl_context
        )
        self.port = server.sockets[0].getsockname()[1]
        return server


class LocalSmtpServer:
    """An SMTP server in a background thread, handing messages to an aiosmtpd ``handler``.

    ``port=0`` picks a free port at the first ``start()``; ``stop()`` and a later ``start()``
    keep it, so clients see a server that was down for a while. ``smtp_options`` go to
    aiosmtpd's ``SMTP`` (``tls_context``, ``authenticator``, ...); ``ssl_context`` makes
    the server speak TLS from the first byte (smtps).
    """

    scheme = "smtp"

    def __init__(
        self, handler: object, *, host: str = "127.0.0.1", port: int = 0, **smtp_options: Any
    ) -> None:
        self.handler = handler
        self.host = host
        self._port = port
        self._options = smtp_options
        self._controller: _Controller | None = None
        if smtp_options.get("ssl_context") is not None:
            self.scheme = "smtps"

    @property
    def port(self) -> int:
        if not self._port:
            raise RuntimeError("the server has no port before its first start()")
        return self._port

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is not None:
            return
        controller = _Controller(
            self.handler,
            hostname=self.host,
            port=self._port,
            server_hostname="localhost",
            **self._options,
        )
        controller.start()
        self._port = controller.port
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class DirectoryHandler:
    """Stores each message as ``<UTC timestamp>-<n>.eml`` in ``directory``, atomically.

    ``Return-Path`` and one ``Delivered-To`` per recipient are prepended, as a real
    mail server would, so the envelope can be read from the file.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._numbers = itertools.count(1)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        trace = [f"Return-Path: <{envelope.mail_from or ''}>"]
        trace += [f"Delivered-To: {rcpt}" for rcpt in envelope.rcpt_tos]
        data = "".join(f"{line}\r\n" for line in trace).encode() + content
        try:
            path = self.store(data)
        except OSError:
            log.exception("demo sink: cannot store a message in %s", self.directory)
            return "451 4.3.0 cannot store the message"
        return f"250 2.0.0 OK stored as {path.name}"

    def store(self, data: bytes) -> Path:
        now = datetime.now(UTC)
        name = f"{now:%Y%m%dT%H%M%S%f}Z-{next(self._numbers):04d}.eml"
        final = self.directory / name
        temporary = self.directory / f".{name}.tmp"
        try:
            with temporary.open("xb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            temporary.replace(final)
        finally:
            temporary.unlink(missing_ok=True)
        return final


class EmlDirectorySink(LocalSmtpServer):
    """The demo's SMTP server: ``EmlDirectorySink(Path("var/demo/sent")).start()``, then
    send to ``.url``; ``stored()`` lists the files received so far, oldest first."""

    def __init__(self, directory: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = Path(directory)
        super().__init__(DirectoryHandler(self.directory), host=host, port=port)

    def start(self) -> None:
        private_dir(self.directory)
        super().start()

    def stored(self) -> list[Path]:
        return sorted(self.directory.glob("*.eml"))
