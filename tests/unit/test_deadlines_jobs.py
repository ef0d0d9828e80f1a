"""The deadline jobs against a real SQLite store, with a clock the test moves: reminders,
escalation, the digest, extension, refusal and verification expiry."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from mailbot.config import Settings
from mailbot.deadlines.jobs import DeadlineJobs
from mailbot.deadlines.retention import purge
from mailbot.domain.deadline import due_date
from mailbot.draft.render import Renderer
from mailbot.errors import WorkflowError
from mailbot.handle import drafts, extension, refusal, verify
from mailbot.handle.context import HandlerContext, Services
from mailbot.sources.registry import SourceRegistry
from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import Draft, Event, InboundMail, Notice, Request, Verification
from mailbot.store.uow import UnitOfWork, uow_factory
from tests.harness.app import make_settings

AMS = ZoneInfo("Europe/Amsterdam")
STAFF = "privacy-team@example.org"
BOSS = "dpo@example.org"
SANNE = "sanne.jansen@example.org"
_uids = itertools.count(1)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), AMS).astimezone(UTC)


class World:
    def __init__(self, tmp_path: Path, **sections: dict[str, Any]) -> None:
        deadlines = {"staff_address": STAFF, "escalation_address": BOSS,
                     **sections.pop("deadlines", {})}
        organisation = {"language": "en", **sections.pop("organisation", {})}
        self.settings: Settings = make_settings(
            tmp_path, mailbox_url="imap://u:p@localhost:143/INBOX",
            smtp_url="smtp://localhost:25", deadlines=deadlines, organisation=organisation,
            **sections)
        self.engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", Cipher([generate_key()]))
        upgrade(self.engine)
        self.uow = uow_factory(self.engine)
        self.renderer = Renderer()
        self.now = at(date(2026, 11, 2))
        self.services = Services(self.settings, self.renderer,
                                 SourceRegistry.from_settings(()), lambda: self.now)
        self.jobs = DeadlineJobs(self.services, self.uow)

    def ctx(self, uow: UnitOfWork, actor: str = "mailbot") -> HandlerContext:
        return self.services.context(uow.repo, actor)

    def request(self, *, kind: str = "access", status: str = "awaiting_approval",
                draft: bool = True) -> int:
        """A request received now, with a reply draft waiting for approval."""
        with self.uow() as uow:
            uid = next(_uids)
            mail = InboundMail(
                mailbox="INBOX", uidvalidity=1, uid=str(uid), raw_sha256=f"{uid:064d}",
                raw_size=5, raw=b"hello", received_at=self.now, fetched_at=self.now,
                disposition="request", sender=SANNE, sender_name="Sanne Jansen",
                message_id=f"<m{uid}@mail.example.org>", dedup_key=f"{uid:064d}",
                subject="Inzage", body_text="Welke gegevens hebben jullie van mij?")
            uow.repo.add(mail)
            uow.repo.flush()
            request = Request(
                inbound=mail, kind=kind, status=status, language="nl", sender=SANNE,
                subject="Inzage", received_at=self.now,
                due_at=due_date(self.now.astimezone(AMS)), confidence=1.0,
                created_at=self.now, updated_at=self.now)
            uow.repo.add(request)
            uow.repo.flush()
            request.reference = f"MB-2026-{request.id:05d}"
            if draft:
                self.ctx(uow).draft(request, template="acknowledgement", purpose="reply",
                                    needs_approval=True, context={
                                        "name": "Sanne", "subject": "", "received": date.today(),
                                        "requests": [request], "any_rights": True,
                                        "due": request.due_at})
            uow.commit()
            return request.id

    def get(self, request_id: int) -> SimpleNamespace:
        """The request's columns as they are in the database now."""
        with self.uow() as uow:
            request = uow.session.get(Request, request_id)
            assert request is not None
            return SimpleNamespace(**{c.key: getattr(request, c.key)
                                      for c in Request.__table__.columns})

    def mails(self) -> list[tuple[str, EmailMessage]]:
        with self.uow() as uow:
            return [(row.recipient, message_from_bytes(row.message or b"",
                                                       policy=policy.default))
                    for row in uow.repo.outbox.list()]

    def staff_mails(self) -> list[tuple[str, str]]:
        return [(to, str(m["Subject"])) for to, m in self.mails() if to in (STAFF, BOSS)]

    def events(self, request_id: int) -> list[str]:
        with self.uow() as uow:
            return [e.action for e in uow.session.scalars(
                select(Event).where(Event.request_id == request_id).order_by(Event.id))]

    def step(self, when: datetime) -> None:
        self.now = when
        self.jobs.run_all()

    def approve(self, draft_id: int, by: str = "Femke") -> None:
        with self.uow() as uow:
            drafts.approve(self.ctx(uow, by), draft_id)
            uow.commit()

    def draft_of(self, request_id: int, purpose: str) -> SimpleNamespace:
        with self.uow() as uow:
            found = uow.session.scalars(select(Draft).where(
                Draft.request_id == request_id, Draft.purpose == purpose)
                .order_by(Draft.id.desc())).first()
            assert found is not None
            return SimpleNamespace(**{c.key: getattr(found, c.key)
                                      for c in Draft.__table__.columns})


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = World(tmp_path)
    yield made
    made.engine.dispose()


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def test_each_reminder_goes_once_at_its_point(world: World) -> None:
    request_id = world.request()  # Monday 2 November: due Wednesday 2 December
    assert world.get(request_id).due_at == date(2026, 12, 2)
    sent: dict[date, list[tuple[str, str]]] = {}
    for day in days(date(2026, 11, 2), date(2026, 12, 8)):
        before = len(world.staff_mails())
        for hour in (1, 9, 17):  # three scans a day: the later ones find nothing new
            world.step(at(day, hour))
        new = world.staff_mails()[before:]
        new = [(to, subject) for to, subject in new if "Reminder" in subject
               or "OVERDUE" in subject]
        if new:
            sent[day] = new
    assert world.get(request_id).target_at == date(2026, 11, 25)
    ref = "MB-2026-00001"
    assert sent == {
        date(2026, 11, 23): [(STAFF, f"Reminder: {ref} (access) target date 25 November 2026")],
        date(2026, 11, 25): [(STAFF, f"Reminder: {ref} (access) target date 25 November 2026")],
        date(2026, 11, 27): [(STAFF, f"Reminder: {ref} (access) due 2 December 2026")],
        date(2026, 12, 1): [(STAFF, f"Reminder: {ref} (access) due 2 December 2026")],
        date(2026, 12, 3): [(BOSS, f"OVERDUE: {ref} (access) was due 2 December 2026")],
    }
    assert world.events(request_id).count("reminded") == 4
    assert world.events(request_id).count("escalated") == 1


