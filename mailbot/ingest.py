"""Record fetched mail and everything that follows from it, a batch in one transaction.

The raw mail is kept first (quarantined when it cannot be parsed); then the mail goes through
the named steps of the ``Pipeline``, in order, until one says its path ends:

    dedup               a Message-ID seen before: recorded as a duplicate
    no_reply            auto-replies, bounces, list mail, our own mail: never answered
    verification_reply  an answer to our verification mail releases the requests it proves
    classification      kinds, language, evidence, and signs that a machine wrote it
    follow_up           a mail about one of the sender's open requests is linked to it
    recording           the handlers' kind rules (a child: erasure as well), then one
                        request per kind with its due date; unsure or machine-like mail is
                        held for a person as a whole
    -- the requests of every mail of the group written in one flush: their numbers --
    numbered            each request its reference and event, the kind rules' marks
    acknowledgement     one reply naming every reference, into the outbox (held back when
                        a machine may have written it)
    workflow            triage, verification or the kind's handler, each request on its way

A batch of recorded mails is handled in groups: a group's lookups (dedup keys, client
contacts, open requests, recent acknowledgements) are asked once for all its mails
(store/foreknown.py), and a group ends before a sender already in it, so every mail still sees
what the sender's earlier mail did. A batch that fails is handled again one mail at a time.

Nothing here touches the mailbox or the network: the caller marks the mail on the server
after ``record`` (or ``ingest``) returns, and the outbox is delivered separately."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from mailbot.classify import classify, needs_triage, triage_reasons
from mailbot.classify.followup import OpenRequest, find_follow_up
from mailbot.classify.rights import carried
from mailbot.classify.special import detect
from mailbot.domain.calendar import target_date
from mailbot.domain.deadline import due_date
from mailbot.domain.kinds import Disposition, RequestKind
from mailbot.domain.mail import (
    LOOP_HEADER,
    Classification,
    DetectedRequest,
    ParsedMail,
    ParseFailure,
)
from mailbot.domain.states import RequestStatus
from mailbot.errors import Conflict, NotFound, StoreError
from mailbot.handle import other_rights, special, unsubscribe, verify, workflow
from mailbot.handle.acknowledge import Acknowledger
from mailbot.handle.base import KindRule
from mailbot.handle.context import HandlerContext, Services
from mailbot.handle.registry import kind_rules
from mailbot.mailbox import FetchedMessage
from mailbot.parse import parse, parse_owned
from mailbot.parse.noreply import automatic_signs, unwrap_form_relay
from mailbot.parse.noreply import check as no_reply_check
from mailbot.preload import preload
from mailbot.send.bounces import link_bounce
from mailbot.send.outbox import ACKNOWLEDGEMENT
from mailbot.store import foreknown
from mailbot.store.models import InboundMail, OutboxMessage, Request
from mailbot.store.repository import Repository
from mailbot.store.uow import UnitOfWork, database_trouble

log = logging.getLogger(__name__)
GROUP_BYTES = 4 << 20  # raw mail handled in one group at most (the parsed mails are held)


@dataclass(frozen=True, slots=True)
class Ingested:
    inbound_id: int
    disposition: Disposition
    request_ids: tuple[int, ...]
    new: bool  # False when the mail had been recorded before (a re-fetch)


@dataclass
class Arrival:
    """One parsed mail on its way through the steps, and what they found so far."""

    ctx: HandlerContext
    mail: InboundMail
    parsed: ParsedMail
    verdict: Classification | None = None
    signs: tuple[str, ...] = ()  # what looks automatic about the mail
    detected: list[DetectedRequest] = field(default_factory=list)
    marks: list[tuple[KindRule, Any]] = field(default_factory=list)
    recorded: list[tuple[DetectedRequest, Request]] = field(default_factory=list)  # unflushed
    requests: list[Request] = field(default_factory=list)  # recorded, numbered
    ended: bool = False  # a step said the mail's path ends
    acknowledgement: OutboxMessage | None = None

    @property
    def repo(self) -> Repository:
        return self.ctx.repo

    @property
    def now(self) -> datetime:
        return self.ctx.now

    def event(self, action: str, detail: dict[str, object], *,
              request_id: int | None = None) -> None:
        _event(self.repo, self.mail, action, detail, self.now, request_id=request_id)


class Step(Protocol):
    name: str

    def __call__(self, arrival: Arrival) -> bool:
        """Do the step; False when the mail's path ends here."""


