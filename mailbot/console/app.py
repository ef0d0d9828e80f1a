"""The console's ASGI app: the staff pages, the verification link, ``/healthz`` and the one
stylesheet, all served by mailbot itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request as HttpRequest
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from mailbot.config import Settings
from mailbot.console.auth import LoginThrottle, SessionPolicy, Sessions, ThrottlePolicy
from mailbot.console.routes import all_pages
from mailbot.console.security import SecurityHeaders
from mailbot.console.verify_link import verification_routes
from mailbot.console.web import Console
from mailbot.health import check_health
from mailbot.metrics import CONTENT_TYPE, Metrics
from mailbot.service.base import Service
from mailbot.store.database import Database

STATIC = Path(__file__).with_name("static")


class ConsoleParts(Protocol):
    """What the console needs of the wired application (``bootstrap.App``)."""

    settings: Settings
    service: Service
    database: Database
    metrics: Metrics


def create_app(app: ConsoleParts, *, clock: Callable[[], datetime] | None = None,
               sessions: SessionPolicy | None = None,
               throttle: ThrottlePolicy | None = None) -> Starlette:
    service = app.service
    if clock is not None:  # the staff actions keep the console's time
        service = replace(service, services=replace(service.services, clock=clock))
    console = Console(service, clock=service.services.clock, sessions=Sessions(sessions),
                      throttle=LoginThrottle(throttle))
    routes: list[BaseRoute] = [console.route(page) for page in all_pages()]
    routes += verification_routes(app.database.uow,
                                  lambda uow: app.service.services.context(uow.repo))
    routes += [Route("/healthz", health_endpoint(app), methods=["GET"]),
               Route("/metrics", metrics_endpoint(app.metrics), methods=["GET"]),
               Route("/favicon.ico", favicon, methods=["GET"]),
               Mount("/static", StaticFiles(directory=STATIC), name="static")]
    web = Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                    exception_handlers={404: console.not_found})
    web.state.console = console
    return web


async def favicon(_request: HttpRequest) -> RedirectResponse:
    return RedirectResponse("/static/favicon.svg", status_code=301)


def health(app: ConsoleParts) -> tuple[bool, dict[str, object]]:
    """See mailbot/health.py."""
    return check_health(app.settings, app.database)


def health_endpoint(app: ConsoleParts) -> Callable[[HttpRequest], object]:
    async def endpoint(_request: HttpRequest) -> JSONResponse:
        healthy, report = await run_in_threadpool(health, app)
        return JSONResponse(report, status_code=200 if healthy else 503,
                            headers={"Cache-Control": "no-store"})
    return endpoint


def metrics_endpoint(metrics: Metrics) -> Callable[[HttpRequest], object]:
    async def endpoint(_request: HttpRequest) -> Response:
        body = await run_in_threadpool(metrics.exposition)
        return Response(body, media_type=CONTENT_TYPE, headers={"Cache-Control": "no-store"})
    return endpoint