def test_a_reminder_says_what_waits(world: World) -> None:
    request_id = world.request()
    world.step(at(date(2026, 11, 23)))
    [message] = [m for to, m in world.mails() if to == STAFF
                 and "Reminder" in str(m["Subject"])]
    body = text_of(message)
    draft = world.draft_of(request_id, "reply")
    assert "waiting for approval" in body
    assert f"mailbot drafts show {draft.id}" in body
    assert "target:    25 November 2026 (our own date, 5 working days" in body
    assert SANNE not in body and "Welke gegevens" not in body  # no personal data
    assert message["Auto-Submitted"] == "auto-replied"


def test_an_answered_request_gets_no_more_reminders(world: World) -> None:
    request_id = world.request()
    world.step(at(date(2026, 11, 23)))
    world.approve(world.draft_of(request_id, "reply").id)
    assert world.get(request_id).status == "done"
    for day in days(date(2026, 11, 24), date(2026, 12, 10)):
        world.step(at(day))
    assert [s for _, s in world.staff_mails() if "Reminder" in s or "OVERDUE" in s] == [
        "Reminder: MB-2026-00001 (access) target date 25 November 2026"]


def test_after_an_outage_only_the_latest_reminder_goes(world: World) -> None:
    world.request()
    world.step(at(date(2026, 11, 2)))
    world.step(at(date(2026, 11, 30)))  # down from 2 to 30 November
    assert [s for _, s in world.staff_mails() if "Reminder" in s] == [
        "Reminder: MB-2026-00001 (access) due 2 December 2026"]


