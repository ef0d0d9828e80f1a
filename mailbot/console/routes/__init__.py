"""The console's pages, one module per part of the console."""

from __future__ import annotations

from mailbot.console.web import Page


def all_pages() -> list[Page]:
    from mailbot.console.routes import (
        clients,
        outbox,
        quarantine,
        queue,
        register,
        requests,
        session,
        users,
    )

    return [page for module in (session, queue, requests, quarantine, outbox, register, clients,
                                users)
            for page in module.PAGES.pages]
