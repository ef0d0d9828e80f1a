"""Every sentence sent is true (issue 15), through real parts: Dovecot → mailbot (a SQLite CRM,
CSV lists, one held for a client) → staff → the SMTP sink, reading the mail actually sent.
SQLite and PostgreSQL as mailbot's store."""

from __future__ import annotations

import csv
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.errors import WorkflowError
from mailbot.service import clients, drafts, requests, users
from mailbot.store.models import Draft, Request
from tests.harness.app import make_settings
from tests.harness.mails import mail
from tests.integration.test_rights_flow import (
    CRM_COLUMNS,
    DMARC_PASS,
    RECEIVED,
    SANNE,
    body,
    crm_row,
    parsed,
)

pytestmark = pytest.mark.dovecot

CLIENT = "Klant B.V."
CLIENT_CONTACT = "privacy@klant.test"
LOTTE = "lotte.jansen@example.org"
STAFF = "Staff"
RETENTION = "7 jaar na de laatste factuur, zoals de belastingwet eist"


def write_crm(directory: Path, *, retention: bool = False, contact: bool = False) -> Source:
    crm = directory / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute(f"CREATE TABLE customers ({', '.join(CRM_COLUMNS)}, "
                           "restricted INTEGER DEFAULT 0)")
        connection.executemany(f"INSERT INTO customers ({', '.join(CRM_COLUMNS)}) "
                               "VALUES (?, ?, ?, ?, ?, ?)", [
            ("Sanne Jansen", "Kerkweg 1", "1111 AA", "Oudedorp", "06-11111111", SANNE),
            ("Pieter Bakker", "Molenweg 5", "2345 BC", "Zwolle", "06-33333333",
             "p.bakker@example.org")])
    connection.close()
    extra: dict[str, Any] = {}
    if contact:
        extra["recipient_addresses"] = {"our accountant": "privacy@accountant.test"}
    if retention:
        extra = {"retention_reason": RETENTION,
                 "restrict_query": "UPDATE customers SET restricted = 1 "
                                   "WHERE lower(email) = lower(:email)"}
    return Source(
        name="CRM", type="sql", url=f"sqlite:///{crm}",
        query=f"SELECT {', '.join(CRM_COLUMNS)} FROM customers "
              "WHERE lower(email) = lower(:email)",
        update_query="UPDATE customers SET {field} = :value WHERE lower(email) = lower(:email)",
        erase_query="DELETE FROM customers WHERE lower(email) = lower(:email)",
        writable=True, purposes=["customer administration"], categories=["name", "address"],
        retention="2 years", origin="you", recipients=["our accountant"], **extra)


def write_csv(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source))


def shop(directory: Path) -> Source:
    """Data we hold for a client: writable in principle, but never changed by us."""
    path = write_csv(directory / "shop.csv", [("email", "name"), (SANNE, "Sanne Jansen"),
                                               ("p.bakker@example.org", "Pieter Bakker")])
    return Source(name="Webshop Klant", type="csv", path=path, role="processor",
                  client=CLIENT, writable=True)


def newsletter(directory: Path) -> Source:
    path = write_csv(directory / "newsletter.csv", [("email", "name"), (SANNE, "Sanne Jansen"),
                                                     (LOTTE, "Lotte Jansen")])
    return Source(name="Newsletter", type="csv", path=path, writable=True,
                  purposes=["newsletter"], categories=["e-mail address"], retention="until "
                  "you unsubscribe", origin="you")


@pytest.fixture
def make_app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory):
    def make(*sources: Source) -> App:
        settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                                 database_url=database_url,
                                 verification={"trusted_authserv_ids": ["mx.example.org"]})
        own = Source(name="Privacy mailbox", type="own", purposes=["handling your requests"])
        app = app_factory(settings.model_copy(update={"sources": (*sources, own)}))
        users.add(app.service, STAFF, "admin", "a long enough password", by=None)
        clients.add_client(app.service, CLIENT, [CLIENT_CONTACT], by=STAFF)
        return app
    return make


def the_request(app: App, kind: str | None = None) -> Request:
    with app.uow() as uow:
        query = select(Request)
        if kind:
            query = query.where(Request.kind == kind)
        request = uow.session.scalars(query).one()
        uow.session.expunge(request)
        return request


def waiting(app: App, purpose: str) -> int:
    with app.uow() as uow:
        return uow.session.scalars(select(Draft.id).where(
            Draft.purpose == purpose, Draft.status == "pending_approval")).one()