def test_without_a_staff_address_nothing_is_sent_and_nothing_is_lost(tmp_path: Path) -> None:
    world = World(tmp_path, deadlines={"staff_address": None, "escalation_address": None})
    try:
        request_id = world.request()
        world.step(at(date(2026, 11, 23)))
        assert world.staff_mails() == []
        with world.uow() as uow:
            assert uow.session.scalars(select(Notice)).all() == []
        assert world.get(request_id).target_at == date(2026, 11, 25)
    finally:
        world.engine.dispose()


def test_the_digest_once_a_working_day_after_its_time(world: World) -> None:
    old = world.request()  # 2 November, due 2 December
    world.now = at(date(2026, 11, 20))
    world.request(status="awaiting_verification", draft=False)
    world.request(kind="other", status="triage", draft=False)
    world.step(at(date(2026, 11, 27), 7, 59))  # Friday, before 08:00
    assert [s for _, s in world.staff_mails() if "Privacy mailbox" in s] == []
    for minute in (0, 30):
        world.step(at(date(2026, 11, 27), 8, minute))
    world.step(at(date(2026, 11, 28), 9))  # Saturday: none
    world.step(at(date(2026, 11, 30), 23))  # Monday: late, but the same day
    digests = [(to, m) for to, m in world.mails() if "Privacy mailbox" in str(m["Subject"])]
    assert [(to, str(m["Subject"])) for to, m in digests] == [
        (STAFF, "Privacy mailbox, 27 November 2026: 0 overdue, 1 due this week, "
                "1 waiting for approval"),
        (STAFF, "Privacy mailbox, 30 November 2026: 0 overdue, 1 due this week, "
                "1 waiting for approval"),
    ]
    friday = text_of(digests[0][1])
    assert "Waiting for verification: 1\n  MB-2026-00002  access, awaiting_verification" \
        in friday
    assert "Needs a person (triage): 1\n  MB-2026-00003  other, triage" in friday
    assert f"MB-2026-{old:05d}  access, awaiting_approval, received 2026-11-02, target " \
           "2026-11-25, due 2026-12-02" in friday
    assert "New since" in friday


def test_an_extension_moves_the_deadline_once_its_notice_is_approved(world: World) -> None:
    request_id = world.request()  # due 2 December
    with world.uow() as uow:
        request = uow.session.get(Request, request_id)
        draft = extension.extend(world.ctx(uow, "Femke"), request, 2,
                                 "Uw gegevens staan in vier systemen die wij moeten doorzoeken.")
        uow.commit()
    assert draft.needs_approval and draft.status == "pending_approval"
    assert "1 februari 2027" not in draft.body and "2 februari 2027" in draft.body
    assert "vier systemen" in draft.body and "2 december 2026" in draft.body
    assert world.get(request_id).due_at == date(2026, 12, 2)  # not before it is sent
    world.approve(draft.id)
    request = world.get(request_id)
    assert request.status == "awaiting_approval"  # the reply itself still waits
    world.step(at(date(2026, 11, 3)))
    request = world.get(request_id)
    assert (request.due_at, request.original_due_at, request.extended_months) == (
        date(2027, 2, 2), date(2026, 12, 2), 2)
    assert request.target_at == date(2027, 1, 26)
    assert "deadline_extended" in world.events(request_id)
    with world.uow() as uow, pytest.raises(WorkflowError, match="exceed the 2 months"):
        extension.extend(world.ctx(uow), uow.session.get(Request, request_id), 1, "more")
    for day in days(date(2026, 11, 4), date(2026, 12, 10)):  # the old dates pass quietly
        world.step(at(day))
    assert [s for _, s in world.staff_mails() if "Privacy mailbox" not in s] == []


