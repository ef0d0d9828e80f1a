"""Processing orders through real parts: Dovecot → mailbot → database → staff approval (the
command line, the console over HTTP) → SMTP sink. Only a registered client's contact who
proved the address (DMARC, or a code) changes the register, and only once staff approve the
order; the receipt that goes out before says it awaits review."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from mailbot.errors import WorkflowError
from mailbot.register import cli_support, history
from mailbot.register.parse_order import parse_order
from mailbot.service import clients, drafts, users
from mailbot.store import views
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail
from tests.unit.console_support import Browser, Clock, signed_in

pytestmark = pytest.mark.dovecot

ORDERS = Path(__file__).resolve().parents[1] / "corpus" / "orders"
CONTACT = "marieke.devries@tuincentrum.example.org"
PROVEN = {"Authentication-Results": "mx.example.org; dmarc=pass header.from="
                                    "tuincentrum.example.org"}


def order_mail(name: str, *, sender: str = f"Marieke de Vries <{CONTACT}>",
               message_id: str | None = "auto", headers: dict[str, str] | None = None,
               body: str | None = None) -> bytes:
    """An order from the corpus; by default as our server saw it: DMARC pass for the
    contact's domain."""
    head, _, text = (ORDERS / name).read_text("utf-8").partition("\n\n")
    return mail(text if body is None else body, sender=sender,
                subject=head.removeprefix("Subject: "), message_id=message_id,
                headers=PROVEN if headers is None else headers)


def start(tmp_path: Path, dovecot: Any, smtp_sink: Any, app_factory: Any,
          database_url: str | None = None) -> Any:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url,
                             verification={"trusted_authserv_ids": ["mx.example.org"]})
    app = app_factory(settings)
    users.add(app.service, "Staff", "admin", "a long enough password", by=None)
    clients.add_client(app.service, "Tuincentrum De Linde B.V.", [CONTACT], by="Staff",
                       dpo="J. Bos, fg@tuincentrum.example.org",
                       address="Lindelaan 4, 1234 AB Voorbeeldstad")
    return app


def mailbot(app: Any, tmp_path: Path, *args: str) -> str:
    """The command line, as a separate process on the same database."""
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 0, f"{args}: {done.stderr}"
    return done.stdout


def the_request(app: Any) -> dict[str, Any]:
    """The newest request, as staff see it."""
    with app.uow() as uow:
        request = max(uow.repo.requests.list(), key=lambda r: r.id)
        return {"id": request.id, "reference": request.reference, "kind": request.kind,
                "status": request.status, "details": request.details or {}}


def versions(app: Any) -> list[tuple[int, str]]:
    with app.uow() as uow:
        return [(e.version, e.status) for e in uow.repo.register.all()]


def console(app: Any) -> Browser:
    return signed_in(app, Clock(datetime.now(UTC)), "Staff")


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