@dataclass(frozen=True, slots=True)
class Pipeline:
    """The steps before the requests have their numbers, and those after: the mails of a
    batch go through ``before`` one by one, their requests are written in one flush, and
    then each goes through ``after``."""

    before: tuple[Step, ...]
    after: tuple[Step, ...]


class Dedup:
    """A Message-ID (or, without one, raw bytes) recorded before: this one is a duplicate."""

    name = "dedup"

    def __call__(self, arrival: Arrival) -> bool:
        key = _dedup_key(arrival.parsed.message_id, arrival.mail.raw_sha256)
        known = foreknown.current(arrival.repo)
        if _claim_key(arrival.repo, arrival.mail, key,
                      known=known.holders if known is not None else None):
            return True
        arrival.event("duplicate", {"of": arrival.mail.duplicate_of_id})
        return False


class NoReply:
    """Auto-replies, bounces, list mail and our own mail are recorded and never answered; a
    bounce of our own mail marks the message that bounced."""

    name = "no_reply"

    def __call__(self, arrival: Arrival) -> bool:
        settings = arrival.ctx.settings
        verdict = no_reply_check(arrival.parsed, own_addresses=settings.own_addresses,
                                 loop_header=LOOP_HEADER)
        if verdict is None:
            return True
        mail = arrival.mail
        mail.disposition = verdict.disposition
        mail.disposition_rule = verdict.rule
        mail.disposition_reason = verdict.reason
        detail: dict[str, object] = {"rule": verdict.rule, "reason": verdict.reason}
        if verdict.disposition is Disposition.BOUNCE:
            bounced = link_bounce(arrival.repo, verdict, arrival.now)
            if bounced is not None:
                detail["bounced_outbox_id"] = bounced
        arrival.event("not_answered", detail)
        return False


class VerificationReply:
    """An answer to our verification mail: the requests it proves go on."""

    name = "verification_reply"

    def __call__(self, arrival: Arrival) -> bool:
        waiting = verify.match_reply(arrival.ctx, arrival.parsed, arrival.mail)
        if waiting is None:
            return True
        arrival.mail.disposition = Disposition.VERIFICATION
        workflow.verified(arrival.ctx, waiting, "code")
        return False


class Classify:
    """What the mail asks and in which language, and what in it looks automatic."""

    name = "classification"

    def __call__(self, arrival: Arrival) -> bool:
        parsed, mail = arrival.parsed, arrival.mail
        known = foreknown.current(arrival.repo)
        client = (known.is_contact(parsed.sender.addr)
                  if known is not None and parsed.sender is not None else None)
        if client is None:
            with arrival.repo.no_autoflush():  # the mail's own changes go with the requests
                client = (parsed.sender is not None and arrival.repo.clients.contact_for(
                    parsed.sender.addr) is not None)
        verdict = classify(parsed, client_contact=client)
        mail.language = verdict.language
        mail.classification = _classification_json(verdict)
        arrival.verdict = verdict
        arrival.detected = list(verdict.requests)
        arrival.signs = automatic_signs(parsed)
        mail.special = special.scan(mail, verdict.language)
        if mail.special:
            # the categories only: the passages themselves stay in the sealed column
            arrival.event("special_categories", {"categories": mail.special["categories"]})
        return True


class FollowUp:
    """A mail asking after one of the sender's open requests is linked to it (an event staff
    see on the request) and opens no new request; what it asks beyond that request's kind is
    recorded as usual."""

    name = "follow_up"

    def __call__(self, arrival: Arrival) -> bool:
        mail, verdict, repo = arrival.mail, arrival.verdict, arrival.repo
        if mail.sender is None or verdict is None:
            return True
        known = foreknown.current(repo)
        # pending: the group's mails' own columns and requests, none of this sender's
        with repo.no_autoflush():
            found_open = known.open_from(mail.sender) if known is not None else None
            if found_open is None:
                found_open = list(repo.requests.open_from(mail.sender))
            open_requests = [OpenRequest(r.id, r.reference or "", RequestKind(r.kind),
                                         frozenset(repo.outbox.message_ids_about(r)))
                             for r in found_open]
        found = find_follow_up(arrival.parsed, verdict, open_requests)
        if found is None:
            return True
        arrival.event("follow_up", {"reason": found.reason, "inbound_id": mail.id},
                      request_id=found.request_id)
        if not found.new_kinds:
            mail.disposition = Disposition.FOLLOW_UP
            log.info("mail %s follows up request %s", mail.id, found.request_id)
            return False
        arrival.verdict = Classification(
            verdict.language, tuple(r for r in verdict.requests if r.kind in found.new_kinds),
            verdict.evidence, verdict.review)
        arrival.detected = list(arrival.verdict.requests)
        return True


