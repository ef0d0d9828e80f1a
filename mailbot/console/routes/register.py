"""The processor register and the opt-out list: look, and download for other tools."""

from __future__ import annotations

from datetime import UTC

from starlette.responses import Response

from mailbot.console.auth import Role
from mailbot.console.web import Call, Pages, Refused
from mailbot.handle import optouts
from mailbot.handle.extract.purposes import Purpose
from mailbot.register import cli_support as register_support
from mailbot.register import export as register_export
from mailbot.service import optouts as optout_actions

PAGES = Pages()
MEDIA = {"csv": "text/csv", "json": "application/json", "md": "text/markdown",
         "html": "text/html"}


def download(content: str, filename: str, fmt: str) -> Response:
    return Response(content.encode("utf-8"), media_type=f"{MEDIA[fmt]}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@PAGES.get("/register")
def register(call: Call) -> Response:
    history = call.query("history") == "1"
    rows = register_export.rows(call.repo, current_only=not history)
    return call.render("register.html", rows=rows, history=history,
                       formats=register_export.FORMATS)


@PAGES.get("/register/export")
def register_download(call: Call) -> Response:
    fmt = call.query("format") or "csv"
    if fmt not in register_export.FORMATS:
        raise Refused(400, "error.format")
    history = call.query("history") == "1"
    content = register_support.export(
        call.repo, fmt, current_only=not history, language=call.t.language,
        processor=register_export.processor_of(call.console.settings, call.t.language),
        now=call.now.astimezone(UTC))
    stamp = call.now.astimezone(call.console.zone).date().isoformat()
    return download(content, f"processor-register-{stamp}.{fmt}", fmt)


@PAGES.get("/optouts")
def optout_list(call: Call) -> Response:
    search = call.query("q")[:320]
    return call.render("optouts.html", rows=optouts.rows(call.repo, search), search=search,
                       purposes=[str(p) for p in Purpose])


@PAGES.post("/optouts", role=Role.APPROVER)
def optout_add(call: Call) -> Response:
    email = call.field("email").strip()
    if not email:
        raise Refused(400, "error.empty", field=call.t("field.email"))
    wanted = [str(p) for p in Purpose if call.field(f"purpose_{p}")]
    call.acting()
    optout_actions.add(call.service, email, wanted, by=call.by, note=call.field("note"))
    return call.redirect("/optouts", done="optout_added", q=email.lower())


@PAGES.post("/optouts/remove", role=Role.ADMIN)
def optout_remove(call: Call) -> Response:
    email, purpose = call.field("email"), call.field("purpose")
    reason = call.field("reason").strip()
    if not reason:
        raise Refused(400, "error.empty", field=call.t("field.reason"))
    call.acting()
    optout_actions.remove(call.service, email, purpose, by=call.by, reason=reason)
    return call.redirect("/optouts", done="optout_removed", q=email.strip().lower())


@PAGES.get("/optouts/export")
def optout_download(call: Call) -> Response:
    fmt = call.query("format") or "csv"
    if fmt not in ("csv", "json"):
        raise Refused(400, "error.format")
    stamp = call.now.astimezone(call.console.zone).date().isoformat()
    return download(optouts.export(call.repo, fmt), f"opt-outs-{stamp}.{fmt}", fmt)
