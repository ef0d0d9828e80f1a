"""The console's pages, one module per part of the console."""

from __future__ import annotations

from mailbot.console.web import Page


def all_pages() -> list[Page]:
    from mailbot.console.routes import (
        clients,
        quarantine,
        register,
        requests,
        session,
    )
    from mailbot.console.routes import queue as queue_pages

    return [page for module in (session, queue_pages, requests, quarantine, register, clients)
            for page in module.PAGES.pages]
