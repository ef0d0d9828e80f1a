"""The service layer's one dependency: the services (settings, renderer, sources, clock)
and the database; and the transaction every staff action runs in, as a staff member."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from mailbot.config import Settings
from mailbot.domain.staff import Role
from mailbot.errors import NotAllowed
from mailbot.handle.context import HandlerContext, Services
from mailbot.store.models import StaffUser
from mailbot.store.repository import Repository
from mailbot.store.uow import UnitOfWork


@dataclass(frozen=True)
class Acting:
    """One staff action's transaction: the records, and the context handlers work in."""

    uow: UnitOfWork
    ctx: HandlerContext
    user: StaffUser

    @property
    def repo(self) -> Repository:
        return self.uow.repo

    @property
    def by(self) -> str:
        return self.user.name


@dataclass(frozen=True)
class Service:
    services: Services
    uow: Callable[[], UnitOfWork]

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def now(self) -> datetime:
        return self.services.clock()

    @contextmanager
    def acting(self, by: str, role: Role) -> Iterator[Acting]:
        """A transaction as staff member ``by``, who must be active and have ``role`` (or a
        higher one); committed when the block ends without an error."""
        with self.uow() as uow:
            user = staff_member(uow.repo, by, role)
            yield Acting(uow, self.services.context(uow.repo, actor=user.name), user)
            uow.commit()

    @contextmanager
    def reading(self) -> Iterator[Repository]:
        """A transaction that only reads (rolled back at the end)."""
        with self.uow() as uow:
            yield uow.repo


def staff_member(repo: Repository, name: str, role: Role) -> StaffUser:
    """The active staff user ``name`` whose role allows ``role``; NotAllowed otherwise."""
    user = repo.staff.by_name(name) if name.strip() else None
    if user is None:
        raise NotAllowed(f"{name!r} is no staff user: name one who is (mailbot users list), "
                         "or add one (mailbot users add)")
    if not user.active:
        raise NotAllowed(f"staff user {user.name!r} is disabled")
    if not Role(user.role).allows(role):
        raise NotAllowed(f"{user.name} is {user.role}: this needs the {role} role")
    return user
