"""Verification by code and link, against a real SQLite store."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from mailbot.config import Settings
from mailbot.domain.mail import ParsedMail
from mailbot.draft.render import Renderer
from mailbot.handle import verify
from mailbot.handle.context import HandlerContext
from mailbot.parse import parse
from mailbot.sources.registry import SourceRegistry
from mailbot.store import foreknown
from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import Draft, Event, InboundMail, OutboxMessage, Request, Verification
from mailbot.store.uow import UnitOfWork, uow_factory
from tests.harness.app import make_settings
from tests.harness.mails import mail

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SANNE = "sanne.jansen@example.org"
_uids = itertools.count(1)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, mailbox_url="imap://u:p@localhost:143/INBOX",
                         smtp_url="smtp://localhost:25",
                         verification={"max_attempts": 3, "code_ttl_days": 7,
                                       "link_base_url": "https://mailbot.example.org/"})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Callable[[], UnitOfWork]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", Cipher([generate_key()]))
    upgrade(engine)
    yield uow_factory(engine)
    engine.dispose()


class World:
    """A store, settings and a clock; helpers that act as the ingest stage would."""

    def __init__(self, settings: Settings, store: Callable[[], UnitOfWork]) -> None:
        self.settings = settings
        self.store = store
        self.renderer = Renderer()
        self.now = NOW

    def ctx(self, uow: UnitOfWork) -> HandlerContext:
        return HandlerContext(self.settings, uow.repo, self.renderer,
                              SourceRegistry.from_settings(()), self.now)

    def _inbound(self, uow: UnitOfWork, sender: str | None, message_id: str) -> InboundMail:
        uid = next(_uids)
        inbound = InboundMail(
            mailbox="INBOX", uidvalidity=1, uid=str(uid), raw_sha256=f"{uid:064d}",
            raw_size=1, received_at=self.now, fetched_at=self.now, disposition="request",
            sender=sender, sender_name="Sanne Jansen", message_id=message_id,
            dedup_key=f"{uid:064d}", subject="Inzage", body_text="...")
        uow.repo.add(inbound)
        uow.repo.flush()
        return inbound

    def request(self, *kinds: str, sender: str = SANNE, language: str = "nl",
                grouped: bool = False) -> list[int]:
        """Record a mail with requests waiting for verification and call ``begin``;
        ``grouped``: as one mail of a group, whose lookups were asked for it beforehand."""
        with self.store() as uow:
            known = foreknown.Foreknown.ask(
                uow.repo, keys=(), senders={sender}, purpose="acknowledgement",
                since=self.now - timedelta(seconds=self.settings.acknowledge.rate_limit_window),
            ) if grouped else None
            inbound = self._inbound(uow, sender, f"req-{next(_uids)}@mail.example.org")
            requests = []
            for kind in kinds or ("access",):
                request = Request(
                    inbound=inbound, kind=kind, status="awaiting_verification",
                    language=language, sender=sender, received_at=self.now,
                    due_at=date(2026, 12, 20), confidence=1.0, created_at=self.now,
                    updated_at=self.now)
                uow.repo.add(request)
                uow.repo.flush()
                request.reference = f"MB-2026-{request.id:05d}"
                requests.append(request)
            with foreknown.kept(uow.repo, known) if known is not None else nullcontext():
                verify.begin(self.ctx(uow), requests)
            uow.commit()
            return [r.id for r in requests]

    def reply(self, raw: bytes) -> list[str] | None:
        """Run ``match_reply`` on a mail; the references it releases, or None."""
        parsed = parse(raw)
        assert isinstance(parsed, ParsedMail)
        with self.store() as uow:
            inbound = self._inbound(uow, parsed.sender.addr if parsed.sender else None,
                                    parsed.message_id or "x")
            released = verify.match_reply(self.ctx(uow), parsed, inbound)
            uow.commit()
            return None if released is None else [r.reference or "" for r in released]

    def sent(self) -> list[EmailMessage]:
        with self.store() as uow:
            rows = uow.repo.outbox.list()
            return [message_from_bytes(r.message or b"", policy=policy.default)
                    for r in rows]

    def verification(self) -> SimpleNamespace:
        """The latest verification's columns, as they are in the database now."""
        with self.store() as uow:
            found = uow.session.scalars(select(Verification).order_by(Verification.id)).all()
            return SimpleNamespace(**{column.key: getattr(found[-1], column.key)
                                      for column in Verification.__table__.columns})

    def actions(self, request_id: int) -> list[str]:
        with self.store() as uow:
            return [e.action for e in uow.repo.events.of(request_id=request_id)]


