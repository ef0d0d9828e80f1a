"""The console's ASGI app: the staff pages, the verification link, ``/healthz`` and the one
stylesheet, all served by mailbot itself."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from mailbot.console.auth import LoginThrottle, SessionPolicy, Sessions, ThrottlePolicy
from mailbot.console.routes import all_pages
from mailbot.console.security import SecurityHeaders
from mailbot.console.verify_link import verification_routes
from mailbot.console.web import Console

if TYPE_CHECKING:
    from mailbot.bootstrap import App

STATIC = Path(__file__).with_name("static")


def create_app(app: App, *, clock: Callable[[], datetime] | None = None,
               sessions: SessionPolicy | None = None,
               throttle: ThrottlePolicy | None = None) -> Starlette:
    console = Console(app, clock=clock or app.ingestor.clock, sessions=Sessions(sessions),
                      throttle=LoginThrottle(throttle))
    routes: list[BaseRoute] = [console.route(page) for page in all_pages()]
    routes += verification_routes(app.uow, lambda uow: app.context(uow))
    routes += [Route("/healthz", health_endpoint(app), methods=["GET"]),
               Route("/favicon.ico", favicon, methods=["GET"]),
               Mount("/static", StaticFiles(directory=STATIC), name="static")]
    web = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)])
    web.state.console = console
    return web


async def favicon(_request: HttpRequest) -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


def health(app: App) -> tuple[bool, dict[str, object]]:
    """Whether the database answers and the daemon beats, and the figures that say so."""
    from mailbot.bootstrap import heartbeat_path
    from mailbot.daemon import HEARTBEAT_EVERY

    report: dict[str, object] = {}
    try:
        with app.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        report["db"] = "ok"
    except SQLAlchemyError as exc:
        report["db"] = f"error: {type(exc).__name__}"
    beat = heartbeat_path(app.settings)
    age = time.time() - beat.stat().st_mtime if beat.exists() else None
    report["heartbeat_age"] = None if age is None else round(age, 1)
    limit = 3 * HEARTBEAT_EVERY + 30
    report["heartbeat_limit"] = limit
    healthy = report["db"] == "ok" and age is not None and age <= limit
    report["status"] = "ok" if healthy else "unhealthy"
    return healthy, report


def health_endpoint(app: App) -> Callable[[HttpRequest], object]:
    async def endpoint(_request: HttpRequest) -> JSONResponse:
        healthy, report = await run_in_threadpool(health, app)
        return JSONResponse(report, status_code=200 if healthy else 503,
                            headers={"Cache-Control": "no-store"})
    return endpoint