def test_an_order_from_a_proven_contact_enters_the_register_only_after_staff_approval(
    tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory
) -> None:
    app = start(tmp_path, dovecot, smtp_sink, app_factory, database_url)
    dovecot.append(order_mail("nl_labelled_new.txt",
                              message_id="<order-1@tuincentrum.example.org>"))

    assert app.daemon.run_once() == 1
    received = smtp_sink.wait_for_count(2)  # the acknowledgement and the receipt
    request = the_request(app)
    assert (request["kind"], request["status"]) == ("register_instruction",
                                                    "awaiting_approval")
    assert versions(app) == []  # nothing recorded before staff approve
    first = by_subject(received, "Ontvangen: verwerkingsopdracht")
    assert first["To"] == CONTACT
    body = text_of(first)
    assert "Het register is dus nog niet gewijzigd" in body
    assert "versie" not in body.replace("versienummer", "")
    with app.uow() as uow:
        assert views.drafts(uow.repo, status="pending_approval") == []
    shown = mailbot(app, tmp_path, "requests", "show", request["reference"])
    assert f"mailbot register approve {request['reference']}" in shown
    assert f"mailbot register reject {request['reference']}" in shown

    mailbot(app, tmp_path, "register", "approve", request["reference"], "--by", "Staff")
    assert versions(app) == [(1, "active")]
    app.daemon.run_once()
    received = smtp_sink.wait_for_count(3)
    receipt = by_subject(received, "Ontvangstbevestiging")
    assert receipt["To"] == CONTACT
    assert receipt["In-Reply-To"] == "<order-1@tuincentrum.example.org>"
    body = text_of(receipt)
    assert request["reference"] in receipt["Subject"]
    assert '"Nieuwsbriefverzending"' in body and "versie 1" in body
    assert "Categorieën van persoonsgegevens: naam; e-mailadres; klik- en leesgedrag" in body
    assert "Startdatum: 1 maart 2027" in body
    assert the_request(app)["status"] == "done"

    # An amendment from the same contact: a second version once approved in the console.
    dovecot.append(order_mail("nl_amendment.txt"))
    assert app.daemon.run_once() == 1
    assert versions(app) == [(1, "active")]
    amendment = the_request(app)
    staff = console(app)
    page = f"/requests/{amendment['reference']}"
    assert "way-approve_order" in staff.get(page).text
    assert staff.post(f"/requests/{amendment['id']}/order/approve",
                      page=page).status_code == 303
    assert versions(app) == [(1, "superseded"), (2, "active")]
    with app.uow() as uow:
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
        assert uow.repo.register.count() == 0
        assert {d["purpose"] for d in views.drafts(uow.repo, status="pending_approval")} == {
            "register_missing"}
    request = the_request(app)
    assert request["details"]["register"]["missing"] == ["start"]  # never our security

    assert len(approve_all(app)) == 1
    mailbot(app, tmp_path, "register", "approve", request["reference"], "--by", "Staff")
    with app.uow() as uow:
        [entry] = uow.repo.register.all()
        assert entry.missing == ["start"]
    app.daemon.run_once()
    received = smtp_sink.wait_for_count(4)  # acknowledgement, received, question, receipt
    question = by_subject(received, "Aanvulling nodig")
    assert question["To"] == CONTACT
    body = text_of(question)
    assert re.findall(r"^  - (.+)$", body, flags=re.MULTILINE) == ["Startdatum"]
    assert "Opdracht: Webwinkel" in body
    receipt = text_of(by_subject(received, "Ontvangstbevestiging"))
    assert "Startdatum: (ontbreekt)" in receipt
    assert "Beveiligingsmaatregelen" not in receipt and "Beveiligingsmaatregelen" not in body


# The corpus amendment, with a transfer to the US "without safeguards" added.
US_WITHOUT_SAFEGUARDS = (ORDERS / "nl_amendment.txt").read_text("utf-8").partition("\n\n")[
    2].replace("Opdracht: Nieuwsbriefverzending\n", "Opdracht: Nieuwsbriefverzending\n"
               "Doorgifte buiten de EER: Verenigde Staten, zonder waarborgen\n")


@pytest.mark.parametrize("spoof", [
    {}, {"Authentication-Results": "mx.attacker.test; dmarc=pass "
                                   "header.from=tuincentrum.example.org"},
    {"Authentication-Results": "mx.example.org; dmarc=fail header.from=tuincentrum.example.org"},
], ids=["no-dmarc", "untrusted-pass", "trusted-fail"])
def test_a_spoofed_order_never_changes_the_register(
    tmp_path: Path, dovecot, smtp_sink, app_factory, spoof: dict[str, str]
) -> None:
    """Issue 10, break 3: an order spoofed as a client contact amended the register at once,
    adding a transfer to the US without safeguards."""
    app = start(tmp_path, dovecot, smtp_sink, app_factory)
    subject, _, text = (ORDERS / "nl_labelled_new.txt").read_text("utf-8").partition("\n\n")
    with app.uow() as uow:  # the order as the register holds it already
        [client] = uow.repo.clients.all()
        history.record(uow.repo, client_id=client.id, key="nieuwsbriefverzending",
                       order=parse_order(text, subject, "nl"), contact_email=CONTACT,
                       request_id=None, now=datetime.now(UTC))
        uow.commit()
    before = 0

    dovecot.append(order_mail("nl_amendment.txt", headers=spoof, body=US_WITHOUT_SAFEGUARDS))
    assert app.daemon.run_once() == 1
    assert versions(app) == [(1, "active")]
    spoofed = the_request(app)
    assert spoofed["status"] == "awaiting_verification"
    approve_all(app)  # staff approve whatever waits: nothing changes the register
    app.daemon.run_once()
    assert versions(app) == [(1, "active")]
    with app.uow() as uow:
        [entry] = uow.repo.register.all()
        assert entry.fields["transfers"] == "none"
    after = smtp_sink.wait_for_count(before + 2)[before:]  # acknowledgement, code
    assert [list(m.rcpt_tos) for m in after] == [[CONTACT], [CONTACT]]
    assert not any("Ontvangstbevestiging" in m.message["Subject"] or
                   "Ontvangen:" in m.message["Subject"] for m in after)
    from mailbot.service import orders  # (here: so that the test runs against old code too)

    with pytest.raises(WorkflowError, match="holds no processing order to review"):
        orders.approve(app.service, spoofed["reference"], by="Staff")