@pytest.fixture
def world(settings: Settings, store: Callable[[], UnitOfWork]) -> World:
    return World(settings, store)


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def code_in(message: EmailMessage) -> str:
    found = re.search(r"^ {4}(\d{8})$", body(message), re.MULTILINE)
    assert found, body(message)
    return found[1]


def token_in(message: EmailMessage) -> str:
    found = re.search(r"https://mailbot\.example\.org/verify/([A-Za-z0-9_-]+)", body(message))
    assert found, body(message)
    return found[1]


def quoted(message: EmailMessage) -> str:
    return "\n".join("> " + line for line in body(message).splitlines())


def answer(message: EmailMessage, text: str, *, sender: str = f"Sanne Jansen <{SANNE}>",
           threaded: bool = True) -> bytes:
    headers = {"In-Reply-To": message["Message-ID"].strip()} if threaded else {}
    return mail(text, sender=sender, subject="Re: " + message["Subject"], headers=headers)


def test_begin_sends_one_mail_and_stores_only_hashes(world: World) -> None:
    [request_id] = world.request("access")
    [sent] = world.sent()
    code, token = code_in(sent), token_in(sent)
    found = world.verification()

    assert sent["To"] == SANNE
    assert sent["Auto-Submitted"] == "auto-replied"
    assert found.message_id == sent["Message-ID"].strip()
    assert (found.status, found.address, found.attempts, found.max_attempts) == (
        "pending", SANNE, 0, 3)
    assert found.expires_at == NOW + timedelta(days=7)
    assert re.fullmatch(r"v2\$[A-Za-z0-9_-]{43}", found.code_hash)
    assert re.fullmatch(r"[0-9a-f]{64}", found.token_hash)
    assert code not in found.code_hash and token not in found.token_hash
    text = body(sent)
    assert f"MB-2026-{request_id:05d}" in text and f"MB-2026-{request_id:05d}" in sent["Subject"]
    assert "27 november 2026" in text  # the expiry, in Dutch
    assert "negeren" in text  # you may ignore this if you did not ask
    assert "nooit om een kopie van uw identiteitsbewijs" in text
    with world.store() as uow:
        draft = uow.session.scalars(select(Draft)).one()
        assert (draft.purpose, draft.status, draft.personal_data, draft.needs_approval,
                draft.auto_submitted) == ("verification", "queued", False, False, True)
        assert code not in draft.body and token not in draft.body  # staff never see them
        waiting = uow.repo.events.of(request_id=request_id)[-1]
        assert waiting.action == "verification_sent"
        assert "not proven" in waiting.detail["why"]


def test_without_a_link_base_url_the_mail_has_only_the_code(
        tmp_path: Path, store: Callable[[], UnitOfWork]) -> None:
    settings = make_settings(tmp_path, mailbox_url="imap://u:p@localhost:143/INBOX",
                             smtp_url="smtp://localhost:25")
    world = World(settings, store)
    world.request("access", language="en")
    [sent] = world.sent()
    assert code_in(sent)
    assert "/verify/" not in body(sent)
    assert "Please confirm your e-mail address" in sent["Subject"]


@pytest.mark.parametrize(("language", "words"), [
    ("nl", "Bevestig uw e-mailadres"), ("en", "Please confirm your e-mail address"),
    ("de", "Bitte bestätigen Sie Ihre E-Mail-Adresse"),
    ("fr", "Merci de confirmer votre adresse e-mail")])
def test_the_mail_is_in_the_persons_language(world: World, language: str, words: str) -> None:
    world.request("access", language=language)
    [sent] = world.sent()
    assert words in sent["Subject"]
    assert code_in(sent)


def test_one_code_for_every_request_of_a_mail(world: World) -> None:
    first, second = world.request("access", "erasure")
    [sent] = world.sent()
    assert f"MB-2026-{first:05d}" in body(sent) and f"MB-2026-{second:05d}" in body(sent)
    released = world.reply(answer(sent, f"Hier is de code: {code_in(sent)}"))
    assert released == [f"MB-2026-{first:05d}", f"MB-2026-{second:05d}"]
    assert "verification_confirmed" in world.actions(second)


def test_hitting_reply_on_the_verification_mail_proves_control(world: World) -> None:
    world.request("access")
    [sent] = world.sent()
    released = world.reply(answer(sent, "Ja, dat was ik.\n\n" + quoted(sent)))
    assert released is not None and len(released) == 1
    found = world.verification()
    assert (found.status, found.verified_at) == ("verified", NOW)


