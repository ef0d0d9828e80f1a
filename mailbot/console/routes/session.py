"""Signing in and out, and the language of the pages."""

from __future__ import annotations

from starlette.responses import Response

from mailbot.console.auth import authenticate
from mailbot.console.i18n import LANGUAGES
from mailbot.console.web import LANGUAGE_COOKIE, SESSION_COOKIE, Call, Pages

PAGES = Pages()
YEAR = 365 * 24 * 3600


def safe_next(target: str) -> str:
    """A local path to go back to after signing in; anything else goes to the queue."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\n" not in target:
        return target
    return "/queue"


@PAGES.get("/login", role=None)
def login_page(call: Call) -> Response:
    if call.staff is not None:
        return call.redirect(safe_next(call.query("next")))
    return call.render("login.html", next=safe_next(call.query("next")), name="", error=None)


@PAGES.post("/login", role=None)
def login(call: Call) -> Response:
    name, password = call.field("name").strip(), call.field("password")
    target = safe_next(call.field("next"))
    console, repo = call.console, call.repo
    address = call.request.client.host if call.request.client else None
    wait, claimed = console.throttle.claim(repo, name, address, call.now)
    call.uow.commit()  # the claim is seen by every other attempt from here on
    if wait > 0:
        seconds = int(wait) + 1
        response = call.render("login.html", 429, next=target, name=name,
                               error=call.t("login.slow_down", seconds=seconds))
        response.headers["Retry-After"] = str(seconds)
        return response
    user = authenticate(repo, name, password, call.now) if name and password else None
    console.throttle.settle(repo, claimed, succeeded=user is not None)
    if user is None:
        call.uow.commit()
        return call.render("login.html", 401, next=target, name=name,
                           error=call.t("login.failed"))
    token = console.sessions.create(repo, user, call.now)
    call.uow.commit()
    call.set_cookie(SESSION_COOKIE, token)
    return call.redirect(target)


@PAGES.post("/logout")
def logout(call: Call) -> Response:
    call.console.sessions.end(call.repo, call.request.cookies.get(SESSION_COOKIE))
    call.uow.commit()
    call.set_cookie(SESSION_COOKIE, "", max_age=0)
    return call.redirect("/login")


@PAGES.post("/language", role=None)
def language(call: Call) -> Response:
    chosen = call.field("language")
    target = safe_next(call.field("next"))
    if chosen not in LANGUAGES:
        return call.redirect(target)
    if call.staff is not None:
        user = call.repo.staff.user(call.staff.user_id)
        if user is not None:
            user.language = chosen
            call.uow.commit()
    call.set_cookie(LANGUAGE_COOKIE, chosen, max_age=YEAR)
    return call.redirect(target)
