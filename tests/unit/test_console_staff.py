"""The console's staff pages over HTTP, against a real mailbot (Maildir in, the SMTP sink
out, SQLite): the queue's "mine" filter and pages, users, the outbox and bounces, opt-outs
by hand, readable timelines, a correction's old and new values, a styled 404."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.store.models import Event, OptOut, Request, StaffUser
from tests.harness.mails import bounce, mail
from tests.unit.console_support import (
    ADMIN,
    APPROVER,
    DMARC,
    NOW,
    PASSWORD,
    VIEWER,
    Clock,
    add_staff,
    browser,
    console_settings,
    deliver,
    signed_in,
    text_of,
)


@pytest.fixture
def app(tmp_path: Path, smtp_sink, app_factory) -> App:
    crm = tmp_path / "crm.csv"
    crm.write_text("email;street;postcode;city\nsanne.jansen@example.org;Kerkweg 1;1111 AA;"
                   "Oudedorp\n", encoding="utf-8")
    settings = console_settings(tmp_path, smtp_sink.url)
    settings = settings.model_copy(update={"sources": (Source(
        name="CRM", type="csv", path=crm, delimiter=";"),)})
    app = app_factory(settings)
    add_staff(app)
    return app


def reference_of(app: App) -> str:
    with app.uow() as uow:
        return uow.session.scalars(select(Request.reference).order_by(Request.id)).first()


def test_a_page_that_does_not_exist_is_a_styled_page_in_the_readers_language(
        app: App) -> None:
    staff = signed_in(app, Clock(), VIEWER, language="nl")
    response = staff.get("/no/such/page")
    assert response.status_code == 404
    assert '<link rel="stylesheet" href="/static/console.css">' in response.text
    assert "Dat bestaat niet (meer)." in text_of(response.text)
    assert "Werkvoorraad" in text_of(response.text)  # the menu is there: a way back
    anonymous = browser(app, Clock()).get("/also/missing")
    assert anonymous.status_code == 404 and "console.css" in anonymous.text
    missing_request = staff.get("/requests/MB-1999-00001")
    assert missing_request.status_code == 404 and "console.css" in missing_request.text


def test_the_timeline_and_findings_read_as_text(app: App) -> None:
    deliver(app, mail("Mijn nieuwe adres is Dorpsstraat 12, 1234 AB Ergens.",
                      subject="Adreswijziging", headers=DMARC), NOW - timedelta(days=1))
    staff = signed_in(app, Clock(), APPROVER)
    html = staff.get(f"/requests/{reference_of(app)}").text
    page = text_of(html)
    timeline = text_of(html.split('<section class="timeline">')[1])
    assert "changes_found" not in page and "Changes found in the mail" in timeline
    assert "From Acknowledged To Waiting for steps" in timeline  # statuses by name
    assert "{" not in timeline and '"field"' not in html  # no JSON anywhere
    # a correction shows what each source holds now beside the new value
    changes = html.split('<table class="changes">')[1].split("</table>")[0]
    rows = [text_of(row) for row in changes.split("<tr>")[2:]]
    assert rows == ["Street and number Kerkweg 1 (CRM) Dorpsstraat 12",
                    "Postcode 1111 AA (CRM) 1234 AB", "City Oudedorp (CRM) Ergens"]
    evidence = html.split('<section class="classification">')[1].split("<tbody>")[1]
    rows = [text_of(row) for row in evidence.split("</table>")[0].split("<tr>")[1:]]
    assert len(rows) == len(set(rows)) >= 2  # each piece of evidence once


def test_the_queue_shows_mine_and_pages_through_a_long_list(app: App) -> None:
    for number in range(105):
        deliver(app, mail(f"Wat is uw openingstijd? Vraag {number}", subject=f"Vraag {number}",
                          sender=f"Persoon {number} <persoon{number}@example.org>"),
                NOW - timedelta(hours=number + 1))
    staff = signed_in(app, Clock(), APPROVER)
    first = staff.get("/queue?status=all").text
    assert first.count('href="/requests/MB-') == 100
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = staff.get("/queue?status=all&page=2").text
    assert second.count('href="/requests/MB-') == 5 and 'rel="prev"' in second
    reference = reference_of(app)
    with app.uow() as uow:
        request_id = uow.repo.requests.find(reference).id
    staff.post(f"/requests/{request_id}/assign", {"to": APPROVER},
               page=f"/requests/{reference}")
    mine = staff.get("/queue?mine=1").text
    assert mine.count('href="/requests/MB-') == 1 and reference in mine
    assert "1 assigned to me" in text_of(mine)
    viewer = signed_in(app, Clock(), VIEWER)
    assert 'href="/requests/MB-' not in viewer.get("/queue?mine=1").text


def test_an_admin_manages_users_and_every_change_is_recorded(app: App) -> None:
    admin = signed_in(app, Clock(), ADMIN)
    viewer = signed_in(app, Clock(), VIEWER)
    assert signed_in(app, Clock(), APPROVER).get("/users").status_code == 403
    with app.uow() as uow:
        ids = {u.name: u.id for u in uow.session.scalars(select(StaffUser))}
    assert admin.post(f"/users/{ids[VIEWER]}/role", {"role": "approver"},
                      page="/users").status_code == 303
    assert viewer.get("/queue", follow_redirects=False).status_code == 303  # signed out
    admin.post(f"/users/{ids[VIEWER]}/password", {"password": "another long password"},
               page="/users")
    assert browser(app, Clock()).login(VIEWER, "another long password").status_code == 303
    admin.post(f"/users/{ids[VIEWER]}/disable", {}, page="/users")
    assert browser(app, Clock()).login(VIEWER, "another long password").status_code == 401
    refused = admin.post(f"/users/{ids[ADMIN]}/disable", {}, page="/users")
    assert refused.status_code == 409 and "disable yourself" in refused.text
    admin.post("/users", {"name": "Noor Nieuw", "role": "viewer", "password": PASSWORD},
               page="/users")
    assert browser(app, Clock()).login("Noor Nieuw").status_code == 303
    page = text_of(admin.get("/users").text)
    assert "Role changed" in page and "User disabled" in page and "Password reset" in page
    with app.uow() as uow:
        logged = [(e.action, e.actor) for e in uow.session.scalars(
            select(Event).where(Event.action.like("user_%")).order_by(Event.id))][-4:]
    assert logged == [("user_role_changed", ADMIN), ("user_password_reset", ADMIN),
                      ("user_disabled", ADMIN), ("user_added", ADMIN)]


def test_the_outbox_shows_what_left_and_what_bounced(app: App, smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC), NOW)
    smtp_sink.wait_for_count(1)
    with app.uow() as uow:
        acknowledgement = uow.repo.outbox.list()[0].message_id
    deliver(app, bounce(acknowledgement), NOW + timedelta(minutes=5))
    staff = signed_in(app, Clock(), VIEWER)
    page = text_of(staff.get("/outbox").text)
    assert "Bounced Acknowledgement" in page and reference_of(app) in page
    assert "Undelivered Mail Returned to Sender" in page  # the bounce itself, below
    only_sent = text_of(staff.get("/outbox?status=sent").text)
    assert "Bounced Acknowledgement" not in only_sent


def test_opt_outs_are_searched_added_and_removed_by_hand(app: App) -> None:
    approver = signed_in(app, Clock(), APPROVER)
    approver.post("/optouts", {"email": "P.Bakker@example.org", "purpose_sales_calls": "1",
                               "purpose_content_mailings": "1", "note": "aan de telefoon"},
                  page="/optouts")
    approver.post("/optouts", {"email": "kees@example.org", "purpose_statistics": "1"},
                  page="/optouts")
    found = text_of(approver.get("/optouts?q=bakker").text)
    assert "p.bakker@example.org" in found and "kees@example.org" not in found
    assert "sales calls" in found and "Remove" not in found  # removing is for admins
    nothing = approver.post("/optouts", {"email": "x@example.org"}, page="/optouts")
    assert nothing.status_code == 409
    admin = signed_in(app, Clock(), ADMIN)
    admin.post("/optouts/remove", {"email": "p.bakker@example.org", "purpose": "sales_calls",
                                   "reason": "per abuis"}, page="/optouts?q=bakker")
    with app.uow() as uow:
        left = sorted((o.email, o.purpose) for o in uow.session.scalars(select(OptOut)))
    assert left == [("kees@example.org", "statistics"),
                    ("p.bakker@example.org", "content_mailings")]