def test_a_code_split_in_two_counts(world: World) -> None:
    world.request("access")
    [sent] = world.sent()
    code = code_in(sent)
    assert world.reply(answer(sent, f"Code: {code[:4]} {code[4:]}", threaded=False))
    assert world.verification().status == "verified"


def test_a_new_mail_must_carry_the_code_outside_the_quote(world: World) -> None:
    world.request("access")
    [sent] = world.sent()
    forwarded = answer(sent, "Zie hieronder.\n\nOp 20 nov. 2026 schreef privacy@example.org:\n"
                       + quoted(sent), threaded=False)
    assert world.reply(forwarded) is None
    assert world.verification().attempts == 0
    typed = answer(sent, f"Mijn code is {code_in(sent)}.\n\n" + quoted(sent), threaded=False)
    assert world.reply(typed)
    assert world.verification().status == "verified"


def test_a_different_address_never_verifies(world: World) -> None:
    [request_id] = world.request("access")
    [sent] = world.sent()
    stranger = "Mallory <mallory@attacker.test>"
    assert world.reply(answer(sent, code_in(sent), sender=stranger)) == []
    assert world.reply(answer(sent, code_in(sent), sender=stranger, threaded=False)) is None
    found = world.verification()
    assert (found.status, found.attempts) == ("pending", 0)
    assert "verification_wrong_sender" in world.actions(request_id)


def test_a_reply_without_any_code_is_an_ordinary_mail(world: World) -> None:
    world.request("access")
    [sent] = world.sent()
    assert world.reply(answer(sent, "Waarom moet ik dit bevestigen?")) is None
    assert world.verification().attempts == 0


def test_a_long_new_mail_with_some_number_is_no_attempt(world: World) -> None:
    world.request("access")
    words = " ".join(["Graag wil ik ook mijn adres laten wijzigen naar de Dorpsstraat."] * 6)
    assert world.reply(mail(f"{words} Mijn klantnummer is 40301234.", sender=SANNE)) is None
    assert world.verification().attempts == 0


def test_wrong_codes_fail_the_verification_after_max_attempts(world: World) -> None:
    [request_id] = world.request("access")
    [sent] = world.sent()
    wrong = f"{(int(code_in(sent)) + 1) % 10 ** 8:08d}"
    assert world.reply(answer(sent, wrong)) == []
    assert world.verification().attempts == 1
    # Not threaded to our mail: anyone could send it, so it counts against nobody.
    assert world.reply(answer(sent, wrong, threaded=False)) is None
    assert world.verification().attempts == 1
    assert world.reply(answer(sent, wrong)) == []
    assert world.reply(answer(sent, wrong)) == []
    found = world.verification()
    assert (found.status, found.attempts) == ("failed", 3)
    assert world.reply(answer(sent, code_in(sent))) == []  # the right code comes too late
    messages = world.sent()
    assert len(messages) == 2
    assert "niet gelukt" in messages[1]["Subject"]
    assert "te vaak een onjuiste code" in body(messages[1])
    actions = world.actions(request_id)
    assert actions.count("verification_code_wrong") == 3
    assert "verification_failed" in actions and "verification_reply_after_close" in actions
    with world.store() as uow:
        assert uow.repo.requests.get(request_id).status == "awaiting_verification"


def test_every_code_in_a_mail_is_one_attempt(world: World) -> None:
    world.request("access")
    [sent] = world.sent()
    right = int(code_in(sent))
    guesses = [f"{(right + n) % 10 ** 8:08d}" for n in range(1, 6)] + [code_in(sent)]
    assert world.reply(answer(sent, "\n".join(guesses))) == []
    found = world.verification()
    assert (found.status, found.attempts) == ("failed", 3)


def test_an_expired_code_does_not_verify_and_no_new_code_is_sent(world: World) -> None:
    [request_id] = world.request("access")
    [sent] = world.sent()
    world.now = NOW + timedelta(days=7, seconds=1)
    assert world.reply(answer(sent, code_in(sent))) == []
    assert world.verification().status == "expired"
    messages = world.sent()
    assert len(messages) == 2 and "verlopen" in body(messages[1])
    with world.store() as uow:
        assert uow.session.scalar(select(func.count(Verification.id))) == 1
    assert "verification_expired" in world.actions(request_id)


