"""What the console tests share: a mailbot on a Maildir with invented mails, staff of each role,
and an HTTP client that signs in and fills in forms the way a browser does."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from mailbot.bootstrap import App
from mailbot.config import Settings
from mailbot.console.app import create_app
from mailbot.console.auth import SessionPolicy, ThrottlePolicy
from mailbot.service import users
from tests.harness.app import make_settings

PASSWORD = "a long enough password"
STAFF = {"Vera Viewer": "viewer", "Arie Approver": "approver", "Ada Admin": "admin"}
VIEWER, APPROVER, ADMIN = STAFF
DMARC = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def console_settings(tmp_path: Path, smtp_url: str, **sections: dict[str, Any]) -> Settings:
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    sections.setdefault("verification", {"trusted_authserv_ids": ["mx.example.org"]})
    return make_settings(tmp_path, mailbox_url=f"maildir://{maildir}", smtp_url=smtp_url,
                         **sections)


_delivered = [0]


def deliver(app: App, raw: bytes, received: datetime) -> None:
    """Put a mail in the Maildir, as received at ``received``, and let mailbot take it in."""
    maildir = Path(app.settings.mailbox.url.removeprefix("maildir://"))
    _delivered[0] += 1
    path = maildir / "new" / f"{_delivered[0]}.test.eml"
    path.write_bytes(raw)
    os.utime(path, (received.timestamp(), received.timestamp()))
    app.daemon.run_once()


def add_staff(app: App) -> None:
    for name, role in STAFF.items():
        users.add(app.service, name, role, PASSWORD, by=None)


@dataclass
class Browser:
    """A TestClient that keeps cookies and knows the forms' CSRF token, like a browser."""

    client: TestClient
    pages: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **kwargs: Any) -> Any:
        response = self.client.get(path, **kwargs)
        self.pages[path] = response.text
        return response

    def token(self, path: str = "/queue") -> str:
        text = self.pages.get(path) or self.get(path).text
        found = re.search(r'name="csrf_token" value="([^"]+)"', text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def post(self, path: str, data: dict[str, str] | None = None, *, page: str = "/queue",
             csrf: str | None = "from the page", **kwargs: Any) -> Any:
        form = dict(data or {})
        if csrf == "from the page":
            form["csrf_token"] = self.token(page)
        elif csrf is not None:
            form["csrf_token"] = csrf
        kwargs.setdefault("follow_redirects", False)
        return self.client.post(path, data=form, **kwargs)

    def login(self, name: str, password: str = PASSWORD) -> Any:
        self.get("/login")
        return self.post("/login", {"name": name, "password": password, "next": "/queue"},
                         page="/login")


def browser(app: App, clock: Clock, *, https: bool = False,
            sessions: SessionPolicy | None = None, throttle: ThrottlePolicy | None = None,
            language: str = "en") -> Browser:
    web = create_app(app, clock=clock, sessions=sessions, throttle=throttle)
    client = TestClient(web, base_url="https://testserver" if https else "http://testserver",
                        headers={"Accept-Language": language})
    return Browser(client)


def signed_in(app: App, clock: Clock, name: str, **kwargs: Any) -> Browser:
    staff = browser(app, clock, **kwargs)
    response = staff.login(name)
    assert response.status_code == 303, response.text
    return staff


def text_of(html: str) -> str:
    """The page's text without tags, whitespace folded (for asserting what a reader sees)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
