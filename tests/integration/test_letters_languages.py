"""A German and a French writer get their access, correction and erasure replies in their
own language: Dovecot → mailbot (a SQLite CRM whose texts are given per language) → staff
approval → the SMTP sink, reading the mail actually sent."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.config import Source
from mailbot.service import drafts, users
from mailbot.service import requests as actions
from mailbot.store.models import Request
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

RECEIVED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
DMARC_PASS = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}
JANA = "Jana Schmidt <jana.schmidt@example.org>"
CAMILLE = "Camille Dubois <camille.dubois@example.org>"
MAILS = {
    ("de", "access"): ("Auskunft", "Guten Tag,\n\nbitte teilen Sie mir mit, welche "
                       "personenbezogenen Daten Sie über mich gespeichert haben (Auskunft "
                       "nach Art. 15 DSGVO).\n\nMit freundlichen Grüßen\nJana Schmidt"),
    ("de", "correction"): ("Berichtigung", "Guten Tag,\n\nmeine Telefonnummer hat sich "
                           "geändert. Bitte berichtigen Sie meine Daten: meine neue "
                           "Telefonnummer ist 030 1234567.\n\nMit freundlichen Grüßen\n"
                           "Jana Schmidt"),
    ("de", "erasure"): ("Löschung", "Guten Tag,\n\nbitte löschen Sie alle meine "
                        "personenbezogenen Daten.\n\nMit freundlichen Grüßen\nJana Schmidt"),
    ("fr", "access"): ("Accès", "Bonjour,\n\nje souhaite savoir quelles données personnelles "
                       "vous détenez à mon sujet (droit d'accès, article 15 du RGPD).\n\n"
                       "Cordialement,\nCamille Dubois"),
    ("fr", "correction"): ("Rectification", "Bonjour,\n\nmon numéro de téléphone a changé. "
                           "Merci de rectifier mes données : mon nouveau numéro est le "
                           "06 12 34 56 78.\n\nCordialement,\nCamille Dubois"),
    ("fr", "erasure"): ("Effacement", "Bonjour,\n\nmerci d'effacer mes données (article 17 "
                        "du RGPD).\n\nCordialement,\nCamille Dubois"),
}
# What the reply says in its language, and words an English (fallback) reply would have.
EXPECTED = {
    ("de", "access"): ("Die personenbezogenen Daten", ("  Telefonnummer: 030 7654321",
                                                       "  Zwecke: Kundenverwaltung",
                                                       "  Empfänger: unser Steuerbüro",
                                                       "  Herkunft: von Ihnen selbst")),
    ("de", "correction"): ("Daten", ("Aktenzeichen",)),
    ("de", "erasure"): ("Ihre Daten wurden gelöscht",
                        ("Ihre Daten sind aus unseren Unterlagen gelöscht.",)),
    ("fr", "access"): ("Les données personnelles", ("  Téléphone : 01 23 45 67 89",
                                                    "  Finalités : gestion de la clientèle",
                                                    "  Destinataires : notre comptable",
                                                    "  Origine : vous-même")),
    ("fr", "correction"): ("données", ("rectifier vos données (référence",)),
    ("fr", "erasure"): ("Vos données ont été effacées",
                        ("Vos données ont été effacées de nos fichiers.",)),
}
ENGLISH = ("Dear ", "Hello,", "Kind regards", "your data", "Your data", "Phone:", "Purposes:")
CLOSING = {"de": "Mit freundlichen Grüßen", "fr": "Cordialement,"}
ACK = {"de": "Wir haben Ihre Nachricht erhalten", "fr": "Nous avons bien reçu votre message"}


def per_language(**texts: str) -> dict[str, str]:
    return texts


def write_crm(directory: Path) -> Source:
    crm = directory / "crm.sqlite"
    with sqlite3.connect(crm) as connection:
        connection.execute("CREATE TABLE customers (name TEXT, phone TEXT, email TEXT)")
        connection.executemany("INSERT INTO customers VALUES (?, ?, ?)", [
            ("Jana Schmidt", "030 7654321", "jana.schmidt@example.org"),
            ("Camille Dubois", "01 23 45 67 89", "camille.dubois@example.org")])
    connection.close()
    return Source(
        name="CRM", type="sql", url=f"sqlite:///{crm}",
        query="SELECT name, phone FROM customers WHERE lower(email) = lower(:email)",
        update_query="UPDATE customers SET {field} = :value WHERE lower(email) = lower(:email)",
        erase_query="DELETE FROM customers WHERE lower(email) = lower(:email)",
        writable=True,
        purposes=[per_language(nl="klantenadministratie", en="customer administration",
                               de="Kundenverwaltung", fr="gestion de la clientèle")],
        categories=[per_language(nl="naam en telefoonnummer", en="name and phone number",
                                 de="Name und Telefonnummer", fr="nom et téléphone")],
        recipients=[per_language(nl="ons administratiekantoor", en="our accountant",
                                 de="unser Steuerbüro", fr="notre comptable")],
        no_transfers=True,
        retention=per_language(nl="7 jaar", en="7 years", de="7 Jahre", fr="7 ans"),
        origin=per_language(nl="uzelf", en="yourself", de="von Ihnen selbst", fr="vous-même"))


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> App:
    settings = make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
        database_url=database_url,
        verification={"trusted_authserv_ids": ["mx.example.org"]},
        privacy={"profiling": per_language(
            nl="Wij nemen geen geautomatiseerde besluiten over u.",
            en="We take no automated decisions about you.",
            de="Wir treffen keine automatisierten Entscheidungen über Sie.",
            fr="Nous ne prenons aucune décision automatisée vous concernant.")})
    return app_factory(settings.model_copy(update={"sources": (write_crm(tmp_path),)}))


def parsed(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.mark.parametrize(("language", "kind"), sorted(MAILS))
def test_german_and_french_writers_are_answered_in_their_language(
        app: App, dovecot, smtp_sink, language: str, kind: str) -> None:
    subject, text = MAILS[(language, kind)]
    sender = JANA if language == "de" else CAMILLE
    dovecot.append(mail(text, subject=subject, sender=sender, headers=DMARC_PASS),
                   internaldate=RECEIVED)

    app.daemon.run_once()

    (ack,) = smtp_sink.wait_for_count(1)
    acknowledgement = parsed(ack.data)
    assert ACK[language] in acknowledgement["Subject"]
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert (request.kind, request.language) == (kind, language)
        (draft,) = [d for d in request.drafts if d.status == "pending_approval"]
        draft_id, reference = draft.id, request.reference
        by_hand = [s.position for s in request.steps
                   if s.status == "waiting" and s.draft_id is None]
    users.add(app.service, "Staff", "approver", "a long enough password", by=None)
    for position in by_hand:  # a change staff make by hand, ticked off first
        actions.step(app.service, reference, position, True, "done in the CRM", by="Staff")
    drafts.approve(app.service, draft_id, by="Staff")
    app.daemon.run_once()

    reply = parsed(smtp_sink.wait_for_count(2)[1].data)
    text = body(reply)
    title, lines = EXPECTED[(language, kind)]
    assert title in reply["Subject"]
    for line in lines:
        assert line in text, line
    assert CLOSING[language] in text
    for word in ENGLISH:
        assert word not in text, word
    if kind == "correction":  # read from the German or French wording, applied by mailbot
        new = {"de": "030 1234567", "fr": "06 12 34 56 78"}[language]
        with sqlite3.connect(app.services.settings.sources[0].url.removeprefix(
                "sqlite:///")) as connection:
            (phone,) = connection.execute("SELECT phone FROM customers WHERE email = ?", (
                sender.split("<")[1].rstrip(">"),)).fetchone()
        connection.close()
        assert phone == new
        assert new in text


OPT_OUTS = {
    "de": ("Abmeldung", "Guten Tag,\n\nbitte stoppen Sie den Newsletter und Ihre "
           "Anrufe.\n\nMit freundlichen Grüßen\nJana Schmidt",
           ("Ihre Abmeldung ist erfolgt", "Newsletter und andere Mailings",
            "telefonische Werbung", "Sperrliste")),
    "fr": ("Désinscription", "Bonjour,\n\nmerci de me désinscrire de votre newsletter et de "
           "ne plus m'appeler.\n\nCordialement,\nCamille Dubois",
           ("Votre désinscription est enregistrée", "les newsletters et autres envois",
            "la prospection téléphonique", "liste d'opposition")),
}


@pytest.mark.parametrize("language", sorted(OPT_OUTS))
def test_german_and_french_opt_outs_are_confirmed_in_their_language(
        app: App, dovecot, smtp_sink, language: str) -> None:
    subject, text, expected = OPT_OUTS[language]
    sender = JANA if language == "de" else CAMILLE
    dovecot.append(mail(text, subject=subject, sender=sender), internaldate=RECEIVED)

    app.daemon.run_once()

    (only,) = smtp_sink.wait_for_count(1)  # its confirmation is the answer: no acknowledgement
    confirmation = parsed(only.data)
    words = " ".join(body(confirmation).split())
    assert expected[0] in confirmation["Subject"]
    for line in expected[1:]:
        assert line in words, line
    assert CLOSING[language] in body(confirmation)
    for word in ENGLISH:
        assert word not in words, word
    with app.uow() as uow:
        request = uow.session.scalars(select(Request)).one()
        assert (request.kind, request.language, request.status) == (
            "unsubscribe", language, "done")