def test_the_link_verifies_once(world: World) -> None:
    [request_id] = world.request("access")
    token = token_in(world.sent()[0])
    with world.store() as uow:
        ctx = world.ctx(uow)
        assert verify.check_token(ctx, token).status == "pending"  # looking changes nothing
        assert [r.id for r in verify.confirm_token(ctx, token)] == [request_id]
        uow.commit()
    with world.store() as uow, pytest.raises(verify.LinkRefused, match="used already") as exc:
        verify.confirm_token(world.ctx(uow), token)
    assert exc.value.reason == "used"
    assert world.verification().status == "verified"


@pytest.mark.parametrize("token", ["", "x" * 300, "not/a/token", "A" * 43])
def test_an_unknown_link_is_refused(world: World, token: str) -> None:
    world.request("access")
    with world.store() as uow, pytest.raises(verify.LinkRefused) as exc:
        verify.confirm_token(world.ctx(uow), token)
    assert exc.value.reason == "unknown"


def test_an_expired_link_is_refused(world: World) -> None:
    world.request("access")
    token = token_in(world.sent()[0])
    world.now = NOW + timedelta(days=8)
    with world.store() as uow:
        with pytest.raises(verify.LinkRefused, match="expired"):
            verify.check_token(world.ctx(uow), token)
        with pytest.raises(verify.LinkRefused, match="expired"):
            verify.confirm_token(world.ctx(uow), token)
        uow.commit()
    assert world.verification().status == "expired"


def test_overdue_verifications_expire_without_mail(world: World) -> None:
    world.request("access")
    world.now = NOW + timedelta(days=8)
    with world.store() as uow:
        assert verify.expire_overdue(world.ctx(uow)) == 1
        uow.commit()
    assert world.verification().status == "expired"
    assert len(world.sent()) == 1


def test_no_usable_sender_means_no_mail(world: World) -> None:
    [request_id] = world.request("access", sender="")
    assert world.sent() == []
    assert "verification_impossible" in world.actions(request_id)
    with world.store() as uow:
        assert uow.session.scalar(select(func.count(OutboxMessage.id))) == 0
        assert uow.session.scalar(select(func.count(Event.id)).where(
            Event.action == "verification_sent")) == 0


@pytest.mark.parametrize(("text", "tokens"), [
    ("12345678", ["12345678"]),
    ("Code: 1234 5678.", ["12345678"]),
    ("code:1234-5678,", ["12345678"]),
    ("> 01234567\n> 01234567", ["01234567"]),
    ("bel 0612345678", []),
    ("bel +31 6 1234 5678", []),
    ("IBAN NL91 ABNA 0417 1643 00", []),
    ("123456789", []),
    ("1234.5678.90", []),
    ("A12345678", []),
])
def test_what_looks_like_a_code(text: str, tokens: list[str]) -> None:
    assert verify._code_tokens(text) == tokens


def test_the_link_page_escapes_and_changes_nothing(
        tmp_path: Path, store: Callable[[], UnitOfWork]) -> None:
    from starlette.testclient import TestClient

    from mailbot.console.verify_link import verification_app

    settings = make_settings(tmp_path, mailbox_url="imap://u:p@localhost:143/INBOX",
                             smtp_url="smtp://localhost:25",
                             organisation={"name": "<script>alert(1)</script> B.V.",
                                           "address": "privacy@example.org"},
                             verification={"link_base_url": "https://mailbot.example.org"})
    world = World(settings, store)
    world.request("access")
    path = "/verify/" + token_in(world.sent()[0])
    client = TestClient(verification_app(store, world.ctx))
    page = client.get(path)
    assert page.status_code == 200
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert client.get(path).status_code == 200  # looking twice is fine: nothing was used
    assert world.verification().status == "pending"
    assert client.get("/verify/nonsense").status_code == 404


@pytest.mark.parametrize("grouped", [False, True])
def test_verification_mails_to_one_address_are_rate_limited(
        tmp_path: Path, store: Callable[[], UnitOfWork], grouped: bool) -> None:
    # grouped: as ingest asks it for a group of mails, with the group's other lookups
    settings = make_settings(tmp_path, mailbox_url="imap://u:p@localhost:143/INBOX",
                             smtp_url="smtp://localhost:25",
                             acknowledge={"rate_limit_count": 2, "rate_limit_window": 3600})
    world = World(settings, store)
    world.request("access")
    world.request("erasure")
    [third] = world.request("access", grouped=grouped)
    assert len(world.sent()) == 2
    assert "verification_rate_limited" in world.actions(third)
    # another address is not held up
    world.request("access", sender="kees.deboer@example.org", grouped=grouped)
    world.now = NOW + timedelta(hours=1, seconds=1)
    world.request("access", grouped=grouped)
    assert len(world.sent()) == 4
