"""Issue 12 (flat growth): long lists come in pages. 105 request mails through Dovecot; then
`mailbot requests list --json --limit/--offset` (a separate process) and the console's queue
over HTTP (uvicorn, signed in) each show them in pages that together hold every request
once, in the list's order, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest

from mailbot.console.app import create_app
from mailbot.console.server import ConsoleServer
from mailbot.domain.states import OPEN_STATUSES
from mailbot.service import users
from tests.harness.app import make_settings
from tests.harness.mails import mail
from tests.integration.test_register_flow import mailbot

pytestmark = pytest.mark.dovecot

COUNT = 105  # a full page of the queue (100) and some


@pytest.fixture
def app(tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> Any:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url)
    app = app_factory(settings)
    users.add(app.service, "Staff", "admin", "a long enough password", by=None)
    for n in range(COUNT):
        dovecot.append(mail(f"Stuur me een overzicht van mijn gegevens (nr. {n}).",
                            sender=f"Persoon {n} <persoon{n}@example.org>"))
    app.daemon.run_once()
    return app


@pytest.fixture
def console(app: Any) -> Iterator[httpx2.Client]:
    server = ConsoleServer(create_app(app), "127.0.0.1:0")
    server.start()
    try:
        with httpx2.Client(base_url=server.url, timeout=30) as client:
            page = client.get("/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            signed_in = client.post("/login", data={
                "name": "Staff", "password": "a long enough password", "next": "/queue",
                "csrf_token": token})
            assert signed_in.status_code == 303
            yield client
    finally:
        server.stop()


def listed(app: Any, tmp_path: Path, *options: str) -> list[dict[str, Any]]:
    rows = json.loads(mailbot(app, tmp_path, "requests", "list", "--json", *options))
    assert isinstance(rows, list)
    return rows


def references(page: str) -> list[str]:
    return re.findall(r'<td><a href="/requests/([^"]+)">', page)


def test_requests_list_and_the_queue_come_in_pages_that_hold_every_request_once(
        app: Any, tmp_path: Path, console: httpx2.Client) -> None:
    everything = listed(app, tmp_path)
    assert len(everything) == COUNT
    assert {r["sender"] for r in everything} == {f"persoon{n}@example.org"
                                                 for n in range(COUNT)}
    first = listed(app, tmp_path, "--limit", "40")
    second = listed(app, tmp_path, "--limit", "40", "--offset", "40")
    last = listed(app, tmp_path, "--limit", "40", "--offset", "80")
    assert [len(first), len(second), len(last)] == [40, 40, 25]
    assert first + second + last == everything  # the same rows, fields and order
    assert set(everything[0]) >= {"id", "kind", "status", "sender", "language",
                                  "received_at", "due_at", "subject"}
    assert listed(app, tmp_path, "--offset", str(COUNT)) == []
    refused = subprocess.run([sys.executable, "-m", "mailbot", "--config",
                              str(tmp_path / "mailbot.toml"), "requests", "list", "--limit",
                              "0"], capture_output=True, text=True, timeout=60, check=False)
    assert refused.returncode == 2 and "--limit" in refused.stderr

    assert {r["status"] for r in everything} <= {str(s) for s in OPEN_STATUSES}
    page = console.get("/queue")
    assert page.status_code == 200
    assert "<strong>105</strong>" in page.text  # the open count is of all of them
    on_first = references(page.text)
    assert len(on_first) == 100 and 'rel="prev"' not in page.text
    next_link = re.search(r'<a rel="next" href="([^"]+)"', page.text)
    assert next_link is not None
    page = console.get(next_link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200
    on_second = references(page.text)
    assert len(on_second) == 5
    assert 'rel="prev"' in page.text and 'rel="next"' not in page.text
    assert on_first + on_second == [r["reference"] for r in everything]  # by due date, once
