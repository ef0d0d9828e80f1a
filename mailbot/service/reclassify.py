"""Classify the mail of every open request again (after the classifier or its lexicons
changed): what would change is listed; with ``apply``, a request whose mail now reads as
one other kind is handled as that kind, as `requests kind` would, unless staff chose its
kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mailbot.classify import classify
from mailbot.domain.mail import ParsedMail
from mailbot.parse import parse
from mailbot.service.base import Service


@dataclass(frozen=True, slots=True)
class Reclassified:
    reference: str
    was: str
    now: tuple[str, ...]  # the kinds the mail reads as now
    changed_to: str | None  # the kind it is handled as from now on (apply)

    @property
    def differs(self) -> bool:
        return self.was not in self.now


def open_requests(service: Service) -> list[int]:
    with service.reading() as repo:
        return [request.id for request in repo.requests.open()]


def reclassify(service: Service, request_ids: list[int], *, apply: bool, by: str | None,
               advance: Callable[[int], None] = lambda _n: None) -> list[Reclassified]:
    from mailbot.service.requests import change_kind

    results = []
    for request_id in request_ids:
        with service.reading() as repo:
            request = repo.requests.find(request_id)
            mail = request.inbound
            parsed = parse(mail.raw) if mail.raw is not None else None
            client = (mail.sender is not None
                      and repo.clients.contact_for(mail.sender) is not None)
            was, reference = str(request.kind), request.reference or str(request.id)
            siblings = {str(r.kind) for r in mail.requests if r.id != request.id}
            decided = any(e.action == "kind_changed"
                          for e in repo.events.of(request_id=request.id))
        if not isinstance(parsed, ParsedMail):
            advance(1)
            continue
        kinds = tuple(str(r.kind) for r in classify(parsed, client_contact=client).requests)
        new = [k for k in kinds if k != was and k not in siblings]
        changed = None
        if apply and was not in kinds and len(new) == 1 and by and not decided:
            change_kind(service, request_id, new[0], by=by)
            changed = new[0]
        results.append(Reclassified(reference, was, kinds, changed))
        advance(1)
    return results