def sent_to(smtp_sink, address: str) -> list[Any]:
    return [parsed(m.data) for m in smtp_sink.messages if address in m.rcpt_tos]


def to_person(smtp_sink, count: int) -> list[Any]:
    """The mails to the person once ``count`` have arrived (the acknowledgement first)."""
    smtp_sink.wait_for_count(count)
    return sent_to(smtp_sink, SANNE)


def test_erasure_of_client_data_is_forwarded_and_never_confirmed_as_erased(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(shop(tmp_path))
    dovecot.append(mail("Verwijder al mijn gegevens.", subject="Verwijderen",
                        headers=DMARC_PASS), internaldate=RECEIVED)
    app.daemon.run_once()
    reference = the_request(app).reference
    confirmation = waiting(app, "confirmation")

    with pytest.raises(WorkflowError, match=r"forward to Klant B\.V\."):
        drafts.approve(app.service, confirmation, by=STAFF)  # the forward has not left

    drafts.approve(app.service, waiting(app, "forward_to_client"), by=STAFF)
    app.daemon.run_once()
    (forward,) = sent_to(smtp_sink, CLIENT_CONTACT)
    assert "Verzoek om wissen" in forward["Subject"] and SANNE in body(forward)
    assert the_request(app).status == "awaiting_approval"
    drafts.approve(app.service, confirmation, by=STAFF)
    app.daemon.run_once()

    _ack, answer = to_person(smtp_sink, 3)
    text = body(answer)
    assert "Wij hebben uw verzoek doorgestuurd aan die organisatie" in text
    assert CLIENT not in text and "Klant" not in text  # the person never named the client
    assert "gewist uit onze administratie" not in text
    assert [r["email"] for r in read_csv(tmp_path / "shop.csv")] == [
        SANNE, "p.bakker@example.org"]  # nothing in the client's source changed by us
    from mailbot.service import evidence

    pack = evidence.pack(app.service, reference, "json")
    assert forward["Message-ID"].strip().strip("<>") in pack and "sink" in pack  # the SMTP answer


def test_a_rejected_forward_is_never_reported_as_sent(make_app, dovecot, smtp_sink,
                                                      tmp_path: Path) -> None:
    app = make_app(shop(tmp_path))
    dovecot.append(mail("Welke gegevens hebben jullie van mij?", headers=DMARC_PASS),
                   internaldate=RECEIVED)
    app.daemon.run_once()

    drafts.reject(app.service, waiting(app, "forward_to_client"),
                  "Klant B.V. behandelt dit zelf al", by=STAFF)
    drafts.approve(app.service, waiting(app, "reply"), by=STAFF)
    app.daemon.run_once()

    _ack, answer = to_person(smtp_sink, 2)
    text = body(answer)
    assert "doorgestuurd" not in text and CLIENT not in text
    assert sent_to(smtp_sink, CLIENT_CONTACT) == []
    steps = {s["what"]: s for s in requests_steps(app)}
    assert steps["forward to Klant B.V."]["status"] == "failed"


def requests_steps(app: App, kind: str | None = None) -> list[dict[str, Any]]:
    from mailbot.store import views

    with app.uow() as uow:
        query = select(Request)
        if kind:
            query = query.where(Request.kind == kind)
        request = uow.session.scalars(query).one()
        return [views.step_view(s) for s in request.steps]


def test_a_free_text_correction_waits_for_staff_and_is_never_confirmed_as_done(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(write_crm(tmp_path))
    dovecot.append(mail("Mijn geboortedatum klopt niet in jullie systeem, die moet 3 maart "
                        "1980 zijn.", subject="Correctie", headers=DMARC_PASS),
                   internaldate=RECEIVED)
    app.daemon.run_once()
    request = the_request(app)
    draft = waiting(app, "confirmation")

    with pytest.raises(WorkflowError, match="tick it off first"):
        drafts.approve(app.service, draft, by=STAFF)
    assert request.status == "awaiting_steps"
    with app.uow() as uow:
        assert "wacht nog op een medewerker" in uow.repo.drafts.get(draft).body

    (manual,) = [s for s in requests_steps(app) if s["waiting"] and s["action"] == "manual"]
    requests.step(app.service, request.reference, manual["position"], True,
                  "Geboortedatum in het CRM met de hand gezet", by=STAFF)
    drafts.approve(app.service, draft, by=STAFF)
    app.daemon.run_once()

    _ack, answer = to_person(smtp_sink, 2)
    text = body(answer)
    assert "Een medewerker heeft deze wijziging doorgevoerd" in text
    assert "aangepast zoals u vroeg" not in text
    done = {s["position"]: s for s in requests_steps(app)}[manual["position"]]
    assert (done["status"], done["by"], done["note"]) == (
        "done", STAFF, "Geboortedatum in het CRM met de hand gezet")


def test_a_corrected_value_is_confirmed_exactly_as_applied_and_recipients_told(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(write_crm(tmp_path, contact=True))
    dovecot.append(mail("Mijn adres is nu Nieuwe Gracht 1, 3512 LB Utrecht.",
                        subject="Adreswijziging", headers=DMARC_PASS), internaldate=RECEIVED)
    app.daemon.run_once()

    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()

    assert crm_row(tmp_path, SANNE)["street"] == "Nieuwe Gracht 1"
    _ack, answer = to_person(smtp_sink, 3)
    assert "straat en huisnummer: Nieuwe Gracht 1" in body(answer)
    (notice,) = sent_to(smtp_sink, "privacy@accountant.test")
    assert "Nieuwe Gracht 1" in body(notice) and SANNE in body(notice)
    assert the_request(app).status == "done"


def test_a_parent_about_a_child_of_12_erases_the_childs_data_not_the_parents(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(newsletter(tmp_path))
    received = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    dovecot.append(mail("Beste,\n\nMijn dochter Lotte is 12 jaar. Zij staat op jullie "
                        f"nieuwsbrief met haar e-mailadres {LOTTE}. Wilt u haar gegevens "
                        "verwijderen?\n\nGroet,\nSanne Jansen", subject="Mijn dochter",
                        headers=DMARC_PASS), internaldate=received)
    app.daemon.run_once()
    request = the_request(app, "erasure")
    assert request.child
    local = received.astimezone(ZoneInfo("Europe/Amsterdam")).date()  # the day it arrived
    assert request.due_at == local + timedelta(days=7)

    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()

    assert [r["email"] for r in read_csv(tmp_path / "newsletter.csv")] == [SANNE]
    answer = next(m for m in to_person(smtp_sink, 2) if "wissen" in m["Subject"])
    text = body(answer)
    assert "De gegevens van uw kind zijn gewist" in text and "met voorrang" in text


def test_a_14_year_old_asking_for_access_gets_access_with_a_flag(make_app, dovecot,
                                                                 smtp_sink) -> None:
    app = make_app()
    dovecot.append(mail("Hoi, ik ben 14 jaar en ik wil weten welke gegevens jullie van mij "
                        "hebben.", headers=DMARC_PASS), internaldate=RECEIVED)
    app.daemon.run_once()

    with app.uow() as uow:
        found = [(r.kind, r.child) for r in uow.session.scalars(select(Request))]
    assert found == [("access", True)]
    ack = to_person(smtp_sink, 1)[0]
    assert "wissen" not in body(ack) and "gewist" not in body(ack)


def test_a_source_under_legal_retention_is_restricted_not_erased(make_app, dovecot, smtp_sink,
                                                                 tmp_path: Path) -> None:
    app = make_app(write_crm(tmp_path, retention=True))
    dovecot.append(mail("Verwijder al mijn gegevens.", subject="Verwijderen",
                        headers=DMARC_PASS), internaldate=RECEIVED)
    app.daemon.run_once()

    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()

    with sqlite3.connect(tmp_path / "crm.sqlite") as connection:
        (restricted,) = connection.execute("SELECT restricted FROM customers WHERE email = ?",
                                           (SANNE,)).fetchone()
    connection.close()
    assert restricted == 1
    answer = next(m for m in to_person(smtp_sink, 2) if "wissen" in m["Subject"])
    text = " ".join(body(answer).split())
    assert f"moeten wij volgens de wet bewaren: {RETENTION}" in text and "afgeschermd" in text
    assert "gewist uit onze administratie" not in text


def test_erasure_removes_the_mailbox_copy_over_imap(make_app, dovecot, smtp_sink,
                                                   tmp_path: Path) -> None:
    app = make_app(newsletter(tmp_path))
    other = dovecot.append(mail("Wat zijn uw openingstijden?", sender="Piet <p@example.org>",
                                subject="Vraag"), internaldate=RECEIVED)
    dovecot.append(mail("Verwijder al mijn gegevens.", subject="Verwijderen",
                        headers=DMARC_PASS), internaldate=RECEIVED)
    app.daemon.run_once()

    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()

    everywhere = [uid for folder in ("INBOX",) for uid in dovecot.uids(folder)]
    assert everywhere == [other]
    answer = next(m for m in to_person(smtp_sink, 2) if "gewist" in m["Subject"])
    assert "ook uit onze mailbox" in body(answer)
    (step,) = [s for s in requests_steps(app, "erasure")
               if s["action"] == "delete_mailbox_copy"]
    assert step["status"] == "done"


@pytest.fixture
def maildir_app(tmp_path: Path, smtp_sink, database_url: str, app_factory):
    from tests.unit.console_support import Clock, console_settings

    clock = Clock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=1))
    settings = console_settings(tmp_path, smtp_sink.url)
    settings = settings.model_copy(update={
        "database": settings.database.model_copy(update={"url": database_url}),
        "sources": (newsletter(tmp_path),
                    Source(name="Privacy mailbox", type="own", purposes=["requests"]))})
    app = app_factory(settings, clock=clock)
    users.add(app.service, STAFF, "admin", "a long enough password", by=None)
    return app, clock, tmp_path / "Maildir"


def files(maildir: Path) -> list[str]:
    return sorted(p.name for sub in ("new", "cur") for p in (maildir / sub).iterdir())


def test_erasure_removes_the_mailbox_copy_in_a_maildir(maildir_app, smtp_sink) -> None:
    from tests.unit.console_support import deliver

    app, clock, maildir = maildir_app
    deliver(app, mail("Wat zijn uw openingstijden?", sender="Piet <p@example.org>",
                      subject="Vraag"), clock.now)
    kept = files(maildir)
    deliver(app, mail("Verwijder al mijn gegevens.", subject="Verwijderen",
                      headers=DMARC_PASS), clock.now)
    assert len(files(maildir)) == 2

    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()

    assert files(maildir) == kept
    answer = next(m for m in to_person(smtp_sink, 2) if "gewist" in m["Subject"])
    assert "ook uit onze mailbox" in body(answer)


def test_the_retention_purge_removes_the_mailbox_copy_in_a_maildir(maildir_app) -> None:
    from tests.unit.console_support import deliver

    app, clock, maildir = maildir_app
    deliver(app, mail("Ik ben afwezig tot maandag.", subject="Automatisch antwoord: Vraag",
                      headers={"Auto-Submitted": "auto-replied"}), clock.now)
    assert len(files(maildir)) == 1

    clock.advance(days=app.settings.retention.other_mail + 1)
    app.daemon.jobs.run_all()

    assert files(maildir) == []
    with app.uow() as uow:
        actions = [e.action for e in uow.repo.events.of(request_id=None, inbound_id=1)]
    assert "mailbox_copy_deleted" in actions


def test_the_evidence_pack_from_the_console_and_the_command_line(maildir_app, smtp_sink,
                                                                 tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    from tests.harness.app import toml_for
    from tests.unit.console_support import deliver, signed_in

    app, clock, _ = maildir_app
    deliver(app, mail("Verwijder al mijn gegevens.", subject="Verwijderen",
                      headers=DMARC_PASS), clock.now)
    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()
    (_ack, answer) = to_person(smtp_sink, 2)
    reference = the_request(app).reference

    staff = signed_in(app, clock, STAFF)
    page = staff.get(f"/requests/{reference}").text
    assert f"/requests/{reference}/evidence.html" in page
    html = staff.get(f"/requests/{reference}/evidence.html")
    assert html.status_code == 200 and "attachment" in html.headers["content-disposition"]
    assert "delete the copy in the mailbox" in html.text and "erase in Newsletter" in html.text

    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    out = tmp_path / "evidence.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config),
                           "requests", "evidence", reference, "--format", "json",
                           "--out", str(out)], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    pack = json.loads(out.read_text(encoding="utf-8"))
    assert pack["mail"]["sha256"] and len(pack["mail"]["sha256"]) == 64
    steps = {s["what"]: s for s in pack["steps"]}
    assert steps["erase in Newsletter"]["status"] == "done"
    assert steps["erase in Newsletter"]["by"] == STAFF
    assert any(d["decided_by"] == STAFF and d["status"] == "sent" for d in pack["decisions"])
    sent = {m["message_id"]: m for m in pack["messages"]}
    confirmation = sent[answer["Message-ID"].strip().strip("<>")]
    assert confirmation["status"] == "sent" and "queued as" in confirmation["smtp_answer"]
