"""Every request state has a way forward, in the console and on the command line alike.

For each state a request is brought there through the real path (a mail in a Maildir, the
daemon, the SMTP sink, the deadline jobs), or, for the two states a request only passes
through inside one transaction (new, acknowledged), left there as a crash would leave it.
Then the console must offer an action that moves it on, the command line must list it, and
taking it, through either door, must move the request to another state. The end states
(done, rejected, closed) offer nothing and the state machine leaves them for nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.domain.states import REQUESTS, RequestStatus
from mailbot.service import clients, drafts, requests, users
from mailbot.service.ways import ways_forward
from mailbot.store.models import Draft, Request, Verification
from tests.harness.app import toml_for
from tests.harness.mails import mail
from tests.unit.console_support import (
    ADMIN,
    APPROVER,
    DMARC,
    PASSWORD,
    STAFF,
    Clock,
    console_settings,
    deliver,
    signed_in,
)

ACCESS = "Stuur mij een overzicht van mijn gegevens."
# The action that moves each open state on, as the console posts it and as the command line
# types it (REF: the request's reference; DRAFT: its waiting draft).
MOVES: dict[RequestStatus, tuple[str, str, dict[str, str], list[str]]] = {
    RequestStatus.NEW: ("change_kind", "/requests/{id}/kind", {"kind": "access"},
                        ["requests", "kind", "REF", "--kind", "access"]),
    RequestStatus.ACKNOWLEDGED: ("research", "/requests/{id}/research", {},
                                 ["requests", "research", "REF"]),
    RequestStatus.AWAITING_VERIFICATION: (
        "verify", "/requests/{id}/verify", {"reason": "Gebeld op het bekende nummer"},
        ["requests", "verify", "REF", "--reason", "Gebeld op het bekende nummer"]),
    RequestStatus.AWAITING_APPROVAL: ("approve", "/drafts/{draft}/approve", {},
                                      ["drafts", "approve", "REF"]),
    # step 2: erase by hand in the call list mailbot cannot write (see manual_erasure)
    RequestStatus.AWAITING_STEPS: (
        "step_done", "/requests/{id}/steps",
        {"position": "2", "result": "done", "note": "Met de hand uit de bellijst gehaald"},
        ["requests", "step", "done", "REF", "2", "--note", "Met de hand gewist"]),
    RequestStatus.TRIAGE: ("reply", "/requests/{id}/reply",
                           {"text": "Beste Sanne,\n\nDat is Fenna Visser.\n"},
                           ["requests", "reply", "REF", "--text-file", "REPLY"]),
    RequestStatus.UNVERIFIED: (
        "verify", "/requests/{id}/verify", {"reason": "Langs geweest met paspoort"},
        ["requests", "verify", "REF", "--reason", "Langs geweest met paspoort"]),
    RequestStatus.DISPUTED: (
        "close", "/requests/{id}/close", {"reason": "Niet door Sanne gevraagd: vervalsing"},
        ["requests", "close", "REF", "--reason", "Niet door Sanne gevraagd: vervalsing"]),
}
ENDS = {RequestStatus.DONE, RequestStatus.REJECTED, RequestStatus.CLOSED}


def the_request(app: App) -> Request:
    """The one request, as it is now (its columns; read in a transaction of its own)."""
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        uow.session.expunge(request)
        return request


def offered(app: App, today: date) -> list[str]:
    with app.uow() as uow:
        return ways_forward(uow.session.scalars(select(Request)).one(), today)


def left_in(status: RequestStatus) -> Callable[[App, Clock], None]:
    def build(app: App, clock: Clock) -> None:
        deliver(app, mail(ACCESS, headers=DMARC), clock.now)
        with app.uow() as uow:  # as a crash between two steps would leave it
            request = uow.session.scalars(select(Request)).one()
            request.status = status
            for draft in request.drafts:
                uow.session.delete(draft)
            uow.commit()
    return build


def unverified(app: App, clock: Clock) -> None:
    deliver(app, mail(ACCESS), clock.now)
    clock.advance(days=app.settings.verification.code_ttl_days + 1)
    app.daemon.jobs.run_all()  # the code expired unanswered: closed as unverified


def disputed(app: App, clock: Clock) -> None:
    deliver(app, mail(ACCESS), clock.now)
    with app.uow() as uow:
        ours = uow.session.scalars(select(Verification.message_id)).one()
    deliver(app, mail("Ik heb dit NIET aangevraagd!\n\n> Uw code staat hieronder.",
                      subject="Re: Bevestig uw e-mailadres", headers={"In-Reply-To": ours}),
            clock.now)


def answered(app: App, clock: Clock) -> None:
    deliver(app, mail(ACCESS, headers=DMARC), clock.now)
    drafts.approve(app.service, the_request(app).reference, by=APPROVER)


PIET = "Piet de Vries <piet@example.org>"


def manual_erasure(app: App, clock: Clock) -> None:
    """Piet is in a call list mailbot cannot change: erasing him there is a manual step."""
    deliver(app, mail("Verwijder al mijn gegevens.", subject="Verwijderen", sender=PIET,
                      headers=DMARC), clock.now)


def refused(app: App, clock: Clock) -> None:
    deliver(app, mail(ACCESS, headers=DMARC), clock.now)
    outcome = requests.refuse(app.service, the_request(app).reference,
                              "Wij kunnen uw identiteit niet vaststellen.", by=APPROVER)
    drafts.approve(app.service, outcome.draft_id, by=APPROVER)


def closed(app: App, clock: Clock) -> None:
    deliver(app, mail("Mijn factuur klopt niet.", subject="Factuur"), clock.now)
    requests.close(app.service, the_request(app).reference, "Geen AVG-verzoek",
                   by=APPROVER)


BUILD: dict[RequestStatus, Callable[[App, Clock], None]] = {
    RequestStatus.NEW: left_in(RequestStatus.NEW),
    RequestStatus.ACKNOWLEDGED: left_in(RequestStatus.ACKNOWLEDGED),
    RequestStatus.AWAITING_VERIFICATION: lambda app, clock: deliver(app, mail(ACCESS),
                                                                    clock.now),
    RequestStatus.AWAITING_APPROVAL: lambda app, clock: deliver(
        app, mail(ACCESS, headers=DMARC), clock.now),
    RequestStatus.TRIAGE: lambda app, clock: deliver(
        app, mail("Wie is jullie functionaris gegevensbescherming?", subject="Vraag"),
        clock.now),
    RequestStatus.AWAITING_STEPS: manual_erasure,
    RequestStatus.UNVERIFIED: unverified,
    RequestStatus.DISPUTED: disputed,
    RequestStatus.DONE: answered,
    RequestStatus.REJECTED: refused,
    RequestStatus.CLOSED: closed,
}


def test_every_state_is_walked() -> None:
    assert set(BUILD) == set(RequestStatus)
    assert set(MOVES) | ENDS == set(RequestStatus) and not set(MOVES) & ENDS
    assert REQUESTS.terminal == ENDS


@pytest.fixture
def started(tmp_path: Path, smtp_sink: Any, app_factory: Any) -> Callable[..., Any]:
    def start(status: RequestStatus) -> tuple[App, Clock, Request]:
        clock = Clock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=1))
        calls = tmp_path / "calls.csv"
        calls.write_text("email,phone\npiet@example.org,06-12345678\n", encoding="utf-8")
        settings = console_settings(tmp_path, smtp_sink.url)
        settings = settings.model_copy(update={"sources": (
            Source(name="Call list", type="csv", path=calls),)})
        app = app_factory(settings, clock=clock)
        for name, role in STAFF.items():
            users.add(app.service, name, role, PASSWORD, by=None)
        BUILD[status](app, clock)
        request = the_request(app)
        assert request.status == status
        return app, clock, request
    return start


@pytest.mark.parametrize("status", sorted(RequestStatus), ids=str)
def test_the_console_moves_every_open_state_on(status: RequestStatus,
                                              started: Callable[..., Any]) -> None:
    app, clock, request = started(status)
    staff = signed_in(app, clock, APPROVER)
    page = staff.get(f"/requests/{request.reference}").text
    ways = offered(app, clock.now.date())
    if status in ENDS:
        assert ways == [] and 'class="ways"' not in page
        return
    action, path, form, _ = MOVES[status]
    assert action in ways
    draft = _waiting_draft(app, request)
    shows = f"/drafts/{draft}/approve" if action == "approve" else f"way-{action}"
    assert shows in page  # the console offers it
    response = staff.post(path.format(id=request.id, draft=draft), form,
                          page=f"/requests/{request.reference}")
    assert response.status_code == 303, response.text
    assert the_request(app).status != status


@pytest.mark.parametrize("status", sorted(MOVES), ids=str)
def test_the_command_line_moves_every_open_state_on(status: RequestStatus, tmp_path: Path,
                                                   started: Callable[..., Any]) -> None:
    app, _, request = started(status)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    reply = tmp_path / "reply.txt"
    reply.write_text("Beste Sanne,\n\nDat is Fenna Visser.\n", encoding="utf-8")
    args = MOVES[status][3]
    shown = mailbot(config, "requests", "show", request.reference)
    listed = shown.split("What you can do:")[1]
    words = args[:args.index("REF")]  # the command's words up to the reference
    assert f"mailbot {' '.join(words)} {request.reference}" in listed
    command = [{"REF": request.reference, "REPLY": str(reply)}.get(a, a) for a in args]
    mailbot(config, *command, "--by", APPROVER)
    assert the_request(app).status != status


def _waiting_draft(app: App, request: Request) -> int | None:
    with app.uow() as uow:
        return uow.session.scalar(select(Draft.id).where(
            Draft.request_id == request.id, Draft.status == "pending_approval"))


def mailbot(config: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, f"{args}: {done.stderr}"
    return done.stdout


# States within a status that wait for something of their own, each with its way forward:
# a correction of the e-mail address whose old address is proven waits for the new one
# (awaiting_verification); a client's processing order waits for staff review before it
# enters the register (awaiting_approval).
NEW_ADDRESS = "Mijn e-mailadres is veranderd naar sanne.nieuw@example.org."
CONTACT = "marieke.devries@tuincentrum.example.org"
ORDER = (Path(__file__).resolve().parents[1] / "corpus" / "orders" / "nl_labelled_new.txt")


def waiting_for_new_address(app: App, clock: Clock) -> None:
    deliver(app, mail(NEW_ADDRESS, subject="Nieuw e-mailadres", headers=DMARC), clock.now)


def order_waiting_for_review(app: App, clock: Clock) -> None:
    clients.add_client(app.service, "Tuincentrum De Linde B.V.", [CONTACT], by=ADMIN)
    head, _, body = ORDER.read_text("utf-8").partition("\n\n")
    deliver(app, mail(body, subject=head.removeprefix("Subject: "),
                      sender=f"Marieke de Vries <{CONTACT}>",
                      headers={"Authentication-Results": "mx.example.org; dmarc=pass "
                                                         "header.from=tuincentrum.example.org"}),
            clock.now)


WAITING: dict[str, tuple[Callable[[App, Clock], None], RequestStatus, str, str,
                         dict[str, str], list[str]]] = {
    "new-address": (waiting_for_new_address, RequestStatus.AWAITING_VERIFICATION,
                    "verify_new_address", "/requests/{id}/verify-new-address",
                    {"reason": "Gebeld op het bekende nummer"},
                    ["requests", "verify-new-address", "REF", "--reason", "Gebeld"]),
    "order-review": (order_waiting_for_review, RequestStatus.AWAITING_APPROVAL,
                     "approve_order", "/requests/{id}/order/approve", {},
                     ["register", "approve", "REF"]),
}


@pytest.fixture
def waiting(tmp_path: Path, smtp_sink: Any, app_factory: Any) -> Callable[..., Any]:
    def start(name: str) -> tuple[App, Clock, Request]:
        clock = Clock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=1))
        app = app_factory(console_settings(tmp_path, smtp_sink.url), clock=clock)
        for user, role in STAFF.items():
            users.add(app.service, user, role, PASSWORD, by=None)
        build, status = WAITING[name][:2]
        build(app, clock)
        request = the_request(app)
        assert request.status == status
        return app, clock, request
    return start


@pytest.mark.parametrize("name", sorted(WAITING))
def test_the_console_moves_every_waiting_state_on(name: str,
                                                 waiting: Callable[..., Any]) -> None:
    app, clock, request = waiting(name)
    _, status, action, path, form, _ = WAITING[name]
    assert action in offered(app, clock.now.date())
    staff = signed_in(app, clock, APPROVER)
    assert f"way-{action}" in staff.get(f"/requests/{request.reference}").text
    response = staff.post(path.format(id=request.id), form,
                          page=f"/requests/{request.reference}")
    assert response.status_code == 303, response.text
    assert the_request(app).status != status


@pytest.mark.parametrize("name", sorted(WAITING))
def test_the_command_line_moves_every_waiting_state_on(name: str, tmp_path: Path,
                                                      waiting: Callable[..., Any]) -> None:
    app, _, request = waiting(name)
    _, status, _, _, _, args = WAITING[name]
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    listed = mailbot(config, "requests", "show", request.reference).split("What you can do:")[1]
    assert f"mailbot {' '.join(args[:2])} {request.reference}" in listed
    command = [request.reference if a == "REF" else a for a in args]
    mailbot(config, *command, "--by", APPROVER)
    assert the_request(app).status != status
