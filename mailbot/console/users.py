"""Console users, as the ``mailbot users`` commands manage them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from mailbot.console.auth import Role, hash_password
from mailbot.errors import UserError
from mailbot.store.models import StaffSession, StaffUser
from mailbot.store.repository import Repository

MIN_PASSWORD = 8


def user_view(user: StaffUser) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "role": user.role, "active": user.active,
            "language": user.language,
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None}


def add_user(repo: Repository, name: str, role: str, password: str, *,
             now: datetime | None = None) -> dict[str, Any]:
    """Add a console user, or give an existing one this role and password (which signs them
    out everywhere). Returns the user as a dict with ``created`` telling which."""
    now = now or datetime.now(UTC)
    name = name.strip()
    if not name or len(name) > 100 or any(not c.isprintable() for c in name):
        raise UserError("a user name is 1 to 100 printable characters")
    try:
        role = Role(role)
    except ValueError:
        raise UserError(f"unknown role {role!r}: use one of "
                        f"{', '.join(r.value for r in Role)}") from None
    if len(password) < MIN_PASSWORD:
        raise UserError(f"a password has at least {MIN_PASSWORD} characters")
    user = repo.session.scalar(select(StaffUser).where(StaffUser.name == name))
    created = user is None
    if user is None:
        user = StaffUser(name=name, created_at=now, active=True)
        repo.add(user)
    else:
        repo.flush()
        repo.session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
    user.role = role
    user.password_hash = hash_password(password)
    user.active = True
    user.updated_at = now
    repo.flush()
    return {**user_view(user), "created": created}


def users(repo: Repository) -> list[dict[str, Any]]:
    return [user_view(u) for u in repo.session.scalars(select(StaffUser)
                                                        .order_by(StaffUser.name))]
