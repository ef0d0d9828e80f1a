"""Serve the console from a thread inside the daemon (uvicorn), on ``console.listen``."""

from __future__ import annotations

import logging
import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp

from mailbot.console.app import ConsoleParts, create_app
from mailbot.errors import ConfigError

log = logging.getLogger(__name__)


def parse_listen(listen: str) -> tuple[str, int]:
    """``127.0.0.1:8080``, ``[::1]:8080`` or ``:8080`` (every address) as host and port."""
    host, sep, port = listen.strip().rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ConfigError(f"config error: console.listen: {listen!r} is not HOST:PORT")
    host = host.strip("[]") or "0.0.0.0"
    return host, int(port)


class ConsoleServer:
    """uvicorn in a thread. The socket is bound in ``start`` (so a port in use stops start-up
    with a clear error) and the server is stopped by ``stop``."""

    def __init__(self, asgi: ASGIApp, listen: str,
                 trusted_proxies: tuple[str, ...] = ()) -> None:
        self.host, self.port = parse_listen(listen)
        self.asgi = asgi
        self.trusted_proxies = trusted_proxies
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> None:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            sock.close()
            raise ConfigError(f"config error: console.listen: cannot listen on "
                              f"{self.host}:{self.port}: {exc.strerror}") from exc
        sock.listen(128)
        self.port = sock.getsockname()[1]
        # access_log off: the verification link's path holds its token until it is used.
        # X-Forwarded-For only from configured proxies (uvicorn trusts 127.0.0.1 by default).
        config = uvicorn.Config(self.asgi, log_level="warning", access_log=False,
                                lifespan="off", server_header=False,
                                proxy_headers=bool(self.trusted_proxies),
                                forwarded_allow_ips=",".join(self.trusted_proxies) or None)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name="mailbot-console", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise ConfigError(f"the console did not start on {self.url}")
            time.sleep(0.02)
        log.info("console at %s", self.url)

    def stop(self, timeout: float = 10.0) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._server = self._thread = None


def console_server(app: ConsoleParts) -> ConsoleServer | None:
    """The console for ``app`` on ``console.listen``; None when that is empty."""
    listen = app.settings.console.listen.strip()
    if not listen:
        return None
    return ConsoleServer(create_app(app), listen, app.settings.console.trusted_proxies)