def test_a_transfer_without_safeguards_is_flagged_for_staff_and_rejecting_keeps_the_register(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    app = start(tmp_path, dovecot, smtp_sink, app_factory)
    dovecot.append(order_mail("nl_labelled_new.txt"))
    app.daemon.run_once()
    mailbot(app, tmp_path, "register", "approve", the_request(app)["reference"], "--by",
            "Staff")
    dovecot.append(order_mail("nl_amendment.txt", body=US_WITHOUT_SAFEGUARDS))
    assert app.daemon.run_once() == 1
    amendment = the_request(app)
    assert amendment["status"] == "awaiting_approval"

    staff = console(app)
    page = f"/requests/{amendment['reference']}"
    html = staff.get(page).text
    flag = re.search(r'<p class="warning order-flag" role="alert">([^<]+)</p>', html)
    assert flag and "Verenigde Staten" in flag[1] and "without safeguards" in flag[1]
    assert "way-approve_order" in html and "way-reject_order" in html
    pending = mailbot(app, tmp_path, "register", "pending")
    assert amendment["reference"] in pending
    assert re.search(r"WARNING: transfer outside the EEA without safeguards: Verenigde "
                     r"Staten", pending)
    shown = mailbot(app, tmp_path, "requests", "show", amendment["reference"])
    assert "WARNING: transfer outside the EEA without safeguards" in shown

    assert staff.post(f"/requests/{amendment['id']}/order/reject",
                      {"reason": "Eerst waarborgen afspreken met de klant"},
                      page=page).status_code == 303
    assert versions(app) == [(1, "active")]
    rejected = the_request(app)
    assert rejected["status"] == "triage"
    assert rejected["details"]["register"]["review"] == "rejected"
    assert "mailbot register approve" not in mailbot(app, tmp_path, "requests", "show",
                                                      amendment["reference"])


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


FOREIGN_ORDERS = {
    "de": ("Auftragsverarbeitung - Newsletterversand", (
        "Sehr geehrte Damen und Herren,\n\nhiermit erteilen wir Ihnen folgenden Auftrag zur "
        "Verarbeitung personenbezogener Daten.\n\nAuftrag: Newsletter 2027\n"
        "Art der Verarbeitung: Versand von Newslettern\n"
        "Kategorien betroffener Personen: Kunden, Abonnenten\n"
        "Kategorien personenbezogener Daten: Name, E-Mail-Adresse, Klickverhalten\n"
        "Übermittlungen in Drittländer: keine\nBeginn: 1. März 2027\n\n"
        "Mit freundlichen Grüßen\nMarieke de Vries"),
        ("Beginn: 1. März 2027", "Kategorien betroffener Personen: Kunden, Abonnenten")),
    "fr": ("Ordre de traitement - paie", (
        "Madame, Monsieur,\n\nVeuillez trouver ci-dessous notre ordre de traitement pour la "
        "paie.\n\nRéférence : PAIE-2027\nFinalités : gestion de la paie\n"
        "Catégories de personnes concernées : salariés\n"
        "Catégories de données personnelles : nom, adresse, IBAN\n"
        "Transferts hors de l'EEE : aucun\nDate de début : 1er mars 2027\n\n"
        "Cordialement,\nMarieke de Vries"),
        ("Date de début : 1 mars 2027", "Catégories de personnes concernées : salariés")),
}


@pytest.mark.parametrize("language", sorted(FOREIGN_ORDERS))
def test_a_german_or_french_order_is_read_and_answered_in_its_language(
    tmp_path: Path, dovecot, smtp_sink, app_factory, language: str
) -> None:
    subject, text, lines = FOREIGN_ORDERS[language]
    app = start(tmp_path, dovecot, smtp_sink, app_factory)
    dovecot.append(mail(text, sender=f"Marieke de Vries <{CONTACT}>", subject=subject,
                        headers=PROVEN))

    assert app.daemon.run_once() == 1
    request = the_request(app)
    assert (request["kind"], request["status"]) == ("register_instruction",
                                                    "awaiting_approval")
    order = request["details"]["register"]["order"]
    assert order["missing"] == [] and order["language"] == language
    assert order["fields"]["start"] == "2027-03-01" and order["fields"]["transfers"] == "none"
    mailbot(app, tmp_path, "register", "approve", request["reference"], "--by", "Staff")
    assert versions(app) == [(1, "active")]
    app.daemon.run_once()
    receipt = max((m.message for m in smtp_sink.messages
                   if request["reference"] in m.message["Subject"]),
                  key=lambda m: len(text_of(m)))
    body = text_of(receipt)
    for line in lines:
        assert line in body, (line, body)
    for english in ("Dear ", "Kind regards", "Start date", "Categories of"):
        assert english not in body, english
