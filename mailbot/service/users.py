"""Staff accounts: add, change the role, disable and enable, set a new password. Admins do
this in the console; the operator on the command line (``by=None``: the first admin has
nobody to be added by). Every change is in the audit trail, and signs the user out."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mailbot.domain.staff import Role
from mailbot.errors import NotFound, UserError
from mailbot.service.base import Service, staff_member
from mailbot.service.passwords import hash_password
from mailbot.store.models import Event, StaffUser
from mailbot.store.repository import Repository

MIN_PASSWORD = 8
OPERATOR = "operator"  # the actor of changes made on the command line without --by


def user_view(user: StaffUser) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "role": user.role, "active": user.active,
            "language": user.language,
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None}


def users(service: Service) -> list[dict[str, Any]]:
    with service.reading() as repo:
        return [user_view(u) for u in repo.staff.users()]


@contextmanager
def _admin(service: Service, by: str | None) -> Iterator[tuple[Repository, str]]:
    with service.uow() as uow:
        actor = OPERATOR if by is None else staff_member(uow.repo, by, Role.ADMIN).name
        yield uow.repo, actor
        uow.commit()


def _user(repo: Repository, name: str) -> StaffUser:
    user = repo.staff.by_name(name)
    if user is None:
        raise NotFound(f"no staff user {name!r}")
    return user


def _role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise UserError(f"unknown role {role!r}: use one of "
                        f"{', '.join(r.value for r in Role)}") from None


def _password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password has at least {MIN_PASSWORD} characters")
    return hash_password(password)


def _changed(repo: Repository, actor: str, user: StaffUser, action: str,
             **detail: object) -> None:
    """Record the change and sign the user out everywhere."""
    now = user.updated_at
    repo.staff.end_sessions(user_id=user.id)
    repo.add(Event(at=now, actor=actor, action=action, detail={"user": user.name, **detail}))


def _still_an_admin(repo: Repository, user: StaffUser, role: str, active: bool) -> None:
    """Refuse a change that leaves no active admin."""
    if user.role == Role.ADMIN and user.active and (role != Role.ADMIN or not active):
        others = [u for u in repo.staff.users()
                  if u.id != user.id and u.active and u.role == Role.ADMIN]
        if not others:
            raise UserError(f"{user.name} is the last active admin")


def add(service: Service, name: str, role: str, password: str, *,
        by: str | None) -> dict[str, Any]:
    """Add a user, or give an existing one this role and password (signing them out).
    Returns the user as a dict with ``created`` telling which."""
    name = name.strip()
    if not name or len(name) > 100 or any(not c.isprintable() for c in name):
        raise UserError("a user name is 1 to 100 printable characters")
    wanted, hashed = _role(role), _password(password)
    with _admin(service, by) as (repo, actor):
        now = service.now()
        user = repo.staff.by_name(name)
        created = user is None
        if user is None:
            user = StaffUser(name=name, created_at=now, active=True)
            repo.add(user)
        user.role, user.password_hash, user.active, user.updated_at = wanted, hashed, True, now
        repo.flush()
        _changed(repo, actor, user, "user_added" if created else "user_updated", role=wanted)
        return {**user_view(user), "created": created}


def set_role(service: Service, name: str, role: str, *, by: str | None) -> dict[str, Any]:
    wanted = _role(role)
    with _admin(service, by) as (repo, actor):
        user = _user(repo, name)
        _still_an_admin(repo, user, wanted, user.active)
        before = user.role
        user.role, user.updated_at = wanted, service.now()
        _changed(repo, actor, user, "user_role_changed", **{"from": before, "to": wanted})
        return user_view(user)


def set_active(service: Service, name: str, active: bool, *,
               by: str | None) -> dict[str, Any]:
    """Disable a user (they are signed out and cannot sign in) or enable them again."""
    with _admin(service, by) as (repo, actor):
        user = _user(repo, name)
        if by is not None and user.name == actor and not active:
            raise UserError("you cannot disable yourself")
        _still_an_admin(repo, user, user.role, active)
        user.active, user.updated_at = active, service.now()
        _changed(repo, actor, user, "user_enabled" if active else "user_disabled")
        return user_view(user)


def reset_password(service: Service, name: str, password: str, *,
                   by: str | None) -> dict[str, Any]:
    hashed = _password(password)
    with _admin(service, by) as (repo, actor):
        user = _user(repo, name)
        user.password_hash, user.updated_at = hashed, service.now()
        _changed(repo, actor, user, "user_password_reset")
        return user_view(user)
