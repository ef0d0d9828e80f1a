"""The console served by uvicorn from a thread inside `mailbot run`, on `console.listen`."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import httpx2
import pytest

from mailbot.console.server import console_server, parse_listen
from mailbot.errors import ConfigError
from tests.harness.wait import wait_for
from tests.unit.console_support import console_settings


def test_listen_addresses() -> None:
    assert parse_listen("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert parse_listen("[::1]:8081") == ("::1", 8081)
    assert parse_listen(":8082") == ("0.0.0.0", 8082)
    for bad in ("localhost", "127.0.0.1:http", "127.0.0.1:70000"):
        with pytest.raises(ConfigError, match=r"console\.listen"):
            parse_listen(bad)


def test_the_server_answers_over_http_and_stops(tmp_path: Path, smtp_sink, app_factory) -> None:
    app = app_factory(console_settings(tmp_path, smtp_sink.url,
                                       console={"listen": "127.0.0.1:0"}))
    server = console_server(app)
    assert server is not None
    server.start()
    try:
        response = httpx2.get(f"{server.url}/login", timeout=5)
        assert response.status_code == 200 and "mailbot" in response.text
        assert "server" not in response.headers
        assert httpx2.get(f"{server.url}/healthz", timeout=5).json()["db"] == "ok"
    finally:
        server.stop()
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"{server.url}/login", timeout=2)


def test_a_port_in_use_stops_start_up_with_a_clear_message(
        tmp_path: Path, smtp_sink, app_factory) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    app = app_factory(console_settings(tmp_path, smtp_sink.url,
                                       console={"listen": f"127.0.0.1:{port}"}))
    server = console_server(app)
    assert server is not None
    try:
        with pytest.raises(ConfigError,
                           match=rf"console\.listen: cannot listen on 127\.0\.0\.1:{port}"):
            server.start()
    finally:
        taken.close()


def test_no_console_when_listen_is_empty(tmp_path: Path, smtp_sink, app_factory) -> None:
    app = app_factory(console_settings(tmp_path, smtp_sink.url, console={"listen": ""}))
    assert console_server(app) is None


def test_run_forever_serves_the_console_beside_the_daemon_and_stops_both(
        tmp_path: Path, smtp_sink, app_factory) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    app = app_factory(console_settings(tmp_path, smtp_sink.url,
                                       console={"listen": f"127.0.0.1:{port}"}))
    thread = threading.Thread(target=app.run_forever, daemon=True)
    thread.start()

    def healthy() -> bool:
        try:
            return httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
        except httpx2.TransportError:
            return False

    try:
        wait_for(healthy, timeout=20, message="the console's /healthz with a daemon heartbeat")
    finally:
        app.daemon.stop.set()
        thread.join(20)
    assert not thread.is_alive()
    with pytest.raises(httpx2.ConnectError):
        httpx2.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
