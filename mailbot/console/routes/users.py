"""Staff accounts: admins add users, change their role, disable and enable them, and set a
new password; every change signs the user out and is in the audit trail."""

from __future__ import annotations

from starlette.responses import Response

from mailbot.console.auth import Role
from mailbot.console.web import Call, Pages, Refused
from mailbot.errors import NotFound
from mailbot.service import users as actions
from mailbot.store.models import StaffUser

PAGES = Pages()


@PAGES.get("/users", role=Role.ADMIN)
def listing(call: Call) -> Response:
    return call.render("users.html", users=call.repo.staff.users(), roles=[str(r) for r in Role],
                       changes=call.repo.events.staff(limit=50))


def _user(call: Call) -> StaffUser:
    user = call.repo.staff.user(call.int_path("user_id"))
    if user is None:
        raise NotFound("no such user")
    return user


def _password(call: Call) -> str:
    password = call.field("password")
    if not password:
        raise Refused(400, "error.empty", field=call.t("field.password"))
    return password


@PAGES.post("/users", role=Role.ADMIN)
def add(call: Call) -> Response:
    name, role, password = call.field("name"), call.field("role"), _password(call)
    call.acting()
    actions.add(call.service, name, role, password, by=call.by)
    return call.redirect("/users", done="user_saved")


@PAGES.post("/users/{user_id:int}/role", role=Role.ADMIN)
def change_role(call: Call) -> Response:
    name = _user(call).name
    call.acting()
    actions.set_role(call.service, name, call.field("role"), by=call.by)
    return call.redirect("/users", done="user_saved")


def _set_active(call: Call, active: bool) -> Response:
    name = _user(call).name
    call.acting()
    actions.set_active(call.service, name, active, by=call.by)
    return call.redirect("/users", done="user_saved" if active else "user_disabled")


@PAGES.post("/users/{user_id:int}/disable", role=Role.ADMIN)
def disable(call: Call) -> Response:
    return _set_active(call, False)


@PAGES.post("/users/{user_id:int}/enable", role=Role.ADMIN)
def enable(call: Call) -> Response:
    return _set_active(call, True)


@PAGES.post("/users/{user_id:int}/password", role=Role.ADMIN)
def password(call: Call) -> Response:
    name, new = _user(call).name, _password(call)
    call.acting()
    actions.reset_password(call.service, name, new, by=call.by)
    return call.redirect("/users", done="user_password")
