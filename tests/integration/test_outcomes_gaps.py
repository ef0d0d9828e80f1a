"""The gaps issue 15 left, closed through real parts: Dovecot → mailbot (SQLite and
PostgreSQL as its store) → staff in the console and on the command line → the SMTP sink,
reading the mail actually sent."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.console.verify_link import verification_app
from mailbot.errors import WorkflowError
from mailbot.handle import steps
from mailbot.service import drafts, requests, users
from mailbot.store import views
from mailbot.store.models import Request
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail
from tests.integration import test_outcomes_flow as outcomes
from tests.integration import test_verification_replies as replies
from tests.integration.test_outcomes_flow import (
    LOTTE,
    STAFF,
    newsletter,
    read_csv,
    the_request,
    to_person,
    waiting,
    write_csv,
)
from tests.integration.test_rights_flow import DMARC_PASS, RECEIVED, SANNE, body
from tests.integration.test_verification_answers import STAFF_ADDRESS, quoting, spoofed
from tests.integration.test_verification_flow import (
    link_path,
    received,
    reply_to,
    state,
)
from tests.integration.test_verification_flow import (
    text_of as mail_text_of,
)
from tests.unit.console_support import APPROVER, Clock, add_staff, signed_in, text_of

pytestmark = pytest.mark.dovecot

GAP = "[aan te vullen door medewerker]"
make_app = outcomes.make_app  # the fixture


def cli(app: App, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``mailbot --config FILE ARGS`` as a separate process."""
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def console(app: App) -> Any:
    return signed_in(app, Clock(datetime.now(UTC)), STAFF)


# Gap 5: a draft that still holds a gap marker cannot be approved --------------------------


def test_a_draft_with_a_gap_for_staff_is_approved_only_once_the_gap_is_filled(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(newsletter(tmp_path))  # no recipients, transfers or profiling configured
    dovecot.append(mail("Welke gegevens hebben jullie van mij?", headers=DMARC_PASS),
                   internaldate=RECEIVED)
    app.daemon.run_once()
    draft = waiting(app, "reply")
    with app.uow() as uow:
        text = uow.repo.drafts.get(draft).body
    assert GAP in text

    refused = cli(app, tmp_path, "drafts", "approve", str(draft), "--by", STAFF)
    assert refused.returncode != 0
    assert "gap(s) for staff to fill" in refused.stderr and GAP in refused.stderr
    assert f"mailbot drafts edit {draft}" in refused.stderr

    staff = console(app)
    reference = the_request(app).reference
    page = f"/requests/{reference}"
    staff.get(page)
    answer = staff.post(f"/drafts/{draft}/approve", {}, page=page)
    assert answer.status_code == 409
    assert "gap(s) for staff to fill" in text_of(answer.text)
    assert waiting(app, "reply") == draft  # still waiting, nothing queued

    half = text.replace("Ontvangers: " + GAP, "Ontvangers: niemand buiten onze organisatie", 1)
    drafts.edit(app.service, draft, half, by=STAFF)
    with pytest.raises(WorkflowError, match="gap"):
        drafts.approve(app.service, draft, by=STAFF)  # one gap filled, others left

    filled = (half.replace("Doorgifte buiten de EU: " + GAP, "Doorgifte buiten de EU: geen")
              .replace(GAP, "Wij nemen geen besluiten die alleen een computer neemt."))
    edited = tmp_path / "filled.txt"
    edited.write_text(filled, encoding="utf-8")
    assert cli(app, tmp_path, "drafts", "edit", str(draft), "--text-file", str(edited),
               "--by", STAFF).returncode == 0
    approved = cli(app, tmp_path, "drafts", "approve", str(draft), "--by", STAFF)
    assert approved.returncode == 0, approved.stderr
    app.daemon.run_once()

    _ack, overview = to_person(smtp_sink, 2)
    sent = body(overview)
    assert GAP not in sent and "Ontvangers: niemand buiten onze organisatie" in sent
    assert "Doorgifte buiten de EU: geen" in sent
    assert "Wij nemen geen besluiten die alleen een computer neemt." in sent


# Gap 3: a mailbox copy the retention purge could not delete has a way forward ------------


@pytest.fixture
def clocked_app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory):
    """As ``make_app``, on a clock the test moves (the retention purge waits for months)."""
    def make(*sources: Source) -> tuple[App, Clock]:
        clock = Clock(RECEIVED + timedelta(hours=1))
        settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                                 database_url=database_url,
                                 verification={"trusted_authserv_ids": ["mx.example.org"]})
        own = Source(name="Privacy mailbox", type="own", purposes=["handling your requests"])
        app = app_factory(settings.model_copy(update={"sources": (*sources, own)}),
                          clock=clock)
        users.add(app.service, STAFF, "admin", "a long enough password", by=None)
        return app, clock
    return make


