"""Record one fetched mail and everything that follows from it, in one transaction:
parse → no-reply checks → classify → requests → acknowledgement in the outbox.

Nothing here touches the mailbox or the network: the caller marks the mail on the server
after ``ingest`` returns, and the outbox is delivered separately."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from mailbot.classify import classify, needs_triage, triage_reasons
from mailbot.classify.followup import OpenRequest, find_follow_up
from mailbot.config import Settings
from mailbot.domain.calendar import target_date
from mailbot.domain.deadline import due_date
from mailbot.domain.kinds import Disposition, RequestKind, RequestStatus
from mailbot.domain.mail import (
    LOOP_HEADER,
    Classification,
    NoReplyVerdict,
    ParsedMail,
    ParseFailure,
)
from mailbot.errors import NotFound
from mailbot.handle import verify, workflow
from mailbot.handle.acknowledge import Acknowledger
from mailbot.handle.context import HandlerContext
from mailbot.handle.erasure import mark_child
from mailbot.handle.extract.child import is_child
from mailbot.mailbox import FetchedMessage
from mailbot.parse import parse
from mailbot.parse.noreply import automatic_signs, unwrap_form_relay
from mailbot.parse.noreply import check as no_reply_check
from mailbot.sources.registry import SourceRegistry
from mailbot.store.models import Event, InboundMail, Request
from mailbot.store.repository import Repository
from mailbot.store.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Ingested:
    inbound_id: int
    disposition: Disposition
    request_ids: tuple[int, ...]
    new: bool  # False when the mail had been recorded before (a re-fetch)


class Ingestor:
    def __init__(self, settings: Settings, uow: Callable[[], UnitOfWork],
                 acknowledger: Acknowledger, clock: Callable[[], datetime],
                 sources: SourceRegistry) -> None:
        self.settings = settings
        self.uow = uow
        self.acknowledger = acknowledger
        self.clock = clock
        self.sources = sources
        self.zone = ZoneInfo(settings.organisation.timezone)

    def ingest(self, fetched: FetchedMessage) -> Ingested:
        try:
            return self._ingest(fetched)
        except IntegrityError:
            # Another process recorded the same mail between our check and our insert.
            with self.uow() as uow:
                existing = uow.repo.inbound_at(fetched.mailbox, fetched.uidvalidity, fetched.uid)
                if existing is None:
                    raise
                return _result(existing, new=False)

    @staticmethod
    def warm_up() -> None:
        """Load the lexicons now, so that the first mail is not the one that waits for it."""
        sample = parse(b"From: a@example.org\r\nSubject: warm-up\r\n\r\nverwijder mij\r\n")
        if isinstance(sample, ParsedMail):
            no_reply_check(sample, own_addresses=frozenset())
            classify(sample)

    def quarantine(self, fetched: FetchedMessage, error: str) -> Ingested:
        """Record the raw mail as quarantined, whatever else went wrong with it."""
        now = self.clock()
        with self.uow() as uow:
            existing = uow.repo.inbound_at(fetched.mailbox, fetched.uidvalidity, fetched.uid)
            if existing is not None:
                return _result(existing, new=False)
            raw_sha256 = hashlib.sha256(fetched.raw).hexdigest()
            mail = InboundMail(
                mailbox=fetched.mailbox, uidvalidity=fetched.uidvalidity, uid=fetched.uid,
                raw_sha256=raw_sha256, raw_size=len(fetched.raw), raw=fetched.raw,
                internaldate=fetched.internaldate, received_at=fetched.internaldate or now,
                fetched_at=now, disposition=Disposition.QUARANTINED, error=error,
                dedup_key=None)
            uow.repo.add(mail)
            uow.repo.flush()
            self._event(uow.repo, mail, "quarantined", {"error": error}, now)
            uow.commit()
            return _result(mail, new=True, requests=())

    def _ingest(self, fetched: FetchedMessage) -> Ingested:
        now = self.clock()
        with self.uow() as uow:
            repo = uow.repo
            existing = repo.inbound_at(fetched.mailbox, fetched.uidvalidity, fetched.uid)
            if existing is not None:
                return _result(existing, new=False)
            raw = fetched.raw
            mail = InboundMail(
                mailbox=fetched.mailbox, uidvalidity=fetched.uidvalidity, uid=fetched.uid,
                raw_sha256=hashlib.sha256(raw).hexdigest(), raw_size=len(raw), raw=raw,
                internaldate=fetched.internaldate,
                received_at=fetched.internaldate or now, fetched_at=now,
                disposition=Disposition.QUARANTINED)
            parsed: ParsedMail | ParseFailure
            if len(raw) > self.settings.mailbox.max_size:
                parsed = ParseFailure(f"too large: {len(raw)} bytes, the limit "
                                      f"(mailbox.max_size) is {self.settings.mailbox.max_size}")
            else:
                parsed = parse(raw)
            if isinstance(parsed, ParseFailure):
                mail.error = parsed.error
                repo.add(mail)
                self._claim_key(repo, mail, _dedup_key(None, mail.raw_sha256))
                self._event(repo, mail, "quarantined", {"error": parsed.error}, now)
                uow.commit()
                log.warning("mail %s quarantined: %s", mail.id, parsed.error)
                return _result(mail, new=True, requests=())
            repo.add(mail)
            requests = self._handle(uow, mail, parsed, now, actor="mailbot")
            uow.commit()
            return _result(mail, new=True, requests=requests)

    def replay(self, inbound_id: int, *, actor: str) -> tuple[Ingested, str | None]:
        """Parse a quarantined mail again (after a parser fix, or with a higher size limit)
        and, when it parses now, handle it the way the daemon would have; the deadline still
        runs from when it first arrived. Returns the outcome and the parse error, if any."""
        now = self.clock()
        with self.uow() as uow:
            mail = uow.repo.inbound(inbound_id)
            if mail is None or mail.disposition != Disposition.QUARANTINED or mail.raw is None:
                raise NotFound(f"no quarantined mail {inbound_id}")
            parsed = parse(mail.raw)
            if isinstance(parsed, ParseFailure):
                mail.error = parsed.error
                self._event(uow.repo, mail, "replay_failed", {"error": parsed.error}, now,
                            actor=actor)
                uow.commit()
                return _result(mail, new=False, requests=()), parsed.error
            self._event(uow.repo, mail, "replayed", {"previous_error": mail.error}, now,
                        actor=actor)
            mail.error = None
            requests = self._handle(uow, mail, parsed, now, actor=actor)
            uow.commit()
            return _result(mail, new=False, requests=requests), None

    def _handle(self, uow: UnitOfWork, mail: InboundMail, parsed: ParsedMail, now: datetime,
                *, actor: str) -> list[Request]:
        """Everything after the raw mail is safe: dedup, no-reply checks, verification
        answers, classification, requests, acknowledgement, workflow. Returns the requests."""
        repo = uow.repo
        parsed = unwrap_form_relay(parsed, self.settings.organisation.own_addresses)
        self._describe(mail, parsed)
        if not self._claim_key(repo, mail, _dedup_key(parsed.message_id, mail.raw_sha256)):
            self._event(repo, mail, "duplicate", {"of": mail.duplicate_of_id}, now)
            return []
        verdict = no_reply_check(parsed, own_addresses=self.settings.organisation
                                 .own_addresses, loop_header=LOOP_HEADER)
        if verdict is not None:
            self._record_no_reply(repo, mail, verdict, now)
            return []
        ctx = HandlerContext(self.settings, repo, self.acknowledger.renderer, self.sources,
                             now, actor)
        waiting = verify.match_reply(ctx, parsed, mail)
        if waiting is not None:
            mail.disposition = Disposition.VERIFICATION
            workflow.verified(ctx, waiting, "code")
            return []
        client = parsed.sender is not None and repo.is_client_contact(parsed.sender.addr)
        verdict_c = classify(parsed, client_contact=client)
        verdict_c = self._follow_up(repo, mail, parsed, verdict_c, now)
        if verdict_c is None:
            return []
        signs = automatic_signs(parsed)
        requests = self._record_requests(repo, mail, parsed, verdict_c, now, signs=signs)
        self._child_check(ctx, mail, parsed, requests, now)
        outbox = None
        if signs and any(r.triage for r in requests):
            # Perhaps a machine wrote it: a person decides before anyone is answered.
            self._event(repo, mail, "acknowledgement_held", {"signs": list(signs)}, now)
        else:
            outbox = self.acknowledger.queue(repo, mail, requests,
                                             references=parsed.references, now=now)
        if outbox is not None:
            for request in requests:
                request.status = RequestStatus.ACKNOWLEDGED
        workflow.start(ctx, requests, parsed)
        log.info("mail %s from %s recorded: %s", mail.id, mail.sender,
                 ", ".join(f"{r.reference} {r.kind}" for r in requests))
        return requests

    def _follow_up(self, repo: Repository, mail: InboundMail, parsed: ParsedMail,
                   verdict: Classification, now: datetime) -> Classification | None:
        """A mail asking after one of the sender's open requests is linked to it (an event
        staff see on the request) and opens no new request; what it asks beyond that request's
        kind is recorded as usual. Returns what is left to record, None when nothing is."""
        if mail.sender is None:
            return verdict
        open_requests = [OpenRequest(r.id, r.reference or "", RequestKind(r.kind),
                                     frozenset(repo.message_ids_about(r)))
                         for r in repo.open_requests_from(mail.sender)]
        found = find_follow_up(parsed, verdict, open_requests)
        if found is None:
            return verdict
        self._event(repo, mail, "follow_up", {"reason": found.reason, "inbound_id": mail.id},
                    now, request_id=found.request_id)
        if not found.new_kinds:
            mail.disposition = Disposition.FOLLOW_UP
            mail.language = verdict.language
            mail.classification = _classification_json(verdict)
            log.info("mail %s from %s follows up request %s", mail.id, mail.sender,
                     found.request_id)
            return None
        kept = tuple(r for r in verdict.requests if r.kind in found.new_kinds)
        return Classification(verdict.language, kept, verdict.evidence, verdict.review)

    def _describe(self, mail: InboundMail, parsed: ParsedMail) -> None:
        mail.message_id = parsed.message_id[:998] if parsed.message_id else None
        mail.sender = parsed.sender.addr[:320] if parsed.sender else None
        mail.sender_name = parsed.sender.name if parsed.sender else None
        mail.subject = parsed.subject
        mail.body_text = parsed.text
        mail.in_reply_to = parsed.in_reply_to[:998] if parsed.in_reply_to else None
        mail.disposition = Disposition.REQUEST

    def _claim_key(self, repo: Repository, mail: InboundMail, key: str) -> bool:
        """Give the mail its dedup key; when another mail holds it, mark this one a duplicate
        of that one and say False."""
        repo.flush()
        first = repo.inbound_by_dedup_key(key)
        if first is not None and first.id != mail.id:
            mail.dedup_key, mail.duplicate_of_id = None, first.id
            mail.disposition = Disposition.DUPLICATE
            repo.flush()
            return False
        mail.dedup_key = key
        repo.flush()
        return True

    def _record_no_reply(self, repo: Repository, mail: InboundMail, verdict: NoReplyVerdict,
                         now: datetime) -> None:
        mail.disposition = verdict.disposition
        mail.disposition_rule = verdict.rule
        mail.disposition_reason = verdict.reason
        detail: dict[str, object] = {"rule": verdict.rule, "reason": verdict.reason}
        if verdict.disposition is Disposition.BOUNCE and verdict.bounced_message_id:
            original = repo.outbox_message_for(f"<{verdict.bounced_message_id.strip('<>')}>")
            if original is not None:
                detail["bounced_outbox_id"] = original.id
                original.status = "bounced"  # the recipient address does not take mail
                original.last_error = f"bounced: {verdict.reason}"
                repo.add(Event(at=now, actor="mailbot", action="bounced",
                               inbound_id=original.inbound_id, request_id=original.request_id,
                               outbox_id=original.id,
                               detail={"recipients": list(verdict.bounced_recipients)}))
        self._event(repo, mail, "not_answered", detail, now)

    def _record_requests(self, repo: Repository, mail: InboundMail, parsed: ParsedMail,
                         verdict: Classification, now: datetime,
                         signs: tuple[str, ...] = ()) -> list[Request]:
        mail.language = verdict.language
        mail.classification = _classification_json(verdict)
        local_received = mail.received_at.astimezone(self.zone)
        due = due_date(local_received)
        requests = []
        sender = mail.sender
        if sender is None:
            self._event(repo, mail, "no_sender", {"reason": "no usable From address"}, now)
            sender = ""
        detected = verdict.requests or ()
        # One mail, one decision: when any of its requests is unsure, or it shows signs of a
        # machine, a person looks before anything is done on any of them.
        held = needs_triage(verdict) or bool(signs)
        if held:
            reasons = [*triage_reasons(verdict), *(f"signs of a machine: {s}" for s in signs)]
            self._event(repo, mail, "held_for_triage", {"reasons": reasons}, now)
        for item in detected:
            request = Request(
                inbound=mail, kind=item.kind, status=RequestStatus.NEW,
                language=verdict.language, sender=sender, subject=parsed.subject,
                received_at=mail.received_at, due_at=due, confidence=item.confidence,
                target_at=target_date(due, self.settings.deadlines.target_working_days),
                triage=held,
                evidence=[_evidence_json(e) for e in item.evidence],
                created_at=now, updated_at=now)
            repo.add(request)
            repo.flush()
            request.reference = self._reference(mail, request.id)
            requests.append(request)
            self._event(repo, mail, "request_recorded",
                        {"kind": item.kind, "confidence": item.confidence,
                         "due": due.isoformat()}, now, request_id=request.id)
        return requests

    def _reference(self, mail: InboundMail, request_id: int) -> str:
        return f"MB-{mail.received_at.astimezone(self.zone).year}-{request_id:05d}"

    def _child_check(self, ctx: HandlerContext, mail: InboundMail, parsed: ParsedMail,
                     requests: list[Request], now: datetime) -> None:
        """Data about a child under 16 is flagged and handled as erasure as well."""
        sign = is_child(parsed.text, mail.received_at.astimezone(self.zone).date()) \
            if requests else None
        if sign is None:
            return
        if not any(r.kind == RequestKind.ERASURE for r in requests):
            like = requests[0]
            extra = Request(
                inbound=mail, kind=RequestKind.ERASURE, status=RequestStatus.NEW,
                language=like.language, sender=like.sender, subject=like.subject,
                received_at=like.received_at, due_at=like.due_at, target_at=like.target_at,
                confidence=1.0, triage=False,
                evidence=[{"rule": "child_under_16", "kind": "erasure",
                           "matched": sign.evidence, "weight": 1.0}],
                created_at=now, updated_at=now)
            ctx.repo.add(extra)
            ctx.repo.flush()
            extra.reference = self._reference(mail, extra.id)
            requests.append(extra)
        for request in requests:
            mark_child(ctx, request, sign)

    @staticmethod
    def _event(repo: Repository, mail: InboundMail, action: str, detail: dict[str, object],
               now: datetime, *, request_id: int | None = None, actor: str = "mailbot") -> None:
        repo.add(Event(at=now, actor=actor, action=action, inbound_id=mail.id,
                       request_id=request_id, detail=detail))


def _dedup_key(message_id: str | None, raw_sha256: str) -> str:
    if message_id:
        return hashlib.sha256(message_id.strip().encode("utf-8", "replace")).hexdigest()
    return raw_sha256


def _result(mail: InboundMail, *, new: bool,
            requests: Sequence[Request] | None = None) -> Ingested:
    found = mail.requests if requests is None else requests
    return Ingested(mail.id, Disposition(mail.disposition), tuple(r.id for r in found), new)


def _evidence_json(evidence: object) -> dict[str, object]:
    return {"rule": getattr(evidence, "rule", ""), "kind": getattr(evidence, "kind", None),
            "matched": getattr(evidence, "matched", ""),
            "weight": getattr(evidence, "weight", 1.0)}


def _classification_json(verdict: Classification) -> dict[str, object]:
    return {
        "language": verdict.language,
        "requests": [{"kind": r.kind, "confidence": r.confidence,
                      "evidence": [_evidence_json(e) for e in r.evidence]}
                     for r in verdict.requests],
        "evidence": [_evidence_json(e) for e in verdict.evidence],
        "review": list(verdict.review),
    }
