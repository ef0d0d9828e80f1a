"""The suppression list by hand: an objection staff heard another way (on the phone, at a
desk), or one recorded in error."""

from __future__ import annotations

from collections.abc import Iterable

from mailbot.domain.staff import Role
from mailbot.errors import WorkflowError
from mailbot.handle import optouts
from mailbot.handle.extract.purposes import Purpose
from mailbot.service.base import Service
from mailbot.store.models import Event


def _checked(email: str, purposes: Iterable[str]) -> tuple[str, list[str]]:
    address = email.strip().lower()
    local, at, domain = address.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in address):
        raise WorkflowError(f"not an e-mail address: {email!r}")
    wanted = list(dict.fromkeys(p.strip() for p in purposes if p.strip()))
    known = {p.value for p in Purpose}
    unknown = [p for p in wanted if p not in known]
    if not wanted or unknown:
        raise WorkflowError(f"purposes are {', '.join(sorted(known))}"
                            + (f", not {', '.join(unknown)}" if unknown else ""))
    return address, wanted


def add(service: Service, email: str, purposes: Iterable[str], *, by: str,
        note: str = "") -> list[str]:
    """Record objections of ``email`` to ``purposes``; returns those that are new."""
    address, wanted = _checked(email, purposes)
    with service.acting(by, Role.APPROVER) as act:
        added = optouts.record(act.repo, address, wanted, request_id=None, now=act.ctx.now)
        act.repo.add(Event(at=act.ctx.now, actor=act.by, action="optout_added",
                           detail={"email": address, "purposes": added,
                                   "note": note.strip()[:2000]}))
        return added


def remove(service: Service, email: str, purpose: str, *, by: str, reason: str) -> None:
    """Take one entry off the list (it was recorded in error); admins only, with a reason."""
    address, (wanted,) = _checked(email, [purpose])
    if not reason.strip():
        raise WorkflowError("removing an objection needs a reason: it is recorded")
    with service.acting(by, Role.ADMIN) as act:
        if not act.repo.optouts.remove(address, wanted):
            raise WorkflowError(f"{address} has no objection to {wanted} on the list")
        act.repo.add(Event(at=act.ctx.now, actor=act.by, action="optout_removed",
                           detail={"email": address, "purpose": wanted,
                                   "reason": reason.strip()[:2000]}))
