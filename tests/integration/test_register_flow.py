"""Processing orders through real parts: Dovecot → mailbot → database → staff approval →
SMTP sink. Only a registered client's contact changes the register."""

from __future__ import annotations

import csv
import io
import re
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from mailbot.register import cli_support
from mailbot.service import clients, drafts, users
from mailbot.store import views
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

ORDERS = Path(__file__).resolve().parents[1] / "corpus" / "orders"
CONTACT = "marieke.devries@tuincentrum.example.org"


def order_mail(name: str, *, sender: str = f"Marieke de Vries <{CONTACT}>",
               message_id: str | None = "auto") -> bytes:
    head, _, body = (ORDERS / name).read_text("utf-8").partition("\n\n")
    return mail(body, sender=sender, subject=head.removeprefix("Subject: "),
                message_id=message_id)


def start(tmp_path: Path, dovecot: Any, smtp_sink: Any, app_factory: Any,
          database_url: str | None = None) -> Any:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url)
    app = app_factory(settings)
    users.add(app.service, "Staff", "admin", "a long enough password", by=None)
    clients.add_client(app.service, "Tuincentrum De Linde B.V.", [CONTACT], by="Staff",
                       dpo="J. Bos, fg@tuincentrum.example.org",
                       address="Lindelaan 4, 1234 AB Voorbeeldstad")
    return app


def approve_all(app: Any) -> list[int]:
    """Staff approve every waiting draft, as ``mailbot drafts approve ID --by Staff``."""
    with app.uow() as uow:
        waiting = [d["id"] for d in views.drafts(uow.repo, status="pending_approval")]
    for draft_id in waiting:
        drafts.approve(app.service, draft_id, by="Staff")
    return waiting


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def by_subject(received: list[Any], pattern: str) -> EmailMessage:
    [found] = [m.message for m in received if re.search(pattern, m.message["Subject"])]
    return found


def test_an_order_from_a_client_contact_is_recorded_and_its_receipt_sent_after_approval(
    tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory
) -> None:
    app = start(tmp_path, dovecot, smtp_sink, app_factory, database_url)
    dovecot.append(order_mail("nl_labelled_new.txt",
                              message_id="<order-1@tuincentrum.example.org>"))

    assert app.daemon.run_once() == 1
    smtp_sink.wait_for_count(1)  # the acknowledgement
    with app.uow() as uow:
        [request] = views.requests(uow.repo)
        assert request["kind"] == "register_instruction"
        assert request["status"] == "awaiting_approval"
        [entry] = uow.repo.register.all()
        assert (entry.order_key, entry.version, entry.status) == (
            "nieuwsbriefverzending", 1, "active")
        assert entry.fields["data_subjects"] == "klanten en nieuwsbriefabonnees"
        [waiting] = views.drafts(uow.repo, status="pending_approval")
        assert waiting["purpose"] == "register_receipt"
        assert waiting["recipient"] == CONTACT and not waiting["personal_data"]
    assert len(smtp_sink.messages) == 1  # the receipt waits for staff

    approve_all(app)
    app.daemon.run_once()
    received = smtp_sink.wait_for_count(2)
    receipt = by_subject(received, "Ontvangstbevestiging")
    assert receipt["To"] == CONTACT
    assert receipt["In-Reply-To"] == "<order-1@tuincentrum.example.org>"
    body = text_of(receipt)
    assert request["reference"] in receipt["Subject"]
    assert '"Nieuwsbriefverzending"' in body and "versie 1" in body
    assert "Categorieën van persoonsgegevens: naam; e-mailadres; klik- en leesgedrag" in body
    assert "Startdatum: 1 maart 2027" in body
    with app.uow() as uow:
        assert views.requests(uow.repo)[0]["status"] == "done"

    # An amendment from the same contact: a second version supersedes the first.
    dovecot.append(order_mail("nl_amendment.txt"))
    assert app.daemon.run_once() == 1
    with app.uow() as uow:
        assert [(e.version, e.status) for e in uow.repo.register.all()] == [
            (1, "superseded"), (2, "active")]
        exported = cli_support.export(uow.repo, "csv")
    [row] = list(csv.DictReader(io.StringIO(exported)))
    assert (row["order_key"], row["version"], row["change"]) == (
        "Nieuwsbriefverzending", "2", "amended")
    assert "geboortedatum" in row["personal_data"]
    assert row["client_dpo"] == "J. Bos, fg@tuincentrum.example.org"


def test_an_order_with_missing_fields_gets_a_reply_asking_for_them(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    app = start(tmp_path, dovecot, smtp_sink, app_factory)
    dovecot.append(order_mail("nl_missing_fields.txt"))

    assert app.daemon.run_once() == 1
    with app.uow() as uow:
        [entry] = uow.repo.register.all()
        assert entry.missing == ["security", "start"]
        assert {d["purpose"] for d in views.drafts(uow.repo, status="pending_approval")} == {
            "register_receipt", "register_missing"}

    assert len(approve_all(app)) == 2
    app.daemon.run_once()
    received = smtp_sink.wait_for_count(3)  # acknowledgement, receipt, question
    question = by_subject(received, "Aanvulling nodig")
    assert question["To"] == CONTACT
    body = text_of(question)
    assert re.findall(r"^  - (.+)$", body, flags=re.MULTILINE) == [
        "Beveiligingsmaatregelen", "Startdatum"]
    assert "Opdracht: Webwinkel" in body
    receipt = text_of(by_subject(received, "Ontvangstbevestiging"))
    assert "Beveiligingsmaatregelen: (ontbreekt)" in receipt


def test_the_same_order_from_a_stranger_does_not_touch_the_register(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    app = start(tmp_path, dovecot, smtp_sink, app_factory)
    dovecot.append(order_mail("nl_labelled_new.txt",
                              sender="Kees de Boer <kees.deboer@example.org>"))

    assert app.daemon.run_once() == 1
    with app.uow() as uow:
        assert uow.repo.register.count() == 0
        [request] = views.requests(uow.repo)
        assert request["status"] == "triage" or request["kind"] == "other"
        assert views.drafts(uow.repo) == []
    smtp_sink.wait_for_count(1)  # only the acknowledgement
    assert all("Ontvangstbevestiging" not in m.message["Subject"] for m in smtp_sink.messages)
