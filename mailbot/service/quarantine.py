"""Mails that could not be parsed or were too large: replay (parse again and handle), or
dismiss (take off the list; the raw bytes stay)."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.domain.kinds import Disposition
from mailbot.domain.staff import Role
from mailbot.errors import NotFound, WorkflowError
from mailbot.ingest import Ingestor
from mailbot.service.base import Service, staff_member
from mailbot.store.inbound import DISMISSED
from mailbot.store.models import Event, InboundMail
from mailbot.store.repository import Repository

REASON_MAX = 2000


@dataclass(frozen=True, slots=True)
class Replayed:
    inbound_id: int
    disposition: str
    references: tuple[str, ...]
    error: str | None = None


def quarantined(repo: Repository, inbound_id: int) -> InboundMail:
    mail = repo.inbound.get(inbound_id)
    if mail is None or mail.disposition != Disposition.QUARANTINED:
        raise NotFound(f"no quarantined mail {inbound_id}")
    return mail


def replay(service: Service, inbound_id: int, *, by: str) -> Replayed:
    """Parse the mail again and, when it parses now, handle it as the daemon would have (the
    deadline still runs from when it arrived)."""
    with service.reading() as repo:
        name = staff_member(repo, by, Role.APPROVER).name
        quarantined(repo, inbound_id)
        if repo.inbound.is_dismissed(inbound_id):
            raise WorkflowError(f"mail {inbound_id} was dismissed")
    result, error = Ingestor(service.services, service.uow).replay(inbound_id, actor=name)
    with service.reading() as repo:
        references = tuple(r.reference or "" for r in
                           (repo.requests.get(i) for i in result.request_ids) if r is not None)
    return Replayed(result.inbound_id, str(result.disposition), references, error)


def dismiss(service: Service, inbound_id: int, reason: str, *, by: str) -> None:
    """Take a quarantined mail off the list; it stays recorded with its raw bytes."""
    with service.acting(by, Role.APPROVER) as act:
        quarantined(act.repo, inbound_id)
        if act.repo.inbound.is_dismissed(inbound_id):
            raise WorkflowError(f"mail {inbound_id} is dismissed already")
        act.repo.add(Event(at=act.ctx.now, actor=act.by, action=DISMISSED,
                           inbound_id=inbound_id, detail={"reason": reason.strip()[:REASON_MAX]}))