def test_no_extension_once_the_first_deadline_has_passed(world: World) -> None:
    request_id = world.request()
    world.now = at(date(2026, 12, 3))
    with world.uow() as uow, pytest.raises(WorkflowError, match="first deadline passed"):
        extension.extend(world.ctx(uow), uow.session.get(Request, request_id), 1, "busy")
    world.now = at(date(2026, 12, 2), 23, 30)  # the last evening is still in time
    with world.uow() as uow:
        extension.extend(world.ctx(uow), uow.session.get(Request, request_id), 1, "busy")


def test_a_notice_not_approved_in_time_lapses(world: World) -> None:
    request_id = world.request()
    with world.uow() as uow:
        draft = extension.extend(world.ctx(uow), uow.session.get(Request, request_id), 1,
                                 "busy")
        uow.commit()
    world.step(at(date(2026, 12, 2), 23))
    assert world.draft_of(request_id, "extension_notice").status == "pending_approval"
    world.step(at(date(2026, 12, 3), 0, 5))
    lapsed = world.draft_of(request_id, "extension_notice")
    assert lapsed.status == "rejected" and "first deadline" in (lapsed.reason or "")
    with pytest.raises(WorkflowError):
        world.approve(draft.id)
    assert world.get(request_id).due_at == date(2026, 12, 2)
    assert "extension_lapsed" in world.events(request_id)
    assert any("OVERDUE" in s for _, s in world.staff_mails())


def test_a_refusal_names_the_authority_and_the_court_and_closes(world: World) -> None:
    request_id = world.request()
    with world.uow() as uow:
        draft = refusal.refuse(world.ctx(uow, "Femke"), uow.session.get(Request, request_id),
                               "Uw verzoek is kennelijk ongegrond.")
        uow.commit()
    assert draft.needs_approval and draft.purpose == "refusal"
    assert "Autoriteit Persoonsgegevens" in draft.body and "rechter" in draft.body
    assert "kennelijk ongegrond" in draft.body
    world.approve(draft.id)
    world.step(at(date(2026, 11, 3)))  # the scan closes it if the approval hook did not
    assert world.get(request_id).status == "rejected"
    assert world.draft_of(request_id, "reply").status == "rejected"
    english = world.renderer.render("refusal", "en", {
        "organisation": "X", "address": "p@example.org", "name": "", "reference": "R",
        "kind": "access", "received": date(2026, 11, 2), "reason": "r"})
    assert "Autoriteit Persoonsgegevens" in english.body and "go to court" in english.body


def _verification(world: World) -> tuple[int, int]:
    request_id = world.request(status="awaiting_verification", draft=False)
    with world.uow() as uow:
        verify.begin(world.ctx(uow), [uow.session.get(Request, request_id)])
        uow.commit()
        found = uow.session.scalars(select(Verification)).one()
        return request_id, found.id


def test_a_verification_is_reminded_once_then_closed_as_unverified(world: World) -> None:
    request_id, _ = _verification(world)  # code valid for 7 days: until 9 November 09:00
    for day in days(date(2026, 11, 3), date(2026, 11, 10)):
        for hour in (8, 16):
            world.step(at(day, hour))
        to_sanne = [str(m["Subject"]) for to, m in world.mails() if to == SANNE]
        if day < date(2026, 11, 7):
            assert len(to_sanne) == 1, day  # the verification mail only
        else:
            assert to_sanne[1:] == ["Herinnering: bevestig uw e-mailadres [MB-2026-00001]"]
    request = world.get(request_id)
    assert request.status == "unverified" and request.closed_at == at(date(2026, 11, 9), 16)
    events = world.events(request_id)
    assert events.count("verification_reminded") == 1
    assert "verification_expired" in events and "closed_unverified" in events
    with world.uow() as uow:
        note = uow.session.scalars(select(Event).where(
            Event.request_id == request_id, Event.action == "closed_unverified")).one()
        assert "reminded once" in note.detail["note"]


