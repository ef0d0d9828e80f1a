"""What staff see and do in the console, through HTTP against a real mailbot (Maildir in, a
real SMTP server out, SQLite): the queue, a request, drafts, notes, a changed kind, the
quarantine, the register and opt-out exports, clients, the two languages."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.domain.kinds import Disposition
from mailbot.handle import extension
from mailbot.store.models import (
    Client,
    Draft,
    Event,
    InboundMail,
    OptOut,
    OutboxMessage,
    Request,
    StaffUser,
)
from tests.harness.mails import mail
from tests.unit.console_support import (
    ADMIN,
    APPROVER,
    DMARC,
    NOW,
    VIEWER,
    Clock,
    add_staff,
    console_settings,
    deliver,
    signed_in,
    text_of,
)

ORDERS = Path(__file__).resolve().parents[1] / "corpus" / "orders"
XSS_SUBJECT = "Inzage <script>alert(1)</script>"
XSS_BODY = ("Stuur mij een overzicht van mijn gegevens. <img src=x onerror=alert(1)> "
            "<script>alert(2)</script>")


@pytest.fixture
def app(tmp_path: Path, smtp_sink, database_url: str, app_factory) -> App:
    app = app_factory(console_settings(tmp_path, smtp_sink.url, mailbox={"max_size": 4000},
                                       database={"url": database_url}))
    add_staff(app)
    return app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@dataclass(frozen=True)
class Seen:
    """A request as a test needs it after its session has closed."""

    id: int
    reference: str
    due_at: date
    draft_ids: tuple[int, ...]


def request_of(app: App, sender: str) -> Seen:
    with app.uow() as uow:
        found = uow.session.scalars(select(Request).where(Request.sender == sender)
                                    .order_by(Request.id.desc())).first()
        assert found is not None and found.reference is not None
        return Seen(found.id, found.reference, found.due_at, tuple(d.id for d in found.drafts))


def test_the_queue_counts_marks_sorts_filters_and_searches(app: App, clock: Clock) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC,
                      sender="Pieter Bakker <p.bakker@example.org>", subject="Mijn gegevens"),
            NOW - timedelta(days=33))  # due 2026-10-23 + 30 days: overdue
    deliver(app, mail("Welke gegevens hebben jullie van mij? Stuur me een overzicht.",
                      sender="Noor de Vries <noor.devries@example.org>", subject="Inzage"),
            NOW - timedelta(days=27))  # due within the week, waits for verification
    deliver(app, mail("Haal mij van de nieuwsbrief af.", subject="Afmelden",
                      sender="Lotte Visser <lotte.visser@example.org>"), NOW)  # done at once
    viewer = signed_in(app, clock, VIEWER)

    page = viewer.get("/queue").text
    text = text_of(page)
    assert "2 open" in text and "1 overdue" in text and "1 due within 7 days" in text
    assert "1 Waiting for verification" in text and "1 Waiting for approval" in text
    rows = page.split("<tbody>")[1].split("</tr>")
    assert "p.bakker@example.org" in rows[0] and "overdue" in rows[0]
    assert "noor.devries@example.org" in rows[1] and "this week" in rows[1]
    assert "Waiting for verification" in rows[1]
    assert "lotte.visser" not in page  # done: not open

    everything = viewer.get("/queue?status=all").text
    assert "lotte.visser@example.org" in everything
    assert "p.bakker" not in viewer.get("/queue?due=week").text
    assert "noor.devries" not in viewer.get("/queue?due=overdue").text
    only_approval = viewer.get("/queue?status=awaiting_approval").text
    assert "p.bakker" in only_approval and "noor.devries" not in only_approval
    assert "lotte.visser" in viewer.get("/queue?status=all&kind=unsubscribe").text
    assert "p.bakker" not in viewer.get("/queue?status=all&kind=unsubscribe").text
    found = viewer.get("/queue?q=NOOR.devries").text
    assert "noor.devries" in found and "p.bakker" not in found
    reference = request_of(app, "p.bakker@example.org").reference
    by_reference = viewer.get(f"/queue?q={reference.lower()}").text
    assert "p.bakker" in by_reference and "noor.devries" not in by_reference
    assert "Nothing here." in viewer.get("/queue?q=100%25").text


def test_a_request_page_shows_the_mail_escaped_the_evidence_the_due_date_and_timeline(
        app: App, clock: Clock) -> None:
    deliver(app, mail(XSS_BODY, subject=XSS_SUBJECT, headers=DMARC), NOW - timedelta(days=3))
    request = request_of(app, "sanne.jansen@example.org")
    viewer = signed_in(app, clock, VIEWER)

    page = viewer.get(f"/requests/{request.reference}").text
    assert "<script" not in page and "<img" not in page
    assert "Inzage &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    text = text_of(page)
    assert f"{request.reference} · Access" in text and "Waiting for approval" in text
    assert "DMARC pass of the sender's domain" in text
    assert "access_phrase" in text  # the classifier's evidence, with its rule
    received = (NOW - timedelta(days=3)).date()
    assert f"Received + 30 days = {received + timedelta(days=30)}" in text
    assert f"due is the earlier: {request.due_at.isoformat()}" in text
    assert "Approve and send" not in text  # not for viewers: they see why
    assert "An approver decides on this draft." in text
    for event in ("Request recorded", "Address verified", "Draft created", "Status changed"):
        assert event in text
    by_id = viewer.get(f"/requests/{request.id}")
    assert by_id.status_code == 200 and request.reference in by_id.text


def test_an_html_mail_is_shown_as_its_text_never_as_html(app: App, clock: Clock) -> None:
    deliver(app, mail(html="<html><body><p>Stuur mij een <b>overzicht</b> van mijn "
                           "gegevens.</p><script>alert(1)</script><img src=x "
                           "onerror=alert(2)><a href='https://evil.example.org/'>hier</a>"
                           "</body></html>", headers=DMARC), NOW - timedelta(days=1))
    request = request_of(app, "sanne.jansen@example.org")
    viewer = signed_in(app, clock, VIEWER)
    page = viewer.get(f"/requests/{request.reference}").text
    mail_text = page.split('<pre class="mail-text">')[1].split("</pre>")[0]
    assert "Stuur mij een overzicht van mijn gegevens." in " ".join(mail_text.split())
    assert "<" not in mail_text  # markup from the mail never reaches the page
    assert "<script" not in page and "<img" not in page and "evil.example.org/'" not in page


def test_edit_then_approve_queues_the_edited_reply_and_the_daemon_sends_it(
        app: App, clock: Clock, smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
            NOW - timedelta(days=3))
    request = request_of(app, "sanne.jansen@example.org")
    draft_id = request.draft_ids[0]
    approver = signed_in(app, clock, APPROVER)
    page = f"/requests/{request.reference}"
    approver.get(page)

    edited = approver.post(f"/drafts/{draft_id}/edit",
                           {"subject": "Uw gegevens", "body": "Beste Sanne,\r\n\r\nHier is "
                            "het overzicht.\r\n<b>niet vet</b>\r\n"}, page=page)
    assert (edited.status_code, edited.headers["location"]) == (
        303, f"{page}?done=edited")
    shown = approver.get(edited.headers["location"]).text
    assert "The draft has been saved." in shown and "version 2" in shown
    assert "&lt;b&gt;niet vet&lt;/b&gt;" in shown

    stale = approver.post(f"/drafts/{draft_id}/approve", {"version": "1"}, page=page)
    assert stale.status_code == 409  # approving what one has not seen is refused
    approved = approver.post(f"/drafts/{draft_id}/approve", {"version": "2"}, page=page)
    assert approved.status_code == 303
    with app.uow() as uow:
        draft = uow.session.get(Draft, draft_id)
        assert draft is not None
        assert (draft.status, draft.decided_by) == ("queued", APPROVER)
    smtp_sink.wait_for_count(1)  # the acknowledgement
    app.daemon.run_once()
    sent = smtp_sink.wait_for_count(2)[-1]
    assert list(sent.rcpt_tos) == ["sanne.jansen@example.org"]
    assert sent.message["Subject"] == "Uw gegevens"
    assert "Hier is het overzicht." in sent.message.get_body(("plain",)).get_content()
    text = text_of(approver.get(page).text)
    assert "Draft approved" in text and f"Decided by {APPROVER}" in text


def test_reject_needs_a_reason_and_sends_the_request_to_triage(app: App, clock: Clock) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
            NOW - timedelta(days=3))
    request = request_of(app, "sanne.jansen@example.org")
    approver = signed_in(app, clock, APPROVER)
    draft_id = request.draft_ids[0]
    refused = approver.post(f"/drafts/{draft_id}/reject", {"reason": "  "})
    assert refused.status_code == 400 and "Please fill in: Reason." in refused.text
    done = approver.post(f"/drafts/{draft_id}/reject", {"reason": "Wrong person"})
    assert done.status_code == 303
    with app.uow() as uow:
        found = uow.repo.requests.get(request.id)
        assert found is not None and found.status == "triage"
        assert (found.drafts[0].status, found.drafts[0].reason) == ("rejected", "Wrong person")


def test_anyone_signed_in_adds_an_internal_note_shown_in_the_timeline(
        app: App, clock: Clock, smtp_sink) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
            NOW - timedelta(days=3))
    request = request_of(app, "sanne.jansen@example.org")
    viewer = signed_in(app, clock, VIEWER)
    note = "Belde op 24-11; <i>wil</i> alleen de CRM-gegevens."
    response = viewer.post(f"/requests/{request.id}/note", {"note": note})
    assert response.status_code == 303
    page = viewer.get(response.headers["location"]).text
    assert "The note has been added." in page
    assert "Belde op 24-11; &lt;i&gt;wil&lt;/i&gt; alleen de CRM-gegevens." in page
    with app.uow() as uow:
        event = uow.session.scalars(select(Event).where(Event.action == "note")).one()
        assert (event.actor, event.detail, event.request_id) == (
            VIEWER, {"text": note}, request.id)
    assert len(smtp_sink.messages) == 1  # only the acknowledgement: a note never leaves


def test_changing_the_kind_handles_the_same_request_as_the_new_kind(
        app: App, clock: Clock) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
            NOW - timedelta(days=3))
    old = request_of(app, "sanne.jansen@example.org")
    approver = signed_in(app, clock, APPROVER)

    response = approver.post(f"/requests/{old.id}/kind", {"kind": "erasure"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/requests/{old.reference}?done=kind"
    with app.uow() as uow:
        assert len(uow.session.scalars(select(Request)).all()) == 1  # the mail is not re-recorded
        changed = uow.repo.requests.get(old.id)
        assert (changed.kind, changed.reference, changed.due_at) == (
            "erasure", old.reference, old.due_at)
        access_draft, erasure_draft = changed.drafts
        assert access_draft.status == "rejected"
        assert access_draft.reason == f"kind changed from access to erasure by {APPROVER}"
        assert erasure_draft.purpose == "confirmation"
        assert changed.verification_method == "dmarc"  # proven once, not asked again
        assert changed.status == "awaiting_approval"
        event = [e for e in uow.repo.events.of(request_id=old.id) if e.action == "kind_changed"]
        assert event[0].actor == APPROVER
        assert event[0].detail == {"from": "access", "to": "erasure", "by": APPROVER}
    page = text_of(approver.get(response.headers["location"]).text)
    assert "Erasure" in page and "The request is now handled as the chosen kind." in page
    approver.post(f"/requests/{old.id}/close", {"reason": "Geen verzoek"},
                  page=f"/requests/{old.reference}")
    again = approver.post(f"/requests/{old.id}/kind", {"kind": "correction"})
    assert again.status_code == 409 and "closed" in again.text


def test_a_quarantined_mail_is_replayed_into_a_request(app: App, clock: Clock) -> None:
    big = mail("Stuur mij een overzicht van mijn gegevens.\n\n" + "Met groet.\n" * 400,
               headers=DMARC)
    deliver(app, big, NOW - timedelta(days=2))
    with app.uow() as uow:
        quarantined = uow.session.scalars(select(InboundMail)).one()
        assert quarantined.disposition == Disposition.QUARANTINED
        inbound_id = quarantined.id
    approver = signed_in(app, clock, APPROVER)
    listing = text_of(approver.get("/quarantine").text)
    assert "too large" in listing
    shown = approver.get(f"/quarantine/{inbound_id}").text
    assert "Stuur mij een overzicht" in shown  # the raw message, as text

    response = approver.post(f"/quarantine/{inbound_id}/replay", page=f"/quarantine/{inbound_id}")
    assert response.status_code == 303
    with app.uow() as uow:
        mail_now = uow.repo.inbound.get(inbound_id)
        assert mail_now is not None and mail_now.disposition == Disposition.REQUEST
        request = mail_now.requests[0]
        assert request.kind == "access"
        assert request.received_at.date() == (NOW - timedelta(days=2)).date()
        assert response.headers["location"] == f"/requests/{request.reference}?done=replayed"
        replayed = [e for e in uow.repo.events.of(inbound_id=inbound_id)
                    if e.action == "replayed"]
        assert replayed[0].actor == APPROVER
    assert "The quarantine is empty." in approver.get("/quarantine").text


def test_a_quarantined_mail_is_dismissed_and_stays_recorded(app: App, clock: Clock) -> None:
    deliver(app, b"\x00\x01 not a mail at all", NOW)
    with app.uow() as uow:
        inbound_id = uow.session.scalars(select(InboundMail.id)).one()
    approver = signed_in(app, clock, APPROVER)
    response = approver.post(f"/quarantine/{inbound_id}/dismiss", {"reason": "spam"})
    assert response.status_code == 303
    assert "The quarantine is empty." in approver.get("/quarantine").text
    assert f'href="/quarantine/{inbound_id}"' in approver.get("/quarantine?show=dismissed").text
    with app.uow() as uow:
        assert uow.repo.inbound.get(inbound_id) is not None
        event = uow.session.scalars(select(Event).where(
            Event.action == "quarantine_dismissed")).one()
        assert (event.actor, event.detail) == (APPROVER, {"reason": "spam"})
    again = approver.post(f"/quarantine/{inbound_id}/dismiss", {"reason": "spam"})
    assert again.status_code == 409
    replay = approver.post(f"/quarantine/{inbound_id}/replay")
    assert replay.status_code == 409


def test_the_opt_out_list_is_shown_and_exported(app: App, clock: Clock) -> None:
    deliver(app, mail("Ik wil me uitschrijven voor de nieuwsbrief.", subject="Uitschrijven",
                      sender="Lotte Visser <lotte.visser@example.org>"), NOW)
    with app.uow() as uow:
        purposes = sorted(uow.session.scalars(select(OptOut.purpose)))
    assert purposes
    viewer = signed_in(app, clock, VIEWER)
    assert "lotte.visser@example.org" in viewer.get("/optouts").text
    exported = viewer.get("/optouts/export?format=csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sorted(r["purpose"] for r in rows) == purposes
    assert {r["email"] for r in rows} == {"lotte.visser@example.org"}
    as_json = viewer.get("/optouts/export?format=json").json()
    assert {e["email"] for e in as_json} == {"lotte.visser@example.org"}
    assert viewer.get("/optouts/export?format=xlsx").status_code == 400


def test_an_order_from_a_contact_added_in_the_console_is_in_the_register_and_export(
        app: App, clock: Clock) -> None:
    viewer = signed_in(app, clock, VIEWER)
    assert "No orders recorded." in viewer.get("/register").text
    admin = signed_in(app, clock, ADMIN)
    admin.post("/clients", {"name": "Tuincentrum De Linde B.V.",
                            "contacts": "marieke.devries@tuincentrum.example.org",
                            "address": "Lindelaan 4, 1234 AB Voorbeeldstad",
                            "dpo": "J. Bos"}, page="/clients")
    head, _, body = (ORDERS / "nl_labelled_new.txt").read_text("utf-8").partition("\n\n")
    deliver(app, mail(body, subject=head.removeprefix("Subject: "),
                      sender="Marieke de Vries <marieke.devries@tuincentrum.example.org>",
                      headers={"Authentication-Results": "mx.example.org; dmarc=pass "
                               "header.from=tuincentrum.example.org"}),
            NOW - timedelta(days=1))
    assert "No orders recorded." in viewer.get("/register").text  # it waits for review
    with app.uow() as uow:
        request_id, reference = uow.session.execute(select(Request.id, Request.reference)).one()
    approver = signed_in(app, clock, APPROVER)
    assert "way-approve_order" in approver.get(f"/requests/{reference}").text
    assert approver.post(f"/requests/{request_id}/order/approve",
                         page=f"/requests/{reference}").status_code == 303

    page = text_of(viewer.get("/register").text)
    assert "Tuincentrum De Linde B.V." in page and "active" in page
    exported = viewer.get("/register/export?format=csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["client"] for r in rows] == ["Tuincentrum De Linde B.V."]
    assert rows[0]["contact"] == "marieke.devries@tuincentrum.example.org"
    for fmt, media in (("json", "application/json"), ("md", "text/markdown"),
                       ("html", "text/html")):
        response = viewer.get(f"/register/export?format={fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["content-type"].startswith(media)
        assert f'.{fmt}"' in response.headers["content-disposition"]
        assert "Tuincentrum De Linde B.V." in response.text
    assert viewer.get("/register/export?format=pdf").status_code == 400


def test_an_admin_manages_clients_and_their_contacts(app: App, clock: Clock) -> None:
    admin = signed_in(app, clock, ADMIN)
    added = admin.post("/clients", {"name": "Klant B.V.", "contacts":
                                    "privacy@klant.test\nDPO@klant.test",
                                    "address": "Marktplein 1, Klantstad", "dpo": ""},
                       page="/clients")
    assert added.status_code == 303
    with app.uow() as uow:
        client = uow.session.scalars(select(Client)).one()
        assert sorted(c.email for c in client.contacts) == ["dpo@klant.test",
                                                           "privacy@klant.test"]
        client_id = client.id
        contact_id = next(c.id for c in client.contacts if c.email == "dpo@klant.test")
    page = admin.get("/clients").text
    assert "Marktplein 1, Klantstad" in page and "privacy@klant.test" in page
    bad = admin.post(f"/clients/{client_id}/contacts", {"email": "not an address"},
                     page="/clients")
    assert bad.status_code == 409 and "not an e-mail address" in bad.text
    admin.post(f"/clients/{client_id}/contacts", {"email": "orders@klant.test"},
               page="/clients")
    admin.post(f"/clients/{client_id}/contacts/{contact_id}/remove", page="/clients")
    admin.post(f"/clients/{client_id}", {"address": "Marktplein 2", "dpo": "F. Gee"},
               page="/clients")
    with app.uow() as uow:
        client = uow.session.get(Client, client_id)
        assert client is not None
        assert sorted(c.email for c in client.contacts) == ["orders@klant.test",
                                                           "privacy@klant.test"]
        assert (client.address, client.dpo) == ("Marktplein 2", "F. Gee")
        actions = [e.action for e in uow.session.scalars(select(Event).order_by(Event.id))
                   if e.action.startswith("client_")]
        assert actions == ["client_saved", "client_contact_added", "client_contact_removed",
                           "client_saved"]


def test_the_language_is_chosen_per_user_and_remembered(app: App, clock: Clock) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
            NOW - timedelta(days=3))
    viewer = signed_in(app, clock, VIEWER, language="en")
    assert "Waiting for approval" in viewer.get("/queue").text
    response = viewer.post("/language", {"language": "nl", "next": "/queue?status=all"})
    assert response.headers["location"] == "/queue?status=all"
    page = viewer.get("/queue").text
    assert '<html lang="nl">' in page and "Wacht op goedkeuring" in page
    assert "Werkvoorraad" in page and "Afmelden" in page
    with app.uow() as uow:
        user = uow.session.scalars(select(StaffUser).where(StaffUser.name == VIEWER)).one()
        assert user.language == "nl"
    elsewhere = signed_in(app, clock, VIEWER, language="en")  # another browser
    assert "Wacht op goedkeuring" in elsewhere.get("/queue").text
    other = signed_in(app, clock, APPROVER, language="en")
    assert "Waiting for approval" in other.get("/queue").text


def test_the_login_page_follows_the_browser_and_the_choice_before_signing_in(
        app: App, clock: Clock) -> None:
    from tests.unit.console_support import browser

    dutch = browser(app, clock, language="nl-NL,nl;q=0.9")
    assert "Inloggen" in dutch.get("/login").text
    english = browser(app, clock, language="en-GB")
    assert "Sign in" in english.get("/login").text
    english.post("/language", {"language": "nl", "next": "/login"}, page="/login")
    assert "Wachtwoord" in english.get("/login").text


def test_a_second_approval_of_the_same_version_is_refused_and_queues_nothing(
        app: App, clock: Clock) -> None:
    """Two approvers opened the page; the second approves after the first (in sequence)."""
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
            NOW - timedelta(days=3))
    request = request_of(app, "sanne.jansen@example.org")
    first = signed_in(app, clock, APPROVER)
    second = signed_in(app, clock, ADMIN)
    page = f"/requests/{request.reference}"
    first.get(page)
    second.get(page)
    draft_id = request.draft_ids[0]
    assert first.post(f"/drafts/{draft_id}/approve", {"version": "1"}, page=page
                      ).status_code == 303
    late = second.post(f"/drafts/{draft_id}/approve", {"version": "1"}, page=page)
    assert late.status_code == 409 and "not waiting for approval" in late.text
    with app.uow() as uow:
        assert len(uow.session.scalars(select(OutboxMessage).where(
            OutboxMessage.purpose == f"draft.{draft_id}")).all()) == 1


def test_an_approver_extends_the_deadline_with_a_notice_that_waits_for_approval(
        app: App, clock: Clock) -> None:
    deliver(app, mail("Stuur mij een overzicht van mijn gegevens.", headers=DMARC),
            NOW - timedelta(days=3))
    request = request_of(app, "sanne.jansen@example.org")
    viewer = signed_in(app, clock, VIEWER)
    assert "Extend the deadline" not in viewer.get(f"/requests/{request.reference}").text
    assert viewer.post(f"/requests/{request.id}/extend",
                       {"months": "1", "reason": "x"}).status_code == 403
    approver = signed_in(app, clock, APPROVER)
    page = f"/requests/{request.reference}"
    assert "Extend the deadline" in approver.get(page).text
    assert approver.post(f"/requests/{request.id}/extend", {"months": "3", "reason": "Veel"},
                         page=page).status_code == 400
    response = approver.post(f"/requests/{request.id}/extend",
                             {"months": "1", "reason": "Veel bronnen te doorzoeken"},
                             page=page)
    assert response.headers["location"] == f"{page}?done=extended"
    text = text_of(approver.get(page).text)
    assert "An extension by 1 month to" in text and "waits for its notice to be approved" in text
    assert "Extension notice" in text
    with app.uow() as uow:
        notice = uow.session.scalars(select(Draft).where(
            Draft.purpose == "extension_notice")).one()
        assert (notice.status, notice.request_id) == ("pending_approval", request.id)
        notice_id, version = notice.id, notice.version
    approver.post(f"/drafts/{notice_id}/approve", {"version": str(version)}, page=page)
    with app.uow() as uow:  # the deadline scan applies it once the notice is on its way
        found = uow.repo.requests.get(request.id)
        assert found is not None
        extension.settle(app.context(uow), found)
        uow.commit()
    with app.uow() as uow:
        extended = uow.repo.requests.get(request.id)
        assert extended is not None and extended.extended_months == 1
        new_due = extended.due_at
    assert new_due > request.due_at
    text = text_of(approver.get(page).text)
    assert (f"Extended by 1 month from {request.due_at.isoformat()} to "
            f"{new_due.isoformat()}: Veel bronnen te doorzoeken") in text
