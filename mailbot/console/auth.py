"""Who may use the console: passwords (argon2), sessions that expire, roles, and slowing down
repeated failed logins."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError

from mailbot.domain.staff import Role
from mailbot.service.passwords import HASHER, dummy_hash, hash_password
from mailbot.store.models import StaffSession, StaffUser
from mailbot.store.repository import Repository

__all__ = ["LoginThrottle", "Role", "SessionPolicy", "Sessions", "Staff", "ThrottlePolicy",
           "authenticate", "hash_password"]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def authenticate(repo: Repository, name: str, password: str, now: datetime) -> StaffUser | None:
    """The active user with this name and password, or None; upgrades an outdated hash."""
    user = repo.staff.by_name(name)
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            HASHER.verify(dummy_hash(), password)
        return None
    try:
        HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
        user.updated_at = now
    return user


@dataclass(frozen=True, slots=True)
class Staff:
    """The signed-in person as the pages see them."""

    user_id: int
    name: str
    role: Role
    language: str | None
    csrf: str
    session_id: int

    def may(self, needed: Role) -> bool:
        return self.role.allows(needed)


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    idle: timedelta = timedelta(hours=2)  # signed out after this long without a page
    lifetime: timedelta = timedelta(hours=12)  # signed out after this long, whatever happens
    touch_every: timedelta = timedelta(minutes=1)


class Sessions:
    def __init__(self, policy: SessionPolicy | None = None) -> None:
        self.policy = policy or SessionPolicy()

    def create(self, repo: Repository, user: StaffUser, now: datetime) -> str:
        """A new session for ``user``; returns the token for the cookie."""
        repo.staff.end_sessions(expired_by=now)
        token = secrets.token_urlsafe(32)
        repo.add(StaffSession(token_hash=_sha256(token), user_id=user.id,
                              csrf_token=secrets.token_urlsafe(32), created_at=now,
                              last_seen_at=now, expires_at=now + self.policy.lifetime))
        user.last_login_at = now
        repo.flush()
        return token

    def load(self, repo: Repository, token: str | None, now: datetime) -> tuple[Staff | None,
                                                                               bool]:
        """The session's person (None when absent or expired) and whether the row changed
        (the caller commits)."""
        if not token:
            return None, False
        found = repo.staff.session_by_token_hash(_sha256(token))
        if found is None:
            return None, False
        user = found.user
        if (now >= found.expires_at or now - found.last_seen_at >= self.policy.idle
                or not user.active):
            repo.staff.end_session(found)
            return None, True
        changed = now - found.last_seen_at >= self.policy.touch_every
        if changed:
            found.last_seen_at = now
        return Staff(user.id, user.name, Role(user.role), user.language, found.csrf_token,
                     found.id), changed

    def end(self, repo: Repository, token: str | None) -> None:
        if token:
            repo.staff.end_sessions(token_hash=_sha256(token))


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=15)  # failures older than this are forgotten
    free_per_name: int = 3  # failed attempts for one name before waiting starts
    free_per_address: int = 20  # failed attempts from one client address (shared offices)
    first_wait: float = 2.0  # seconds; doubles with each further failure
    longest_wait: float = 300.0


class LoginThrottle:
    """Each failed login beyond a few makes the next attempt wait longer, per name and per
    client address; the wait is enforced before the password is even looked at."""

    def __init__(self, policy: ThrottlePolicy | None = None) -> None:
        self.policy = policy or ThrottlePolicy()

    def _keys(self, name: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(_sha256("name:" + name.strip().casefold()), self.policy.free_per_name)]
        if address:
            keys.append((_sha256("address:" + address), self.policy.free_per_address))
        return keys

    def claim(self, repo: Repository, name: str, address: str | None,
              now: datetime) -> tuple[float, list[int]]:
        """Take this attempt's turn: how long it must still wait (0: go on and check the
        password), and the attempt rows to :meth:`settle` afterwards. Concurrent attempts
        are counted one after another, so forty at once are forty, not one; an attempt that
        must wait is not recorded, so waiting out a guesser's failures always lets the right
        password in."""
        keys = self._keys(name, address)
        repo.staff.forget_login_attempts(now - self.policy.window)
        claimed = repo.staff.claim_login_attempts([key for key, _ in keys], now)
        wait = 0.0
        for key, free in keys:
            since = now - self.policy.window
            last_success = repo.staff.last_login_success(key, since)
            count, last = repo.staff.login_failures(key, last_success or since,
                                                    besides=claimed)
            if count < free or last is None:
                continue
            delay = min(self.policy.first_wait * 2 ** (count - free), self.policy.longest_wait)
            last = last if last.tzinfo else last.replace(tzinfo=now.tzinfo)
            wait = max(wait, (last + timedelta(seconds=delay) - now).total_seconds())
        if wait > 0:
            repo.staff.drop_login_attempts(claimed)
            return wait, []
        return 0.0, claimed

    def settle(self, repo: Repository, claimed: list[int], *, succeeded: bool) -> None:
        if succeeded:
            repo.staff.settle_login_attempts(claimed, succeeded=True)