def test_without_closing_an_expired_verification_waits_for_staff(tmp_path: Path) -> None:
    world = World(tmp_path, deadlines={"close_unverified": False,
                                       "verification_reminder_days": 0})
    try:
        request_id, _ = _verification(world)
        world.step(at(date(2026, 11, 12)))
        assert world.get(request_id).status == "awaiting_verification"
        assert "verification_expired" in world.events(request_id)
        assert [to for to, _ in world.mails() if to == SANNE] == [SANNE]  # no reminder
    finally:
        world.engine.dispose()


def _answered(world: World) -> int:
    """A request answered (closed) on 2 November 2026."""
    request_id = world.request()
    world.approve(world.draft_of(request_id, "reply").id)
    with world.uow() as uow:  # as if the outbox had delivered it
        for row in uow.repo.outbox.list():
            row.status, row.sent_at = "sent", world.now
        uow.commit()
    return request_id


def _purge(world: World, when: datetime, *, dry_run: bool) -> Any:
    with world.uow() as uow:
        return purge(uow, world.settings, when, dry_run=dry_run)


def test_the_purge_keeps_only_the_record(world: World) -> None:
    request_id = _answered(world)
    closed = world.get(request_id).closed_at
    assert closed == world.now
    assert _purge(world, closed + timedelta(days=364), dry_run=True).items == []
    report = _purge(world, closed + timedelta(days=366), dry_run=True)
    assert [(i.what, i.ident) for i in report.items] == [
        ("request", "MB-2026-00001"), ("request mail", "1 (MB-2026-00001)")]
    assert report.listing().startswith("would purge 1 request(s), 1 mail(s), 0 digest(s):\n"
                                       "  request MB-2026-00001, closed 2026-11-02 (kept 365 "
                                       "days): subject, evidence, details, 1 draft text(s), "
                                       "1 sent message(s), details of ")
    with world.uow() as uow:  # the dry run changed nothing
        assert uow.session.get(InboundMail, 1).body_text == "Welke gegevens hebben jullie van mij?"
    report = _purge(world, closed + timedelta(days=366), dry_run=False)
    assert report.listing().startswith("purged 1 request(s), 1 mail(s)")
    with world.uow() as uow:
        request = uow.session.get(Request, request_id)
        mail = request.inbound
        assert (mail.raw, mail.body_text, mail.subject, mail.sender_name, mail.sender) == (
            None, None, None, None, None)
        assert (request.subject, request.evidence, request.sender) == (None, None, "")
        [draft] = request.drafts
        assert (draft.subject, draft.body, draft.recipient) == ("[purged]", "[purged]", "")
        assert (draft.status, draft.decided_by) == ("queued", "Femke")  # who answered
        assert all(row.message is None for row in uow.repo.outbox.list())
        assert SANNE not in str([e.detail for e in uow.repo.events.of(request_id=request_id)])
        # the record: received, kind, due, answered (closed), status
        assert (request.reference, request.kind, request.status) == (
            "MB-2026-00001", "access", "done")
        assert (request.received_at, request.due_at, request.closed_at) == (
            at(date(2026, 11, 2)), date(2026, 12, 2), closed)
        assert request.purged_at == closed + timedelta(days=366)
    assert _purge(world, closed + timedelta(days=800), dry_run=False).items == []


