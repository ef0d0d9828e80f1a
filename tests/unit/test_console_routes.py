"""Every console page through HTTP: anonymous visitors are sent to the login page, roles are
enforced on the server, a form without a valid CSRF token is refused, and every answer
carries the security headers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from mailbot.bootstrap import App
from mailbot.console.routes import all_pages
from mailbot.domain.kinds import Disposition
from mailbot.store.models import Client, ClientContact, Draft, Event, InboundMail, OutboxMessage
from tests.harness.mails import mail
from tests.unit.console_support import (
    ADMIN,
    APPROVER,
    DMARC,
    NOW,
    VIEWER,
    Clock,
    add_staff,
    browser,
    console_settings,
    deliver,
    signed_in,
)


@dataclass
class World:
    app: App
    clock: Clock
    request_id: int
    reference: str
    draft_id: int
    inbound_id: int  # a quarantined mail
    client_id: int
    contact_id: int
    outbox_id: int  # the first mail's acknowledgement


@pytest.fixture
def world(tmp_path: Path, smtp_sink, app_factory) -> World:
    app = app_factory(console_settings(tmp_path, smtp_sink.url))
    add_staff(app)
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", subject="Inzage",
                      headers=DMARC), NOW - timedelta(days=3))
    deliver(app, b"\x00\x01 not a mail at all", NOW - timedelta(days=1))
    with app.uow() as uow:
        draft = uow.session.scalars(select(Draft).where(Draft.status == "pending_approval")
                                    ).one()
        quarantined = uow.session.scalars(select(InboundMail).where(
            InboundMail.disposition == Disposition.QUARANTINED)).one()
        acknowledgement = uow.session.scalars(select(OutboxMessage.id)).first()
        assert acknowledgement is not None
        client = Client(name="Klant B.V.", created_at=NOW,
                        contacts=[ClientContact(email="privacy@klant.test")])
        uow.repo.add(client)
        uow.commit()
        return World(app, Clock(), draft.request.id, draft.request.reference, draft.id,
                     quarantined.id, client.id, client.contacts[0].id, acknowledgement)


def concrete(path: str, world: World) -> str:
    values = {"ident": world.reference, "request_id": world.request_id,
              "draft_id": world.draft_id, "inbound_id": world.inbound_id,
              "client_id": world.client_id, "contact_id": world.contact_id, "user_id": 1,
              "outbox_id": world.outbox_id}
    return re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: str(values[m.group(1)]), path)


def pages(method: str, *, signed_in_only: bool = True) -> list[str]:
    return [p.path for p in all_pages() if method in p.methods
            and (p.role is not None or not signed_in_only)]


def test_every_page_sends_an_anonymous_visitor_to_the_login_page(world: World) -> None:
    anonymous = browser(world.app, world.clock)
    assert len(pages("GET")) >= 10
    for template in pages("GET"):
        path = concrete(template, world)
        response = anonymous.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path
    for template in pages("POST"):
        path = concrete(template, world)
        response = anonymous.post(path, {"reason": "x", "note": "x"}, page="/login")
        assert (response.status_code, response.headers["location"][:6]) == (303, "/login"), path
    login = anonymous.get("/login")
    assert login.status_code == 200 and 'name="password"' in login.text
    with world.app.uow() as uow:
        draft = uow.session.get(Draft, world.draft_id)
        assert draft is not None and draft.status == "pending_approval"
        assert uow.session.scalar(select(func.count(Event.id))
                                  .where(Event.action == "note")) == 0


def test_after_signing_in_the_visitor_lands_where_they_were_going(world: World) -> None:
    staff = browser(world.app, world.clock)
    target = f"/requests/{world.reference}"
    redirect = staff.get(target, follow_redirects=False).headers["location"]
    page = staff.get(redirect)
    assert f'value="{target}"' in page.text
    response = staff.post("/login", {"name": VIEWER, "password": "a long enough password",
                                     "next": target}, page=redirect)
    assert (response.status_code, response.headers["location"]) == (303, target)
    assert staff.get(target).status_code == 200


def test_login_refuses_to_send_anyone_elsewhere(world: World) -> None:
    for elsewhere in ("https://evil.example.org/", "//evil.example.org/x", "/\\evil"):
        staff = browser(world.app, world.clock)
        staff.get("/login")
        response = staff.post("/login", {"name": VIEWER, "password": "a long enough password",
                                         "next": elsewhere}, page="/login")
        assert response.headers["location"] == "/queue"


def test_every_page_renders_for_each_role_clients_and_users_only_for_admins(
        world: World) -> None:
    for name, allowed in ((VIEWER, False), (APPROVER, False), (ADMIN, True)):
        staff = signed_in(world.app, world.clock, name)
        for template in pages("GET"):
            path = concrete(template, world)
            response = staff.get(path)
            admins_only = path.startswith(("/clients", "/users"))
            expected = 403 if admins_only and not allowed else 200
            assert response.status_code == expected, (name, path, response.text[-500:])


def test_a_viewer_cannot_approve_edit_or_reject(world: World) -> None:
    viewer = signed_in(world.app, world.clock, VIEWER)
    page = viewer.get(f"/requests/{world.reference}").text
    assert f"/drafts/{world.draft_id}/approve" not in page
    assert "An approver decides on this draft." in page
    for action, data in (("approve", {}), ("edit", {"subject": "S", "body": "changed"}),
                         ("reject", {"reason": "no"})):
        response = viewer.post(f"/drafts/{world.draft_id}/{action}", data)
        assert response.status_code == 403, action
        assert "This needs the role approver." in response.text
    for path in (f"/requests/{world.request_id}/kind", f"/quarantine/{world.inbound_id}/replay",
                 f"/quarantine/{world.inbound_id}/dismiss",
                 *(f"/requests/{world.request_id}/{action}" for action in (
                     "close", "reply", "research", "resend-verification", "verify", "assign",
                     "refuse")), "/optouts", "/optouts/remove", "/users",
                 f"/outbox/{world.outbox_id}/send-again", f"/outbox/{world.outbox_id}/arrived"):
        assert viewer.post(path, {"kind": "erasure"}).status_code == 403, path
    with world.app.uow() as uow:
        draft = uow.session.get(Draft, world.draft_id)
        assert draft is not None
        assert (draft.status, draft.version) == ("pending_approval", 1)
        assert uow.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.purpose == f"draft.{world.draft_id}")) == 0


def test_an_approver_cannot_manage_clients(world: World) -> None:
    approver = signed_in(world.app, world.clock, APPROVER)
    response = approver.post("/clients", {"name": "Andere Klant B.V.",
                                          "contacts": "dpo@andere.test"})
    assert response.status_code == 403
    response = approver.post(f"/clients/{world.client_id}/contacts/{world.contact_id}/remove")
    assert response.status_code == 403
    with world.app.uow() as uow:
        assert uow.session.scalar(select(func.count(Client.id))) == 1
        assert uow.session.scalar(select(func.count(ClientContact.id))) == 1


def test_a_form_without_a_valid_csrf_token_is_refused(world: World) -> None:
    admin = signed_in(world.app, world.clock, ADMIN)
    other = signed_in(world.app, world.clock, ADMIN)
    foreign_token = other.token()
    data = {"reason": "because", "note": "a note", "subject": "S", "body": "B",
            "kind": "erasure", "name": "Nieuwe Klant", "contacts": "a@nieuw.test",
            "email": "b@nieuw.test", "language": "nl", "months": "1"}
    for template in pages("POST"):
        path = concrete(template, world)
        for csrf in (None, "", "forged", foreign_token):
            response = admin.post(path, data, csrf=csrf)
            assert response.status_code == 403, (path, csrf)
            assert "This form has expired or did not come from this console" in response.text
    with world.app.uow() as uow:
        draft = uow.session.get(Draft, world.draft_id)
        assert draft is not None and (draft.status, draft.version) == ("pending_approval", 1)
        assert uow.session.scalar(select(func.count(Client.id))) == 1
        assert uow.session.scalar(select(func.count(Event.id)).where(
            Event.action.in_(("note", "quarantine_dismissed", "kind_changed")))) == 0
    assert admin.get("/queue").status_code == 200  # still signed in: logout was refused too


def test_the_login_form_needs_its_csrf_token_too(world: World) -> None:
    visitor = browser(world.app, world.clock)
    visitor.get("/login")
    response = visitor.post("/login", {"name": VIEWER, "password": "a long enough password"},
                            csrf="guessed")
    assert response.status_code == 403
    assert visitor.get("/queue", follow_redirects=False).status_code == 303


def test_every_answer_carries_a_strict_content_security_policy(world: World) -> None:
    admin = signed_in(world.app, world.clock, ADMIN)
    for path in ["/login", "/healthz", "/static/console.css",
                 *(concrete(p, world) for p in pages("GET"))]:
        headers = admin.get(path).headers
        policy = headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'none'" in policy, path
        assert "unsafe-inline" not in policy, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
    assert admin.get("/queue").headers["cache-control"] == "no-store"


def test_pages_load_nothing_from_elsewhere_and_run_no_script(world: World) -> None:
    admin = signed_in(world.app, world.clock, ADMIN)
    for path in ["/login", *(concrete(p, world) for p in pages("GET"))]:
        html = admin.get(path).text
        assert "<script" not in html.lower(), path
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r'(src|href)="(https?:)?//', html), path


def test_healthz_needs_no_login_and_reports_the_database_and_the_heartbeat(
        world: World) -> None:
    anonymous = browser(world.app, world.clock)
    response = anonymous.get("/healthz")
    assert response.status_code == 503  # run_once beats no heartbeat
    assert response.json()["db"] == "ok" and response.json()["heartbeat_age"] is None
    beat = world.app.settings.paths.data_dir / "heartbeat"
    beat.parent.mkdir(parents=True, exist_ok=True)
    beat.touch()
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["db"] == "ok" and 0 <= body["heartbeat_age"] < 60


def test_the_verification_link_is_served_without_a_login(world: World) -> None:
    anonymous = browser(world.app, world.clock)
    response = anonymous.get("/verify/not-a-real-token", follow_redirects=False)
    assert response.status_code == 404
    assert "niet geldig" in response.text and "not valid" in response.text


def test_an_unknown_request_or_draft_is_a_not_found_page(world: World) -> None:
    viewer = signed_in(world.app, world.clock, VIEWER)
    assert viewer.get("/requests/MB-2026-99999").status_code == 404
    assert viewer.get("/quarantine/99999").status_code == 404
    approver = signed_in(world.app, world.clock, APPROVER)
    assert approver.post("/drafts/99999/approve").status_code == 404