def steps_of(app: App, reference: str) -> dict[int, dict[str, Any]]:
    with app.uow() as uow:
        request = uow.repo.requests.find(reference)
        return {s.position: views.step_view(s) for s in request.steps}


def test_a_mailbox_copy_the_purge_could_not_delete_is_ticked_off_on_the_closed_request(
        clocked_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app, clock = clocked_app(newsletter(tmp_path))
    for sender in ("Sanne Jansen <sanne.jansen@example.org>", "Piet <p@example.org>"):
        dovecot.append(mail("Ik wil jullie nieuwsbrief niet meer ontvangen.", sender=sender,
                            subject="Afmelden"), internaldate=RECEIVED)
    app.daemon.run_once()
    with app.uow() as uow:
        found = sorted((r.reference, r.status) for r in uow.session.scalars(select(Request)))
    assert [status for _, status in found] == ["done", "done"]
    (first, _), (second, _) = found

    dovecot.set_uidvalidity(dovecot.uidvalidity() + 1000)  # the folder was rebuilt
    clock.advance(days=app.settings.retention.unsubscribe + 1)
    app.daemon.jobs.run_all()

    for reference in (first, second):
        (copy,) = [s for s in steps_of(app, reference).values()
                   if s["action"] == "delete_mailbox_copy"]
        assert copy["waiting"] and "delete it by hand" in copy["instruction"]
    assert len(dovecot.uids()) == 2  # nothing was deleted: the UIDs may name other mail

    ticked = cli(app, tmp_path, "requests", "step", "done", first, str(copy["position"]),
                 "--note", "Met de hand uit de mailbox verwijderd", "--by", STAFF)
    assert ticked.returncode == 0, ticked.stderr

    staff = signed_in(app, clock, STAFF)
    page = staff.get(f"/requests/{second}").text
    request_id = int(re.search(r'action="/requests/(\d+)/steps"', page).group(1))
    answer = staff.post(f"/requests/{request_id}/steps",
                        {"position": str(copy["position"]), "result": "failed",
                         "note": "Map is opnieuw opgebouwd; mail niet meer te vinden"},
                        page=f"/requests/{second}")
    assert answer.status_code == 303, answer.text

    done = steps_of(app, first)[copy["position"]]
    assert (done["status"], done["by"], done["note"]) == (
        "done", STAFF, "[purged]")  # the request was purged: staff's words go too
    failed = steps_of(app, second)[copy["position"]]
    assert (failed["status"], failed["by"]) == ("failed", STAFF)
    with app.uow() as uow:
        assert {uow.repo.requests.find(r).status for r in (first, second)} == {"done"}
    again = cli(app, tmp_path, "requests", "step", "done", first, str(copy["position"]),
                "--note", "nogmaals", "--by", STAFF)
    assert again.returncode != 0 and "only a step that waits for a person" in again.stderr


# Gap 4: steps keep no personal data once the request's data is erased --------------------


def call_list(directory: Path) -> Source:
    """A list mailbot may read but not change: erasing in it is a manual step."""
    path = write_csv(directory / "calls.csv", [("email", "phone"), (SANNE, "06-11111111")])
    return Source(name="Call list", type="csv", path=path, purposes=["sales calls"])


def test_an_erasure_leaves_steps_that_say_what_was_done_but_not_about_whom(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(newsletter(tmp_path), call_list(tmp_path))
    dovecot.append(mail("Verwijder al mijn gegevens.", subject="Verwijderen",
                        headers=DMARC_PASS), internaldate=RECEIVED)
    app.daemon.run_once()
    reference = the_request(app, "erasure").reference
    (manual,) = [s for s in steps_of(app, reference).values() if s["waiting"]]
    assert SANNE in manual["instruction"]  # staff need the address to do it
    requests.step(app.service, reference, manual["position"], True,
                  "Sanne Jansen (06-11111111) uit de bellijst gehaald", by=STAFF)
    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()
    answer = next(m for m in to_person(smtp_sink, 2) if "gewist" in m["Subject"])
    assert "gewist uit onze administratie" in body(answer)

    after = steps_of(app, reference)
    shown = json.dumps(list(after.values()), ensure_ascii=False).lower()
    assert "sanne" not in shown and "11111111" not in shown
    assert [(s["action"], s["target"], s["status"]) for s in after.values()] == [
        ("search", "Newsletter", "done"), ("search", "Call list", "done"),
        ("search", "Privacy mailbox", "done"), ("erase", "Newsletter", "done"),
        ("erase", "Call list", "done"), ("delete_mailbox_copy", "mailbox", "done"),
        ("erase", steps.OWN, "done")]
    ticked = after[manual["position"]]
    assert (ticked["by"], ticked["note"]) == (STAFF, "[erased]") and ticked["at"]
    assert after[4]["result"] == "1 records" and after[4]["by"] == STAFF


# Gap 1: a parent who asks for their own data to be erased as well ------------------------


def about_lotte(also_mine: bool) -> bytes:
    ask = " En wis ook mijn gegevens." if also_mine else ""
    return mail("Beste,\n\nMijn dochter Lotte is 12 jaar. Zij staat op jullie nieuwsbrief met "
                f"haar e-mailadres {LOTTE}. Wilt u haar gegevens verwijderen?{ask}\n\n"
                "Groet,\nSanne Jansen", subject="Mijn dochter", headers=DMARC_PASS)


@pytest.mark.parametrize("also_mine", [True, False], ids=["also-mine", "child-only"])
def test_a_parent_erases_their_own_data_only_when_they_ask_and_is_told_both(
        make_app, dovecot, smtp_sink, tmp_path: Path, also_mine: bool) -> None:
    app = make_app(newsletter(tmp_path))
    dovecot.append(about_lotte(also_mine), internaldate=datetime.now(UTC) - timedelta(hours=1))
    app.daemon.run_once()
    reference = the_request(app, "erasure").reference

    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()

    left = [r["email"] for r in read_csv(tmp_path / "newsletter.csv")]
    answer = next(m for m in to_person(smtp_sink, 2) if "wissen" in m["Subject"])
    text = " ".join(body(answer).split())
    assert "De gegevens van uw kind zijn gewist uit onze administratie" in text
    erased = {(s["action"], s["target"], s["status"]) for s in steps_of(app, reference).values()}
    if also_mine:
        assert left == []
        assert "de persoonsgegevens van uw kind en uw eigen persoonsgegevens te wissen" in text
        assert "Ook uw eigen gegevens zijn gewist uit onze administratie, zoals u vroeg" in text
        assert "ook uit onze mailbox" in text  # her own mail, as for any erasure
        assert {("erase", steps.OWN, "done"),
                ("delete_mailbox_copy", "mailbox", "done")} <= erased
        assert dovecot.uids() == []
    else:
        assert left == [SANNE]
        assert "Uw eigen gegevens hebben wij niet gewist: daar vroeg u niet om" in text
        assert "Ook uw eigen gegevens" not in text
        assert not {a for a, _, _ in erased} & {"delete_mailbox_copy"}
        assert len(dovecot.uids()) == 1


# Gap 6: a "no" from the address's owner stops what still waits in the outbox --------------


app = replies.app  # the fixture: a verification link, staff alerts


def test_a_dispute_withdraws_the_reply_waiting_in_the_outbox_and_tells_staff(
        app: App, dovecot, smtp_sink) -> None:
    add_staff(app)
    request_id, verification = spoofed(app, dovecot, smtp_sink, replies.ACCESS)
    clicked = TestClient(verification_app(app.uow, app.context)).post(link_path(verification))
    assert clicked.status_code == 200
    with app.uow() as uow:
        reference = uow.repo.requests.get(request_id).reference
    queued = drafts.approve(app.service, reference, by=APPROVER)
    with app.uow() as uow:
        assert uow.repo.requests.get(request_id).status == "done"  # its reply is on its way
    sent_before = len(smtp_sink.messages)

    # the owner says no before the reply left: the next run reads it before it delivers
    dovecot.append(reply_to(verification, quoting(verification, "Dit heb ik niet aangevraagd!")))
    app.daemon.run_once()

    smtp_sink.wait_for_count(sent_before + 2)  # the two staff mails, nothing to Sanne
    to_sanne = [m for m in received(smtp_sink) if m["To"] and SANNE in m["To"]]
    assert len(to_sanne) == 2  # the acknowledgement and the code, not the reply
    now = state(app, request_id)
    (row,) = [o for o in now["outbox"] if o["id"] == queued_outbox(app, queued.draft_id)]
    assert row["status"] == "withdrawn"
    assert "outbox_withdrawn" in now["events"]
    (draft,) = [d for d in now["drafts"] if d["id"] == queued.draft_id]
    assert draft["status"] == "rejected"

    (staff_mail,) = [m for m in received(smtp_sink)
                     if m["To"] == STAFF_ADDRESS and "uitgaande post" in m["Subject"]]
    text = " ".join(mail_text_of(staff_mail).split())
    withdrawn, _, sent = text.partition("Al verstuurd")
    assert f"{reference}: reply aan {SANNE}" in withdrawn.split("Ingetrokken")[1]
    assert f"{reference}: verification aan {SANNE}" in sent  # the code had left already
    app.daemon.run_once()
    assert len([m for m in received(smtp_sink) if m["To"] and SANNE in m["To"]]) == 2


def queued_outbox(app: App, draft_id: int) -> int:
    with app.uow() as uow:
        outbox_id = uow.repo.drafts.get(draft_id).outbox_id
        assert outbox_id is not None
        return outbox_id


# Gap 2: a child named without an e-mail address ------------------------------------------


def test_a_child_named_without_an_address_is_erased_by_staff_and_only_then_confirmed(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(newsletter(tmp_path))
    dovecot.append(mail("Beste,\n\nMijn dochter Lotte is 12 jaar en staat op jullie "
                        "nieuwsbrief. Wilt u haar gegevens verwijderen?\n\nGroet,\nSanne Jansen",
                        subject="Mijn dochter", headers=DMARC_PASS),
                   internaldate=datetime.now(UTC) - timedelta(hours=1))
    app.daemon.run_once()
    reference = the_request(app, "erasure").reference
    (manual,) = [s for s in steps_of(app, reference).values() if s["waiting"]]
    assert manual["action"] == "erase" and "(Lotte)" in manual["instruction"]
    confirmation = waiting(app, "confirmation")
    with pytest.raises(WorkflowError, match="tick it off first"):
        drafts.approve(app.service, confirmation, by=STAFF)

    ticked = cli(app, tmp_path, "requests", "step", "done", reference,
                 str(manual["position"]), "--note", "Lotte uit de nieuwsbrieflijst gehaald",
                 "--by", STAFF)
    assert ticked.returncode == 0, ticked.stderr
    drafts.approve(app.service, confirmation, by=STAFF)
    app.daemon.run_once()

    answer = next(m for m in to_person(smtp_sink, 2) if "wissen" in m["Subject"])
    text = " ".join(body(answer).split())
    assert "De gegevens van uw kind zijn gewist uit onze administratie" in text
    assert "Uw eigen gegevens hebben wij niet gewist" in text
    assert SANNE in [r["email"] for r in read_csv(tmp_path / "newsletter.csv")]


def named_sources(tmp_path: Path, rows: list[tuple[str, ...]]) -> tuple[Source, Source]:
    """A newsletter list that finds people by name, and a CRM that finds them by name too."""
    path = write_csv(tmp_path / "newsletter.csv", [("email", "name"), *rows])
    listed = Source(name="Newsletter", type="csv", path=path, writable=True,
                    name_column="name", purposes=["newsletter"],
                    categories=["e-mail address"], retention="until you unsubscribe",
                    origin="you")
    crm = tmp_path / "crm.sqlite"
    import sqlite3

    with sqlite3.connect(crm) as connection:
        connection.execute("CREATE TABLE IF NOT EXISTS customers (name TEXT, email TEXT)")
        connection.execute("INSERT INTO customers VALUES ('Sanne Jansen', ?)", (SANNE,))
    connection.close()
    customers = Source(
        name="CRM", type="sql", url=f"sqlite:///{crm}",
        query="SELECT name, email FROM customers WHERE lower(email) = lower(:email)",
        name_query="SELECT name, email FROM customers WHERE lower(name) = lower(:name)",
        erase_query="DELETE FROM customers WHERE lower(email) = lower(:email)", writable=True,
        purposes=["customer administration"], categories=["name"], retention="2 years",
        origin="you")
    return listed, customers


def parent_mail(name: str) -> bytes:
    return mail(f"Beste,\n\nMijn dochter {name} is 12 jaar en staat op jullie nieuwsbrief. "
                "Wilt u haar gegevens verwijderen?\n\nGroet,\nSanne Jansen",
                subject="Mijn dochter", headers=DMARC_PASS)


def test_a_child_known_by_name_is_found_in_the_sources_and_erased(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(*named_sources(tmp_path, [(SANNE, "Sanne Jansen"),
                                             (LOTTE, "Lotte Jansen")]))
    dovecot.append(parent_mail("Lotte Jansen"),
                   internaldate=datetime.now(UTC) - timedelta(hours=1))
    app.daemon.run_once()
    reference = the_request(app, "erasure").reference
    planned = steps_of(app, reference).values()
    assert not [s for s in planned if s["waiting"]]  # nothing for a person to search
    erasing = [(s["target"], s["status"], s["detail"].get("whose")) for s in planned
               if s["action"] == "erase"]
    assert erasing == [("Newsletter", "planned", "child")], erasing
    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()

    answer = next(m for m in to_person(smtp_sink, 2) if "wissen" in m["Subject"])
    text = " ".join(body(answer).split())
    assert "De gegevens van uw kind zijn gewist uit onze administratie" in text
    assert "Uw eigen gegevens hebben wij niet gewist" in text
    emails = [r["email"] for r in read_csv(tmp_path / "newsletter.csv")]
    assert LOTTE not in emails and SANNE in emails  # the parent's record stays


def test_two_people_of_the_child_s_name_are_left_to_a_person(
        make_app, dovecot, smtp_sink, tmp_path: Path) -> None:
    app = make_app(*named_sources(tmp_path, [(LOTTE, "Lotte Jansen"),
                                             ("l.jansen@example.net", "Lotte Jansen")]))
    dovecot.append(parent_mail("Lotte Jansen"),
                   internaldate=datetime.now(UTC) - timedelta(hours=1))
    app.daemon.run_once()
    reference = the_request(app, "erasure").reference
    (manual,) = [s for s in steps_of(app, reference).values() if s["waiting"]]
    assert manual["target"] == "Newsletter" and "2 records" in manual["instruction"]
    with pytest.raises(WorkflowError, match="tick it off first"):
        drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    assert len(read_csv(tmp_path / "newsletter.csv")) == 2  # nothing erased by a guess


def test_a_child_not_found_by_name_is_said_so(make_app, dovecot, smtp_sink,
                                              tmp_path: Path) -> None:
    app = make_app(*named_sources(tmp_path, [(SANNE, "Sanne Jansen")]))
    dovecot.append(parent_mail("Lotte Jansen"),
                   internaldate=datetime.now(UTC) - timedelta(hours=1))
    app.daemon.run_once()
    reference = the_request(app, "erasure").reference
    assert not [s for s in steps_of(app, reference).values() if s["waiting"]]
    drafts.approve(app.service, waiting(app, "confirmation"), by=STAFF)
    app.daemon.run_once()
    answer = next(m for m in to_person(smtp_sink, 2) if "wissen" in m["Subject"])
    text = " ".join(body(answer).split())
    assert "geen gegevens van uw kind gevonden" in text
    assert "De gegevens van uw kind zijn gewist" not in text