class Record:
    """The handlers' kind rules, then one request per kind with its due date, target and
    reference. One mail, one decision: when any of its requests is unsure, or it shows signs
    of a machine, a person looks before anything is done on any of them."""

    name = "recording"

    def __init__(self, rules: Sequence[KindRule]) -> None:
        self.rules = rules

    def __call__(self, arrival: Arrival) -> bool:
        ctx, mail = arrival.ctx, arrival.mail
        received = ctx.local_date(mail.received_at)
        for rule in self.rules:
            sign = rule.sign(arrival.parsed.text, received) if arrival.detected else None
            if sign is not None:
                arrival.detected = rule.amend(arrival.detected, sign)
                arrival.marks.append((rule, sign))
        due = due_date(received)
        target = target_date(due, ctx.settings.deadlines.target_working_days)
        sender = mail.sender
        if sender is None:
            arrival.event("no_sender", {"reason": "no usable From address"})
            sender = ""
        verdict = arrival.verdict
        held = bool(arrival.signs) or (verdict is not None and needs_triage(verdict))
        if held and arrival.detected:
            reasons = [*(triage_reasons(verdict) if verdict is not None else []),
                       *(f"signs of a machine: {s}" for s in arrival.signs)]
            arrival.event("held_for_triage", {"reasons": reasons})
        classified = set(verdict.requests) if verdict is not None else set()
        # No handling of this mail was ever committed (a failed one rolled back): it has no
        # requests yet, and they are about to be made.
        arrival.repo.known_empty(mail, "requests")
        for item in arrival.detected:
            request = Request(
                # SQLite: numbered now, so the batch's requests go in one INSERT
                id=arrival.repo.number(Request, pooled=False),
                inbound=mail, kind=item.kind, status=RequestStatus.NEW,
                language=mail.language, sender=sender, subject=arrival.parsed.subject,
                received_at=mail.received_at, due_at=due, confidence=item.confidence,
                # a request a kind rule added is sure: it is not held with the rest
                target_at=target, triage=held and item in classified,
                special=bool(mail.special), child=False, extended_months=0,  # as their
                # defaults: with every value and its number given, nothing is read back
                evidence=[_evidence_json(e) for e in item.evidence],
                created_at=arrival.now, updated_at=arrival.now)
            arrival.repo.add(request)
            arrival.recorded.append((item, request))
        # the requests are written with those of the other mails of the batch, in one flush
        return bool(arrival.recorded)


class Numbered:
    """After the flush that gave the recorded requests their numbers: each its reference
    and its event, the kind rules' marks, the other rights the mail carried."""

    name = "numbered"

    def __call__(self, arrival: Arrival) -> bool:
        ctx, mail, verdict = arrival.ctx, arrival.mail, arrival.verdict
        for item, request in arrival.recorded:
            arrival.repo.known_empty(request, "drafts", "steps")
            request.reference = reference(ctx, mail, request.id)
            arrival.requests.append(request)
            arrival.event("request_recorded", {"kind": item.kind, "confidence": item.confidence,
                                               "due": request.due_at.isoformat()},
                          request_id=request.id)
        for rule, sign in arrival.marks:
            for request in arrival.requests:
                rule.mark(ctx, request, sign)
        if verdict is not None and arrival.requests and (rights := carried(verdict)):
            other_rights.plan(ctx, arrival.requests, rights)
        return bool(arrival.requests)


class Acknowledge:
    """One acknowledgement naming every request, into the outbox."""

    name = "acknowledgement"

    def __init__(self, acknowledger: Acknowledger) -> None:
        self.acknowledger = acknowledger

    def __call__(self, arrival: Arrival) -> bool:
        if arrival.signs and any(r.triage for r in arrival.requests):
            # Perhaps a machine wrote it: a person decides before anyone is answered.
            arrival.event("acknowledgement_held", {"signs": list(arrival.signs)})
            return True
        outbox = self.acknowledger.queue(arrival.repo, arrival.mail, arrival.requests,
                                         references=arrival.parsed.references, now=arrival.now)
        arrival.acknowledgement = outbox
        if outbox is not None:
            for request in arrival.requests:
                request.move(RequestStatus.ACKNOWLEDGED)
        return True


