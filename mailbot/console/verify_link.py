"""The one-time verification link: ``GET /verify/{token}`` shows a page with a confirm button,
``POST /verify/{token}`` verifies and lets the waiting requests proceed, in one transaction.

A GET never verifies: mail scanners and link previews follow links. The POST carries no
CSRF token, and needs none: there is no session or cookie whose authority a forged request
could borrow, and the only secret that makes it work is the token in the URL itself, which a
third party able to forge the POST could simply post themselves. The token is hashed in the
database, used once, and kept out of referrers (``Referrer-Policy: no-referrer``) and caches.

The pages are Dutch and English, with every value escaped and nothing loaded from elsewhere.
Run the app behind a server whose access log leaves the path out (uvicorn:
``access_log=False``): the path holds the token until it is used.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request as HttpRequest
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Route

from mailbot.errors import Conflict
from mailbot.handle import verify, workflow
from mailbot.handle.context import HandlerContext
from mailbot.store.uow import UnitOfWork

log = logging.getLogger(__name__)

ContextFactory = Callable[[UnitOfWork], HandlerContext]

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
}
STATUS = {"unknown": 404, "used": 410, "expired": 410, "closed": 410}
# (Dutch, English) per outcome.
REFUSED = {
    "unknown": ("Deze link is niet geldig. Controleer of u de hele link uit de e-mail heeft "
                "gebruikt.",
                "This link is not valid. Please check that you used the whole link from the "
                "e-mail."),
    "used": ("Deze link is al gebruikt: uw e-mailadres is bevestigd. U hoeft niets meer te "
             "doen.",
             "This link has been used already: your e-mail address is confirmed. You do not "
             "need to do anything else."),
    "expired": ("Deze link is verlopen. Een medewerker bekijkt uw verzoek en neemt contact met "
                "u op.",
                "This link has expired. A member of our staff will look at your request and "
                "contact you."),
    "closed": ("Deze bevestiging is gestopt. Een medewerker bekijkt uw verzoek en neemt "
               "contact met u op.",
               "This confirmation has been stopped. A member of our staff will look at your "
               "request and contact you."),
}
BUSY = ("Er ging nu iets mis; er is nog niets bevestigd. Probeer het over een minuut opnieuw "
        "met dezelfde link.",
        "Something went wrong just now; nothing has been confirmed yet. Please try again in a "
        "minute with the same link.")
ATTEMPTS = 5  # reads of a link's verification when others keep writing first (SQLite)
STYLE = ("body{font-family:system-ui,sans-serif;max-width:38rem;margin:3rem auto;padding:0 1rem;"
         "line-height:1.5;color:#222}section+section{border-top:1px solid #ddd;margin-top:1.5rem}"
         "button{font-size:1.1rem;padding:.6rem 1.4rem;margin-top:1.5rem;cursor:pointer}"
         ".muted{color:#666}")


def verification_routes(uow_factory: Callable[[], UnitOfWork],
                        make_context: ContextFactory) -> list[BaseRoute]:
    """The link's routes, for this app or a larger one (the staff console)."""

    def show(request: HttpRequest) -> HTMLResponse:
        token = request.path_params["token"]
        with uow_factory() as uow:  # read only: leaving the block rolls back
            ctx = make_context(uow)
            try:
                found = verify.check_token(ctx, token)
            except verify.LinkRefused as exc:
                return _refused(ctx, exc)
            references = [r.reference or "" for r in verify.waiting_requests(ctx, found)]
            return _page(ctx, "Bevestig uw e-mailadres", "Confirm your e-mail address",
                         _confirm_text(found.address, references), form=True)

    def confirm(request: HttpRequest) -> HTMLResponse:
        token = request.path_params["token"]
        for _ in range(ATTEMPTS):
            with uow_factory() as uow:
                ctx = make_context(uow)
                try:
                    requests = verify.confirm_token(ctx, token)
                except verify.LinkRefused as exc:
                    uow.commit()  # an expiry found on the way stays recorded
                    return _refused(ctx, exc)
                except Conflict:
                    continue  # another answer or the daemon wrote first: read again
                workflow.verified(ctx, requests, "link")
                uow.commit()
                references = ", ".join(r.reference or "" for r in requests)
                log.info("verified by link: %s", references or "no request waiting")
                return _page(ctx, "Uw e-mailadres is bevestigd",
                             "Your e-mail address is confirmed", _done_text(references))
        log.warning("a verification link could not be confirmed: the database stayed busy")
        return _page(ctx, "Bevestigen is nu niet gelukt", "The confirmation did not work now",
                     (_e(BUSY[0]), _e(BUSY[1])), status=503)

    return [Route("/verify/{token}", show, methods=["GET"]),
            Route("/verify/{token}", confirm, methods=["POST"])]


def verification_app(uow_factory: Callable[[], UnitOfWork],
                     make_context: ContextFactory) -> Starlette:
    return Starlette(routes=verification_routes(uow_factory, make_context))


def _confirm_text(address: str, references: list[str]) -> tuple[str, str]:
    refs = ", ".join(references)
    nl = (f"Klik op de knop om te bevestigen dat {_e(address)} uw e-mailadres is"
          + (f" (uw verzoek {_e(refs)})." if refs else ".")
          + " Heeft u niets bij ons aangevraagd? Sluit deze pagina dan; er gebeurt niets.")
    en = (f"Press the button to confirm that {_e(address)} is your e-mail address"
          + (f" (your request {_e(refs)})." if refs else ".")
          + " Did you not ask us for anything? Then close this page; nothing will happen.")
    return nl, en


def _done_text(references: str) -> tuple[str, str]:
    refs = f" ({_e(references)})" if references else ""
    return (f"Dank u. Wij behandelen uw verzoek{refs} nu verder en antwoorden u per e-mail.",
            f"Thank you. We are now handling your request{refs} and will answer you by e-mail.")


def _refused(ctx: HandlerContext, refusal: verify.LinkRefused) -> HTMLResponse:
    nl, en = REFUSED[refusal.reason]
    return _page(ctx, "Bevestigen is niet gelukt", "The confirmation did not work",
                 (_e(nl), _e(en)), status=STATUS[refusal.reason])


def _page(ctx: HandlerContext, title_nl: str, title_en: str, text: tuple[str, str], *,
          form: bool = False, status: int = 200) -> HTMLResponse:
    """A page; ``text`` is HTML already escaped, every other value is escaped here."""
    org = ctx.settings.organisation
    button = ('<form method="post"><button type="submit">Bevestigen / Confirm</button></form>'
              if form else "")
    body = (
        "<!doctype html>\n"
        '<html lang="nl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="robots" content="noindex, nofollow">'
        f"<title>{_e(title_nl)} / {_e(title_en)}</title><style>{STYLE}</style></head>"
        "<body><main>"
        f'<section lang="nl"><h1>{_e(title_nl)}</h1><p>{text[0]}</p></section>'
        f'<section lang="en"><h1>{_e(title_en)}</h1><p>{text[1]}</p></section>'
        f"{button}"
        f'<p class="muted">{_e(org.name)} &middot; {_e(org.address)}</p>'
        "</main></body></html>\n")
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _e(value: str) -> str:
    return html.escape(value, quote=True)
