"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser), and the
console served by uvicorn from a thread, as inside `mailbot run`."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def off_the_browser_loop(step: Callable[[], Any]) -> Any:
    """Run a mailbot step in another thread: Playwright's event loop owns this one, and the
    outbox runs its own."""
    with ThreadPoolExecutor(1) as worker:
        return worker.submit(step).result()


@dataclass
class Problems:
    """What a page must never do: open a dialog, log an error, throw."""

    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.dialogs or self.console_errors or self.page_errors)


@dataclass
class Tab:
    page: Any
    problems: Problems


@pytest.fixture
def tab(tmp_path: Path) -> Iterator[Tab]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-test-deps.sh")
    from playwright.sync_api import sync_playwright

    profile = tmp_path / "chromium-profile"
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            locale="en-GB", viewport={"width": 1280, "height": 900})
        problems = Problems()
        page = context.new_page()

        def on_dialog(dialog: Any) -> None:
            problems.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("console", lambda message: problems.console_errors.append(message.text)
                if message.type == "error" else None)
        page.on("pageerror", lambda error: problems.page_errors.append(str(error)))
        try:
            yield Tab(page, problems)
        finally:
            context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def serve_console() -> Iterator[Callable[[Any], str]]:
    from mailbot.console.app import create_app
    from mailbot.console.server import ConsoleServer

    servers: list[ConsoleServer] = []

    def serve(app: Any) -> str:
        server = ConsoleServer(create_app(app), "127.0.0.1:0")
        server.start()
        servers.append(server)
        return server.url

    yield serve
    for server in servers:
        server.stop()