class Workflow:
    """Each request on its way: triage, verification, or its kind's handler."""

    name = "workflow"

    def __call__(self, arrival: Arrival) -> bool:
        # the mail's requests were all recorded just now (Record)
        workflow.start(arrival.ctx, arrival.requests, arrival.parsed, fresh=True)
        log.info("mail %s recorded: %s", arrival.mail.id,
                 ", ".join(f"{r.reference} {r.kind}" for r in arrival.requests))
        return True


class AcknowledgementTrue:
    """The acknowledgement, written before the workflow ran, says only what it recorded: an
    opt-out it did not confirm at once is not called so."""

    name = "acknowledgement_settled"

    def __init__(self, acknowledger: Acknowledger) -> None:
        self.acknowledger = acknowledger

    def __call__(self, arrival: Arrival) -> bool:
        if arrival.signs and any(r.triage for r in arrival.requests):
            return True  # held for a person (Acknowledge)
        arrival.acknowledgement = self.acknowledger.settle(
            arrival.repo, arrival.mail, arrival.requests, arrival.acknowledgement,
            references=arrival.parsed.references, now=arrival.now)
        return True


class History:
    """A mail from an existing mailbox's history (``mailbot import``): its requests are
    recorded closed, and nothing is answered or handled."""

    name = "history"

    def __call__(self, arrival: Arrival) -> bool:
        for request in arrival.requests:
            request.move(RequestStatus.CLOSED)
            arrival.event("imported", {"note": HISTORY_NOTE}, request_id=request.id)
        return False


HISTORY_NOTE = "brought in from the mailbox's history; mailbot did not answer it"


def reference(ctx: HandlerContext, mail: InboundMail, request_id: int) -> str:
    """A request's reference: the year the mail arrived (local) and the request's number."""
    return f"MB-{ctx.local_date(mail.received_at).year}-{request_id:05d}"


