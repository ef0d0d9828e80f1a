"""The suppression list by hand: an objection staff heard another way (on the phone, at a
desk), or one recorded in error."""

from __future__ import annotations

from collections.abc import Iterable

from mailbot.domain.phones import normalise
from mailbot.domain.staff import Role
from mailbot.errors import WorkflowError
from mailbot.handle import optouts
from mailbot.handle.extract.purposes import Purpose
from mailbot.service.base import Service
from mailbot.store.models import Event


def _identifier(text: str, calling_code: str) -> tuple[str, str]:
    """("email", address) or ("phone", +number) for what staff typed."""
    value = text.strip().lower()
    if "@" not in value:
        phone = normalise(value, calling_code)
        if phone is None:
            raise WorkflowError(f"not an e-mail address or phone number: {text!r} (a phone "
                                "number starts with + or 0)")
        return "phone", phone
    local, at, domain = value.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in value):
        raise WorkflowError(f"not an e-mail address: {text!r}")
    return "email", value


def _purposes(purposes: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(p.strip() for p in purposes if p.strip()))
    known = {p.value for p in Purpose}
    unknown = [p for p in wanted if p not in known]
    if not wanted or unknown:
        raise WorkflowError(f"purposes are {', '.join(sorted(known))}"
                            + (f", not {', '.join(unknown)}" if unknown else ""))
    return wanted


def add(service: Service, email: str, purposes: Iterable[str], *, by: str,
        note: str = "") -> list[str]:
    """Record objections of ``email`` (an e-mail address or a phone number) to
    ``purposes``; returns those that are new."""
    kind, identifier = _identifier(email, service.settings.organisation.calling_code)
    wanted = _purposes(purposes)
    with service.acting(by, Role.APPROVER) as act:
        if kind == "phone":
            added = [p for _, p in optouts.record_phones(act.repo, [identifier], wanted,
                                                         request_id=None, now=act.ctx.now)]
        else:
            added = optouts.record(act.repo, identifier, wanted, request_id=None,
                                   now=act.ctx.now)
        act.repo.add(Event(at=act.ctx.now, actor=act.by, action="optout_added",
                           detail={kind: identifier, "purposes": added,
                                   "note": note.strip()[:2000]}))
        return added


def remove(service: Service, email: str, purpose: str, *, by: str, reason: str) -> None:
    """Take one entry off the list (it was recorded in error); admins only, with a reason."""
    kind, identifier = _identifier(email, service.settings.organisation.calling_code)
    (wanted,) = _purposes([purpose])
    if not reason.strip():
        raise WorkflowError("removing an objection needs a reason: it is recorded")
    with service.acting(by, Role.ADMIN) as act:
        removed = (act.repo.optouts.remove_phone(identifier, wanted) if kind == "phone"
                   else act.repo.optouts.remove(identifier, wanted))
        if not removed:
            raise WorkflowError(f"{identifier} has no objection to {wanted} on the list")
        act.repo.add(Event(at=act.ctx.now, actor=act.by, action="optout_removed",
                           detail={kind: identifier, "purpose": wanted,
                                   "reason": reason.strip()[:2000]}))
