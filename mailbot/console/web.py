"""The console's plumbing: every page runs through ``Console.serve``, which opens a unit of
work, finds the signed-in person, refuses what they may not do (no session, a bad CSRF token,
a role too low) and renders the answer in their language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from mailbot.console import csrf
from mailbot.console.auth import LoginThrottle, Role, Sessions, Staff
from mailbot.console.i18n import Translator, choose
from mailbot.domain.states import DraftStatus, OutboxStatus
from mailbot.draft.dates import long_date
from mailbot.draft.render import default_templates_dir
from mailbot.errors import MailbotError, NotAllowed, NotFound, Refused
from mailbot.service.base import Service
from mailbot.store.repository import Repository
from mailbot.store.uow import UnitOfWork

SESSION_COOKIE = "mailbot_session"
LANGUAGE_COOKIE = "mailbot_lang"
MAX_BODY = 2 * 1024 * 1024  # bytes of a form; a draft's text is far smaller
PAGE_SIZE = 100  # rows of a list on one page

Handler = Callable[["Call"], Response]


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    handler: Handler
    methods: tuple[str, ...]
    role: Role | None  # None: no sign-in needed (the login page)
    csrf: bool = True  # a POST must carry the form's token


def _missing(call: Call) -> Response:
    raise Refused(404, "error.not_found")


class Pages:
    """A module's pages, collected by decorators."""

    def __init__(self) -> None:
        self.pages: list[Page] = []

    def get(self, path: str, *, role: Role | None = Role.VIEWER) -> Callable[[Handler], Handler]:
        return self._add(path, ("GET",), role)

    def post(self, path: str, *, role: Role | None = Role.VIEWER) -> Callable[[Handler],
                                                                               Handler]:
        return self._add(path, ("POST",), role)

    def _add(self, path: str, methods: tuple[str, ...],
             role: Role | None) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.pages.append(Page(path, handler, methods, role))
            return handler
        return register


@dataclass
class Pager:
    """One page of a long list: fetch ``size + 1`` rows from ``offset``; ``rows`` keeps
    ``size`` and tells whether a next page exists."""

    number: int
    size: int
    request: HttpRequest
    more: bool = False

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def rows(self, found: Sequence[Any]) -> list[Any]:
        self.more = len(found) > self.size
        return list(found[: self.size])

    def link(self, number: int) -> str:
        query = {**self.request.query_params, "page": str(number)}
        return f"{self.request.url.path}?{urlencode(query)}"

    @property
    def previous(self) -> str | None:
        return self.link(self.number - 1) if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.link(self.number + 1) if self.more else None


@dataclass
class Call:
    """One request as a page handler sees it."""

    console: Console
    request: HttpRequest
    uow: UnitOfWork
    form: Mapping[str, str]
    staff: Staff | None
    t: Translator
    csrf: str
    now: datetime
    cookies: list[dict[str, Any]] = field(default_factory=list)

    @property
    def repo(self) -> Repository:
        return self.uow.repo

    @property
    def me(self) -> Staff:
        if self.staff is None:
            raise Refused(403, "error.forbidden")
        return self.staff

    def query(self, name: str) -> str:
        return self.request.query_params.get(name, "").strip()

    def page(self, size: int = PAGE_SIZE) -> Pager:
        """Which page of a list the reader asked for (``?page=N``)."""
        number = self.query("page")
        return Pager(int(number) if number.isdigit() and int(number) > 0 else 1, size,
                     self.request)

    def field(self, name: str) -> str:
        return self.form.get(name, "")

    def int_path(self, name: str) -> int:
        return int(self.request.path_params[name])

    def require(self, role: Role) -> Staff:
        staff = self.me
        if not staff.may(role):
            raise Refused(403, "error.role", role=self.t.label("role", role))
        return staff

    @property
    def service(self) -> Service:
        return self.console.service

    @property
    def by(self) -> str:
        """Who acts: the signed-in staff member (the service layer checks their role)."""
        return self.me.name

    def acting(self) -> None:
        """End the page's own transaction before a staff action runs in its own."""
        self.uow.rollback()

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        return self.console.render(self, template, status, values)

    def redirect(self, path: str, **query: str) -> RedirectResponse:
        target = path + ("?" + urlencode(query) if query else "")
        return RedirectResponse(target, status_code=303)

    def set_cookie(self, name: str, value: str, *, max_age: int | None = None) -> None:
        self.cookies = [c for c in self.cookies if c["key"] != name]
        self.cookies.append({"key": name, "value": value, "max_age": max_age})