class Ingestor:
    def __init__(self, services: Services, uow: Callable[[], UnitOfWork]) -> None:
        self.services = services
        self.settings = services.settings
        self.uow = uow
        self.clock = services.clock
        self.zone = ZoneInfo(services.settings.organisation.timezone)
        acknowledger = Acknowledger(services.settings, services.renderer, services.reply_from)
        self.steps = Pipeline(
            (Dedup(), NoReply(), VerificationReply(), Classify(), FollowUp(),
             Record(kind_rules())),
            (Numbered(), Acknowledge(acknowledger), Workflow(),
             AcknowledgementTrue(acknowledger)))
        self.history_steps = Pipeline(
            (Dedup(), NoReply(), Classify(), Record(kind_rules())), (Numbered(), History()))

    def ingest(self, fetched: FetchedMessage, *, history: bool = False) -> Ingested:
        """Record ``fetched`` and handle it, in one transaction; with ``history``, record it
        only (its requests closed, nothing answered)."""
        try:
            return self._ingest(fetched, self.history_steps if history else self.steps)
        except Conflict:
            # Another process recorded the same mail between our check and our insert.
            with self.uow() as uow:
                existing = uow.repo.inbound.at(fetched.mailbox, fetched.uidvalidity,
                                               fetched.uid)
                if existing is None:
                    raise
                return _result(existing, new=False)

    def record(self, batch: Sequence[FetchedMessage]) -> int:
        """Keep the raw mails of ``batch`` (sealed), in one transaction, for a worker to
        handle next (``process``); mails recorded before are left alone. Returns how many were
        new. After it returns, the caller may mark the whole batch on the server."""
        if not batch:
            return 0
        now = self.clock()
        try:
            with self.uow() as uow:
                new = self._record(uow.repo, batch, now)
                uow.commit()
                return new
        except Conflict:
            # Another worker recorded some of them meanwhile (its lease ran out, ours began):
            # one at a time, each of them is new to one of us.
            new = 0
            for fetched in batch:
                try:
                    with self.uow() as uow:
                        new += self._record(uow.repo, [fetched], now)
                        uow.commit()
                except Conflict:
                    continue
            return new

    def _record(self, repo: Repository, batch: Sequence[FetchedMessage], now: datetime) -> int:
        known = repo.inbound.positions(batch[0].mailbox, [(f.uidvalidity, f.uid) for f in batch])
        fresh = [f for f in batch if (f.uidvalidity, f.uid) not in known]
        seen: set[tuple[int, str]] = set()
        for fetched in fresh:
            if (fetched.uidvalidity, fetched.uid) not in seen:
                seen.add((fetched.uidvalidity, fetched.uid))
                mail = self._raw_mail(fetched, now)
                # SQLite: numbered now, so the batch goes in one INSERT (store/ids.py)
                mail.id = repo.number(InboundMail, pooled=False)
                repo.add(mail)
        return len(seen)

    def process(self, limit: int = 20) -> int:
        """Handle up to ``limit`` recorded mails no other worker is handling (oldest first),
        in one transaction; returns how many were handled. When one of them fails, each of
        them is handled again in a transaction of its own, and a mail that fails again is
        quarantined: a bug costs one mail a quarantine, never the batch."""
        with self.uow() as uow:
            mails = uow.repo.inbound.claim_pending(limit)
            if not mails:
                return 0
            uow.repo.events.hold()
            ids = [mail.id for mail in mails]
            try:
                self._handle(uow.repo, mails, self.clock(), self.steps)
                uow.commit()
                return len(ids)
            except StoreError:
                raise
            except Exception:
                log.info("a batch of %s mails failed; handling them one at a time", len(ids))
                uow.rollback()
        return sum(self._process_one(inbound_id) for inbound_id in ids)

    def _process_one(self, inbound_id: int) -> int:
        error: Exception | None = None
        for _attempt in (1, 2):  # a second try sees what a worker committed meanwhile
            try:
                with self.uow() as uow:
                    mails = uow.repo.inbound.claim_pending(1, inbound_id=inbound_id)
                    if not mails:
                        return 0  # handled meanwhile, or another worker has it
                    uow.repo.events.hold()
                    self._handle(uow.repo, mails, self.clock(), self.steps)
                    uow.commit()
                    return 1
            except StoreError:
                raise
            except Exception as exc:
                error = exc
        if error is not None and database_trouble(error):  # the database, not the mail
            raise StoreError(f"database error handling mail {inbound_id}: {error}")
        log.error("handling mail %s failed; quarantining it", inbound_id, exc_info=error)
        self.quarantine_recorded(inbound_id, f"internal error: {error!r}")
        return 1

    def quarantine_recorded(self, inbound_id: int, error: str) -> None:
        """Quarantine a recorded mail that could not be handled, its raw bytes kept."""
        now = self.clock()
        with self.uow() as uow:
            mails = uow.repo.inbound.claim_pending(1, inbound_id=inbound_id)
            if not mails:
                return
            mail = mails[0]
            mail.disposition = Disposition.QUARANTINED
            mail.error = error
            _claim_key(uow.repo, mail, _dedup_key(None, mail.raw_sha256))
            _event(uow.repo, mail, "quarantined", {"error": error}, now)
            uow.commit()

    @staticmethod
    def warm_up() -> None:
        """Load the lexicons now, so that the first mail is not the one that waits for it."""
        import mailbot.handle.extract.changes
        import mailbot.handle.extract.child
        import mailbot.handle.extract.child_data
        import mailbot.handle.extract.phones
        import mailbot.handle.extract.purposes  # noqa: F401  (imported where first needed)

        sample = parse(b"From: a@example.org\r\nSubject: warm-up\r\n\r\nverwijder mij\r\n")
        if isinstance(sample, ParsedMail):
            no_reply_check(sample, own_addresses=frozenset())
            automatic_signs(sample)  # the signs of a machine's patterns
            classify(sample)
            detect(sample.text)  # the special categories' phrases, every language
        preload()
        due = due_date(datetime.now(UTC).date())
        target_date(due, 5)  # the holiday calendar

    def load_replies(self) -> None:
        """Compile the replies a request mail may get at once (its acknowledgement, a
        verification mail, an opt-out's confirmation), so that the first mails do not wait."""
        self.services.renderer.load(ACKNOWLEDGEMENT, verify.TEMPLATE, unsubscribe.TEMPLATE)

    def quarantine(self, fetched: FetchedMessage, error: str) -> Ingested:
        """Record the raw mail as quarantined, whatever else went wrong with it."""
        now = self.clock()
        with self.uow() as uow:
            existing = uow.repo.inbound.at(fetched.mailbox, fetched.uidvalidity, fetched.uid)
            if existing is not None:
                return _result(existing, new=False)
            mail = self._raw_mail(fetched, now)
            mail.disposition = Disposition.QUARANTINED
            mail.error = error
            uow.repo.add(mail)
            uow.repo.flush()
            _event(uow.repo, mail, "quarantined", {"error": error}, now)
            uow.commit()
            return _result(mail, new=True, requests=())

    def _raw_mail(self, fetched: FetchedMessage, now: datetime) -> InboundMail:
        raw = fetched.raw
        return InboundMail(
            mailbox=fetched.mailbox, uidvalidity=fetched.uidvalidity, uid=fetched.uid,
            raw_sha256=hashlib.sha256(raw).hexdigest(), raw=raw,
            raw_size=max(len(raw), fetched.size),
            internaldate=fetched.internaldate, received_at=fetched.internaldate or now,
            fetched_at=now, disposition=Disposition.PENDING,
            special_included=False)  # its default: nothing to read back after the INSERT

    def _ingest(self, fetched: FetchedMessage, steps: Pipeline) -> Ingested:
        now = self.clock()
        with self.uow() as uow:
            repo = uow.repo
            existing = repo.inbound.at(fetched.mailbox, fetched.uidvalidity, fetched.uid)
            if existing is not None:
                return _result(existing, new=False)
            mail = self._raw_mail(fetched, now)
            repo.add(mail)
            repo.events.hold()
            handled = self._handle(repo, [mail], now, steps)
            uow.commit()
            return _result(mail, new=True, requests=handled[0] if handled else [])

    def _handle(self, repo: Repository, mails: Sequence[InboundMail], now: datetime,
                pipeline: Pipeline) -> list[list[Request]]:
        """Recorded mails parsed and through ``pipeline``, a group at a time (a mail that
        cannot be parsed, or is over the limit, quarantined); returns each handled mail's
        requests. A group ends before a sender already in it, so that a mail sees what the
        sender's earlier mail recorded (a follow-up, the rate limit), and at
        ``GROUP_BYTES`` of raw mail, so that the parsed mails held stay few."""
        handled: list[list[Request]] = []
        group: list[tuple[InboundMail, ParsedMail]] = []
        senders: set[str] = set()
        size = 0
        for mail in mails:
            parsed = self._parse(repo, mail, now)
            if parsed is None:
                handled.append([])
                continue
            parsed = unwrap_form_relay(parsed, self.settings.own_addresses)
            sender = parsed.sender.addr.lower() if parsed.sender else ""
            if group and (sender in senders or size >= GROUP_BYTES):
                handled += self._through(repo, group, now, actor="mailbot", pipeline=pipeline)
                repo.flush()  # the next group's lookups without autoflush see it all
                group, senders, size = [], set(), 0
            group.append((mail, parsed))
            senders.add(sender)
            size += mail.raw_size
        if group:
            handled += self._through(repo, group, now, actor="mailbot", pipeline=pipeline)
        return handled

    def _parse(self, repo: Repository, mail: InboundMail, now: datetime) -> ParsedMail | None:
        """The recorded mail parsed; None when it was quarantined instead (it cannot be
        parsed, or it is over the limit)."""
        parsed: ParsedMail | ParseFailure
        limit = self.settings.mailbox.max_size
        if mail.raw_size > limit:
            parsed = ParseFailure(
                f"too large: {mail.raw_size} bytes, the limit "
                f"(mailbox.max_size) is {limit}; only its header and the start of its "
                "text were read and are kept here, the whole mail stays in the mailbox: "
                "read it there; replay handles the part kept here, or dismiss it")
        else:
            raw = repo.inbound.raw_to_parse(mail) or b""
            parsed = parse_owned(raw) if isinstance(raw, bytearray) else parse(raw)
            del raw
        if isinstance(parsed, ParseFailure):
            mail.disposition = Disposition.QUARANTINED
            mail.error = parsed.error
            _claim_key(repo, mail, _dedup_key(None, mail.raw_sha256))
            _event(repo, mail, "quarantined", {"error": parsed.error}, now)
            log.warning("mail %s quarantined: %s", mail.id, parsed.error)
            return None
        return parsed

    def replay(self, inbound_id: int, *, actor: str) -> tuple[Ingested, str | None]:
        """Parse a quarantined mail again (after a parser fix; of a mail over the limit, the
        part that was kept) and, when it parses now, handle it the way the daemon would have;
        the deadline still runs from when it first arrived. Returns the outcome and the parse
        error, if any."""
        now = self.clock()
        with self.uow() as uow:
            mail = uow.repo.inbound.get(inbound_id)
            if mail is None or mail.disposition != Disposition.QUARANTINED or mail.raw is None:
                raise NotFound(f"no quarantined mail {inbound_id}")
            parsed = parse(mail.raw)
            if isinstance(parsed, ParseFailure):
                mail.error = parsed.error
                _event(uow.repo, mail, "replay_failed", {"error": parsed.error}, now,
                       actor=actor)
                uow.commit()
                return _result(mail, new=False, requests=()), parsed.error
            _event(uow.repo, mail, "replayed", {"previous_error": mail.error}, now, actor=actor)
            mail.error = None
            parsed = unwrap_form_relay(parsed, self.settings.own_addresses)
            requests, = self._through(uow.repo, [(mail, parsed)], now, actor=actor,
                                      pipeline=self.steps)
            uow.commit()
            return _result(mail, new=False, requests=requests), None

    def _through(self, repo: Repository, group: Sequence[tuple[InboundMail, ParsedMail]],
                 now: datetime, *, actor: str, pipeline: Pipeline) -> list[list[Request]]:
        """Mails (their raw bytes safe, parsed) through ``pipeline``: each through the steps
        before numbering until one ends its path, the requests of all of them written in one
        flush, then each through the steps after; returns each mail's requests."""
        for mail, parsed in group:
            _describe(mail, parsed)
        known = self._foreknown(repo, group, now) if len(group) > 1 else None
        arrivals = []
        with foreknown.kept(repo, known) if known is not None else nullcontext():
            for mail, parsed in group:
                arrival = Arrival(self.services.context(repo, actor=actor, now=now), mail,
                                  parsed)
                arrival.ended = not _through_steps(arrival, pipeline.before)
                arrivals.append(arrival)
            if any(arrival.recorded for arrival in arrivals):
                repo.flush()  # one flush for all: their numbers make the references
            for arrival in arrivals:
                if not arrival.ended:
                    _through_steps(arrival, pipeline.after)
        return [arrival.requests for arrival in arrivals]

    def _foreknown(self, repo: Repository, group: Sequence[tuple[InboundMail, ParsedMail]],
                   now: datetime) -> foreknown.Foreknown:
        """What the steps look up for each mail of ``group``, asked for all at once."""
        window = timedelta(seconds=self.settings.acknowledge.rate_limit_window)
        return foreknown.Foreknown.ask(
            repo, keys={_dedup_key(parsed.message_id, mail.raw_sha256)
                        for mail, parsed in group},
            senders={mail.sender for mail, _ in group if mail.sender},
            purpose=ACKNOWLEDGEMENT, since=now - window)


