"""Signing in to the console: argon2 passwords, sessions that expire, cookies a script cannot
read, repeated failed logins slowed down, and `mailbot users add`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.console.auth import SessionPolicy, ThrottlePolicy
from mailbot.errors import UserError
from mailbot.service import users
from mailbot.store.models import LoginAttempt, StaffSession, StaffUser
from tests.harness.app import toml_for
from tests.unit.console_support import (
    APPROVER,
    PASSWORD,
    VIEWER,
    Clock,
    add_staff,
    browser,
    console_settings,
    signed_in,
)


@pytest.fixture
def app(tmp_path: Path, smtp_sink, database_url: str, app_factory) -> App:
    app = app_factory(console_settings(tmp_path, smtp_sink.url,
                                       database={"url": database_url}))
    add_staff(app)
    return app


def test_passwords_are_stored_as_argon2_hashes(app: App) -> None:
    with app.uow() as uow:
        user = uow.session.scalars(select(StaffUser).where(StaffUser.name == VIEWER)).one()
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_the_session_cookie_is_httponly_samesite_and_holds_no_stored_secret(app: App) -> None:
    staff = browser(app, Clock())
    response = staff.login(VIEWER)
    cookie = next(c for c in response.headers.get_list("set-cookie")
                  if c.startswith("mailbot_session="))
    flags = cookie.lower()
    assert "httponly" in flags and "samesite=lax" in flags and "secure" not in flags
    token = cookie.split(";")[0].split("=", 1)[1]
    with app.uow() as uow:
        stored = uow.session.scalars(select(StaffSession)).one()
        assert token not in (stored.token_hash, stored.csrf_token)


def test_cookies_are_secure_when_served_over_tls(app: App) -> None:
    staff = browser(app, Clock(), https=True)
    response = staff.login(VIEWER)
    cookies = response.headers.get_list("set-cookie")
    assert cookies and all("secure" in c.lower() for c in cookies)
    assert "max-age=31536000" in response.headers["strict-transport-security"]
    assert staff.get("/queue").status_code == 200


def test_a_wrong_password_or_name_signs_nobody_in(app: App) -> None:
    for name, password in ((VIEWER, "not the password"), ("Nobody", PASSWORD), (VIEWER, "")):
        staff = browser(app, Clock())
        response = staff.login(name, password)
        assert response.status_code in (400, 401), name
        assert "The name or the password is not right." in response.text
        assert staff.get("/queue", follow_redirects=False).status_code == 303


def test_a_session_ends_after_being_idle_and_after_its_lifetime(app: App) -> None:
    clock = Clock()
    policy = SessionPolicy()
    staff = signed_in(app, clock, VIEWER)
    clock.advance(seconds=policy.idle.total_seconds() - 60)
    assert staff.get("/queue", follow_redirects=False).status_code == 200
    clock.advance(seconds=policy.idle.total_seconds() - 60)  # active: the idle clock restarted
    assert staff.get("/queue", follow_redirects=False).status_code == 200
    clock.advance(seconds=policy.idle.total_seconds() + 1)
    response = staff.get("/queue", follow_redirects=False)
    assert response.headers["location"] == "/login?next=%2Fqueue"
    with app.uow() as uow:
        assert uow.session.scalars(select(StaffSession)).all() == []

    busy = signed_in(app, clock, VIEWER)
    for _ in range(int(policy.lifetime / policy.idle) + 1):
        clock.advance(seconds=policy.idle.total_seconds() - 60)
        last = busy.get("/queue", follow_redirects=False)
    assert last.status_code == 303  # signed out after the lifetime, however active


def test_signing_out_ends_the_session_on_the_server(app: App) -> None:
    staff = signed_in(app, Clock(), VIEWER)
    cookie = staff.client.cookies.get("mailbot_session")
    assert staff.post("/logout").headers["location"] == "/login"
    assert staff.get("/queue", follow_redirects=False).status_code == 303
    replay = browser(app, Clock())
    replay.client.cookies.set("mailbot_session", cookie or "")
    assert replay.get("/queue", follow_redirects=False).status_code == 303


def test_repeated_failed_logins_are_slowed_down(app: App) -> None:
    clock = Clock()
    policy = ThrottlePolicy(free_per_name=3, first_wait=2.0)
    staff = browser(app, clock, throttle=policy)
    for _ in range(3):
        assert staff.login(APPROVER, "wrong guess").status_code == 401
    slowed = staff.login(APPROVER, PASSWORD)  # even the right password waits now
    assert slowed.status_code == 429
    assert slowed.headers["retry-after"] == "3"
    assert "Please wait 3 seconds" in slowed.text
    clock.advance(seconds=2.5)
    assert staff.login(APPROVER, "wrong again").status_code == 401
    clock.advance(seconds=2.5)
    assert staff.login(APPROVER, PASSWORD).status_code == 429  # the wait doubled: 4 s
    clock.advance(seconds=2)
    assert staff.login(APPROVER, PASSWORD).status_code == 303
    with app.uow() as uow:
        keys = set(uow.session.scalars(select(LoginAttempt.key)))
        assert all(len(k) == 64 for k in keys)  # hashed: no names or addresses stored
    staff.post("/logout")
    assert staff.login(APPROVER, "one slip").status_code == 401  # a success reset the count


def test_other_names_are_not_slowed_down_by_someone_elses_failures(app: App) -> None:
    clock = Clock()
    staff = browser(app, clock, throttle=ThrottlePolicy(free_per_name=2))
    for _ in range(4):
        staff.login(APPROVER, "wrong guess")
    assert staff.login(VIEWER, PASSWORD).status_code == 303


def test_add_user_checks_its_input_and_resets_an_existing_user(app: App) -> None:
    for name, role, password in (("", "viewer", PASSWORD), ("X", "boss", PASSWORD),
                                 ("X", "viewer", "short")):
        with pytest.raises(UserError):
            users.add(app.service, name, role, password, by=None)
    staff = signed_in(app, Clock(), VIEWER)
    changed = users.add(app.service, VIEWER, "approver", "a brand new password", by=None)
    assert (changed["created"], changed["role"]) == (False, "approver")
    assert staff.get("/queue", follow_redirects=False).status_code == 303  # signed out
    assert browser(app, Clock()).login(VIEWER).status_code == 401
    assert browser(app, Clock()).login(VIEWER, "a brand new password").status_code == 303


def test_the_users_add_command_takes_a_prompt_a_file_or_an_option(
        tmp_path: Path, smtp_sink, app_factory) -> None:
    app = app_factory(console_settings(tmp_path, smtp_sink.url))
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}

    def mailbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                              input=stdin, capture_output=True, text=True, env=env,
                              timeout=60)

    prompted = mailbot("users", "add", "Piet Prompt", "--role", "viewer",
                       stdin="prompted password\nprompted password\n")
    assert prompted.returncode == 0, prompted.stderr
    assert "user Piet Prompt (viewer) added" in prompted.stdout
    secret = tmp_path / "password.txt"
    secret.write_text("password from a file\n", encoding="utf-8")
    from_file = mailbot("users", "add", "Fleur File", "--role", "admin",
                        "--password-file", str(secret))
    assert from_file.returncode == 0, from_file.stderr
    option = mailbot("users", "add", "Otto Option", "--role", "approver",
                     "--password", "option password")
    assert option.returncode == 0, option.stderr
    for name, password in (("Piet Prompt", "prompted password"),
                           ("Fleur File", "password from a file"),
                           ("Otto Option", "option password")):
        staff = browser(app, Clock())
        assert staff.login(name, password).status_code == 303, name
    listed = mailbot("users", "list", "--json")
    assert {u["name"] for u in json.loads(listed.stdout)} >= {
        "Piet Prompt", "Fleur File", "Otto Option"}
    both = mailbot("users", "add", "X", "--role", "viewer", "--password", "x" * 10,
                   "--password-file", str(secret))
    assert both.returncode != 0 and "not both" in both.stderr
    short = mailbot("users", "add", "X", "--role", "viewer", "--password", "short")
    assert short.returncode == 2 and "at least 8 characters" in short.stderr


def test_sign_in_costs_owasp_s_19_mib_and_old_hashes_are_made_again(app: App) -> None:
    from argon2 import PasswordHasher

    from mailbot.service.passwords import HASHER

    fresh = HASHER.hash("a long enough password")
    assert "$m=19456,t=2,p=1$" in fresh
    assert not HASHER.check_needs_rehash(fresh)
    assert HASHER.check_needs_rehash(PasswordHasher().hash("a long enough password"))