class Console:
    def __init__(self, service: Service, *, clock: Callable[[], datetime], sessions: Sessions,
                 throttle: LoginThrottle) -> None:
        self.service = service
        self.settings = service.settings
        self.clock = clock
        self.sessions = sessions
        self.throttle = throttle
        self.zone = ZoneInfo(self.settings.organisation.timezone)
        roots = [self.settings.paths.templates_dir, default_templates_dir()]
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(Path(root) / "console"))
                                            for root in roots if root is not None]
        self.env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True,
                                      lstrip_blocks=True)
        self.env.filters.update(when=self.when, day=self.day, facts=readable)

    def route(self, page: Page) -> Route:
        async def endpoint(request: HttpRequest) -> Response:
            form: dict[str, str] = {}
            if request.method == "POST":
                if int(request.headers.get("content-length") or 0) > MAX_BODY:
                    return HTMLResponse("request too large", status_code=413)
                data = await request.form(max_files=0, max_fields=200,
                                          max_part_size=MAX_BODY)
                form = {k: v for k, v in data.items() if isinstance(v, str)}
            return await run_in_threadpool(self.serve, request, form, page)

        return Route(page.path, endpoint, methods=list(page.methods))

    async def not_found(self, request: HttpRequest, _exc: Exception) -> Response:
        """A page that does not exist, styled and in the reader's language."""
        page = Page(request.url.path, _missing, (request.method,), None, csrf=False)
        return await run_in_threadpool(self.serve, request, {}, page)

    def serve(self, request: HttpRequest, form: Mapping[str, str], page: Page) -> Response:
        now = self.clock()
        with self.service.uow() as uow:
            token = request.cookies.get(SESSION_COOKIE)
            staff, changed = self.sessions.load(uow.repo, token, now)
            if changed:
                uow.commit()
            language = choose(staff.language if staff else None,
                              request.cookies.get(LANGUAGE_COOKIE),
                              accept_language=request.headers.get("accept-language"),
                              default=self.settings.organisation.language)
            anonymous_token = request.cookies.get(csrf.COOKIE)
            call = Call(self, request, uow, form, staff, Translator(language),
                        staff.csrf if staff else anonymous_token or csrf.new_token(), now)
            if staff is None and not anonymous_token:
                call.set_cookie(csrf.COOKIE, call.csrf)
            if token and staff is None:
                call.set_cookie(SESSION_COOKIE, "", max_age=0)
            try:
                response = self._answer(call, page)
            except NotFound:
                uow.rollback()
                response = self.refusal(call, Refused(404, "error.not_found"))
            except Refused as refusal:
                uow.rollback()
                response = self.refusal(call, refusal)
            except NotAllowed as exc:
                uow.rollback()
                response = self.refusal(call, Refused(403, "error.not_allowed", detail=str(exc)))
            except MailbotError as exc:
                uow.rollback()
                response = self.refusal(call, Refused(409, "error.not_done", detail=str(exc)))
        secure = request.url.scheme == "https"
        for cookie in call.cookies:
            response.set_cookie(**cookie, path="/", httponly=True, samesite="lax",
                                secure=secure)
        return response

    def _answer(self, call: Call, page: Page) -> Response:
        if page.role is not None and call.staff is None:
            target = call.request.url.path
            if call.request.url.query and call.request.method == "GET":
                target += "?" + call.request.url.query
            return call.redirect("/login", next=target)
        if (call.request.method == "POST" and page.csrf
                and not csrf.valid(call.csrf, call.form.get(csrf.FIELD))):
            raise Refused(403, "error.csrf")
        if page.role is not None:
            call.require(page.role)
        return page.handler(call)

    def refusal(self, call: Call, refusal: Refused) -> HTMLResponse:
        return self.render(call, "error.html", refusal.status,
                           {"message": call.t(refusal.key, **refusal.values)})

    def render(self, call: Call, template: str, status: int,
               values: Mapping[str, Any]) -> HTMLResponse:
        done = call.query("done")
        context = {
            "t": call.t, "lang": call.t.language, "staff": call.staff, "csrf": call.csrf,
            "csrf_input": Markup(f'<input type="hidden" name="{csrf.FIELD}" '
                                 f'value="{escape(call.csrf)}">'),
            "organisation": self.settings.organisation.name,
            "path": call.request.url.path, "Role": Role, "DraftStatus": DraftStatus,
            "OutboxStatus": OutboxStatus,
            "done": call.t(f"done.{done}") if done and call.t.has(f"done.{done}") else None,
            "here": _here(call.request),
            **values,
        }
        body = self.env.get_template(template).render(context)
        return HTMLResponse(body, status_code=status)

    def when(self, value: datetime | str | None) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def day(self, value: date | str | None, language: str = "en") -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return long_date(value, language)


def _here(request: HttpRequest) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


# The groups a value of these detail keys is named from, tried in this order.
_NAMED_BY = {"kind": ("kind",), "from": ("status", "kind"), "to": ("status", "kind"),
             "status": ("status",), "purpose": ("purpose",), "method": ("method",),
             "purposes": ("optout_purpose",), "added": ("optout_purpose",),
             "role": ("role",)}


def readable(value: object, t: Translator) -> list[tuple[str, str]]:
    """An event's details or a handler's findings as (name, text) pairs a person reads:
    names translated, known values named, lists and tables as lines; no JSON, and no ids
    (but a draft's number)."""
    if not isinstance(value, Mapping):
        return [] if value is None else [("", _text(value, t))]
    pairs = []
    for key, item in value.items():
        key = str(key)
        if key.endswith("_id") and key != "draft_id":
            continue
        label = t("detail." + key) if t.has("detail." + key) else \
            key.replace("_", " ").capitalize()
        text = _text(item, t, _NAMED_BY.get(key, ()))
        pairs.append((label, f"#{text}" if key == "draft_id" else text))
    return pairs


def _text(value: object, t: Translator, groups: tuple[str, ...] = ()) -> str:
    if value is None or value == [] or value == {}:
        return "-"
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, str):
        for group in groups:
            if t.has(f"{group}.{value}"):
                return t(f"{group}.{value}")
        return value
    if isinstance(value, Mapping):
        return "\n".join(f"{name}: {text}" for name, text in readable(value, t))
    if isinstance(value, list | tuple):
        if all(not isinstance(v, Mapping | list | tuple) for v in value):
            return ", ".join(_text(v, t, groups) for v in value)
        return "\n".join(_row(v, t) for v in value)
    return str(value)


def _row(value: object, t: Translator) -> str:
    """One item of a list of records: ``field: value`` pairs on one line."""
    if isinstance(value, Mapping):
        if set(value) >= {"field", "value"}:
            return f"{value['field']}: {value['value']}"
        return "; ".join(f"{name}: {text}" for name, text in readable(value, t))
    return _text(value, t)