def _through_steps(arrival: Arrival, steps: Sequence[Step]) -> bool:
    """``arrival`` through ``steps`` in order until one ends its path; False when one did."""
    return all(step(arrival) for step in steps)


def _describe(mail: InboundMail, parsed: ParsedMail) -> None:
    mail.message_id = parsed.message_id[:998] if parsed.message_id else None
    mail.sender = parsed.sender.addr[:320] if parsed.sender else None
    mail.sender_name = parsed.sender.name if parsed.sender else None
    mail.subject = parsed.subject
    mail.body_text = parsed.text
    mail.in_reply_to = parsed.in_reply_to[:998] if parsed.in_reply_to else None
    mail.disposition = Disposition.REQUEST


def _claim_key(repo: Repository, mail: InboundMail, key: str, *,
               known: Mapping[str, int] | None = None) -> bool:
    """Give the mail its dedup key; when another mail holds it, mark this one a duplicate
    of that one and say False. The key itself is written with the mail's next flush (a
    mail recorded at the same moment by another worker: the unique index refuses it)."""
    if mail.id is None:
        repo.flush()  # a mail recorded in this transaction: its number, for its events
    first = repo.inbound.claim_dedup_key(mail, key, known=known)
    if first is not None:
        mail.dedup_key, mail.duplicate_of_id = None, first
        mail.disposition = Disposition.DUPLICATE
        return False
    return True


def _event(repo: Repository, mail: InboundMail, action: str, detail: dict[str, object],
           now: datetime, *, request_id: int | None = None, actor: str = "mailbot") -> None:
    repo.event(action, at=now, actor=actor, inbound_id=mail.id, request_id=request_id,
               detail=detail)


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