def test_mail_without_a_request_goes_after_its_own_period(world: World) -> None:
    with world.uow() as uow:
        uow.repo.add(InboundMail(
            mailbox="INBOX", uidvalidity=1, uid="900", raw_sha256="9" * 64, raw_size=5,
            raw=b"away!", received_at=world.now, fetched_at=world.now,
            disposition="auto_reply", sender="kees.deboer@example.org", body_text="Afwezig",
            dedup_key="9" * 64))
        uow.commit()
    assert _purge(world, world.now + timedelta(days=89), dry_run=False).items == []
    report = _purge(world, world.now + timedelta(days=91), dry_run=False)
    assert [(i.what, i.ident) for i in report.items] == [("other mail", "1 (auto_reply)")]
    with world.uow() as uow:
        mail = uow.session.get(InboundMail, 1)
        assert (mail.raw, mail.body_text, mail.disposition) == (None, None, "auto_reply")


def test_a_message_still_to_leave_is_not_purged(world: World) -> None:
    request_id = world.request()
    world.approve(world.draft_of(request_id, "reply").id)  # queued, not yet sent
    report = _purge(world, world.now + timedelta(days=400), dry_run=False)
    assert report.items == []
    assert report.kept == ["request MB-2026-00001: a message still waits to be sent"]


def test_retention_per_kind_and_keeping_the_sender(tmp_path: Path) -> None:
    world = World(tmp_path, retention={"access": 30, "keep_sender": True})
    try:
        request_id = _answered(world)
        report = _purge(world, world.now + timedelta(days=31), dry_run=False)
        assert [i.what for i in report.items] == ["request", "request mail"]
        assert world.get(request_id).sender == SANNE
    finally:
        world.engine.dispose()


def test_the_digest_can_be_switched_off(tmp_path: Path) -> None:
    world = World(tmp_path, deadlines={"digest_time": "off"})
    try:
        world.request()
        for day in days(date(2026, 11, 2), date(2026, 11, 6)):
            world.step(at(day, 12))
        assert world.staff_mails() == []
    finally:
        world.engine.dispose()


def test_a_bad_staff_address_stops_start_up_naming_the_key(tmp_path: Path) -> None:
    from mailbot.errors import ConfigError

    with pytest.raises(ConfigError, match=r"deadlines\.staff_address: not an e-mail address"):
        make_settings(tmp_path, mailbox_url="maildir:///tmp/m", smtp_url="smtp://localhost",
                      deadlines={"staff_address": "privacy team"})


def test_an_extension_is_offered_only_while_the_law_allows_one() -> None:
    request = Request(status="awaiting_approval", due_at=date(2026, 12, 2), extended_months=0)

    assert extension.can_extend(request, date(2026, 12, 2))
    assert not extension.can_extend(request, date(2026, 12, 3))  # the first deadline passed
    request.original_due_at, request.due_at, request.extended_months = (
        date(2026, 12, 2), date(2027, 2, 2), 2)
    assert not extension.can_extend(request, date(2026, 11, 20))  # two months used
    request.extended_months = 1
    assert extension.can_extend(request, date(2026, 11, 20))
    request.status = "done"
    assert not extension.can_extend(request, date(2026, 11, 20))


def test_a_mail_with_special_categories_is_purged_sooner(world: World) -> None:
    plain, special = _answered(world), _answered(world)
    with world.uow() as uow:
        mail = uow.session.get(Request, special).inbound
        mail.special = {"categories": ["health"], "findings": [], "subject": "Inzage",
                        "body": "Ik heb [gezondheid]."}
        uow.commit()
    closed = world.get(special).closed_at
    assert world.settings.retention.special_categories == 30
    assert _purge(world, closed + timedelta(days=29), dry_run=True).items == []
    report = _purge(world, closed + timedelta(days=31), dry_run=False)
    assert [(i.what, i.days) for i in report.items] == [("request", 30), ("request mail", 30)]
    assert report.items[0].ident == world.get(special).reference
    assert world.get(plain).purged_at is None
    with world.uow() as uow:
        assert uow.session.get(Request, special).inbound.special is None
