"""Access replies state every line from configuration or data (art. 15(1)(c), (h), 15(2)),
in the reply's language; what is not configured is a gap for staff and a reported problem,
never a reassuring default."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from mailbot.access_config import access_config_problems
from mailbot.config import Settings
from mailbot.draft.render import Renderer
from mailbot.handle.access import AccessHandler
from mailbot.handle.context import HandlerContext
from mailbot.sources.registry import SourceRegistry
from mailbot.store.crypto import generate_key
from mailbot.store.models import InboundMail, OptOut, Request
from mailbot.store.uow import UnitOfWork

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
PROFILING = {
    "nl": "Wij stellen op basis van uw klikgedrag een profiel op voor advertentienetwerken.",
    "en": "We build a profile from your clicks for advertising networks.",
    "de": "Aus Ihrem Klickverhalten erstellen wir ein Profil für Werbenetzwerke.",
    "fr": "Nous établissons un profil à partir de vos clics pour des réseaux publicitaires.",
}


def newsletter(directory: Path) -> dict[str, Any]:
    path = directory / "newsletter.csv"
    path.write_text("email,first_name,newsletter\nlena.weber@example.org,Lena,true\n",
                    encoding="utf-8")
    return {
        "name": "Newsletter", "type": "csv", "path": str(path),
        "purposes": [{"nl": "onze nieuwsbrief sturen", "en": "sending our newsletter",
                      "de": "Versand unseres Newsletters", "fr": "envoi de notre newsletter"}],
        "categories": [{"nl": "e-mailadres", "en": "e-mail address", "de": "E-Mail-Adresse",
                        "fr": "adresse e-mail"}],
        "recipients": [{"nl": "onze verzendpartner", "en": "our mailing service",
                        "de": "unser Versanddienstleister", "fr": "notre routeur"}],
        "transfers": [{"country": {"nl": "Verenigde Staten", "en": "United States",
                                   "de": "Vereinigte Staaten", "fr": "États-Unis"},
                       "recipient": "Mailer Inc.",
                       "safeguards": {"nl": "modelcontractbepalingen van de Europese Commissie",
                                      "en": "standard contractual clauses",
                                      "de": "Standardvertragsklauseln der EU-Kommission",
                                      "fr": "clauses contractuelles types de la Commission"}}],
        "retention": {"nl": "tot u zich afmeldt", "en": "until you unsubscribe",
                      "de": "bis Sie sich abmelden", "fr": "jusqu'à votre désinscription"},
        "origin": {"nl": "uzelf", "en": "yourself", "de": "von Ihnen selbst",
                   "fr": "vous-même"},
        "labels": {"first_name": {"nl": "Roepnaam", "en": "Called", "de": "Rufname",
                                  "fr": "Prénom d'usage"}},
    }


OWN = {"name": "Privacy mailbox", "type": "own", "no_recipients": True, "no_transfers": True,
       "purposes": ["handling your requests"], "categories": ["e-mail address"],
       "retention": "2 years", "origin": "you"}


def settings(sources: list[dict[str, Any]], **sections: Any) -> Settings:
    return Settings(organisation={"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
                    mailbox={"url": "maildir:///nonexistent"},
                    smtp={"url": "smtp://localhost:25"}, sources=sources, **sections)


def ask(uow: UnitOfWork, config: Settings, language: str) -> str:
    sender = "lena.weber@example.org"
    uow.repo.add(OptOut(email=sender, purpose="content_mailings", created_at=NOW))
    mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid="1", raw_sha256="0" * 64,
                       raw_size=100, received_at=NOW, fetched_at=NOW, disposition="request",
                       sender=sender, sender_name="Lena Weber", subject="Auskunft",
                       body_text="Welche Daten haben Sie über mich?")
    request = Request(reference="MB-2026-00042", inbound=mail, kind="access",
                      status="acknowledged", language=language, sender=sender,
                      subject="Auskunft", received_at=NOW, due_at=date(2026, 12, 20),
                      confidence=1.0, created_at=NOW, updated_at=NOW, verified_at=NOW,
                      verification_method="dmarc")
    uow.repo.add(request)
    uow.repo.flush()
    ctx = HandlerContext(config, uow.repo, Renderer(),
                         SourceRegistry.from_settings(config.sources), NOW)
    AccessHandler().prepare(ctx, request)
    (reply,) = [d for d in request.drafts if d.purpose == "reply"]
    return reply.body


def test_every_line_comes_from_configuration_in_the_readers_language(store,
                                                                     tmp_path: Path) -> None:
    config = settings([newsletter(tmp_path), OWN], privacy={"profiling": PROFILING})
    with store() as uow:
        body = ask(uow, config, "de")
    lines = body.splitlines()
    for line in ("  Rufname: Lena", "  Newsletter: ja", "  E-Mail-Adresse: lena.weber@example.org",
                 "  Zwecke: Versand unseres Newsletters",
                 "  Datenkategorien: E-Mail-Adresse",
                 "  Empfänger: unser Versanddienstleister",
                 "  Übermittlung in Länder außerhalb der EU:",
                 "    - Vereinigte Staaten (Mailer Inc.): Standardvertragsklauseln der "
                 "EU-Kommission",
                 "  Speicherdauer: bis Sie sich abmelden", "  Herkunft: von Ihnen selbst",
                 "  Widerspruch gegen: Newsletter und andere Mailings",
                 "  Empfänger: niemand außerhalb unserer Organisation",
                 "  Übermittlung in Länder außerhalb der EU: keine",
                 PROFILING["de"]):
        assert line in lines, line
    assert "content_mailings" not in body and "sending our newsletter" not in body
    assert access_config_problems(config) == []


def test_nothing_configured_is_a_gap_for_staff_never_a_reassurance(store,
                                                                   tmp_path: Path) -> None:
    bare = {k: v for k, v in newsletter(tmp_path).items()
            if k not in ("recipients", "transfers")}
    config = settings([bare])
    with store() as uow:
        body = ask(uow, config, "nl")
    lines = body.splitlines()
    assert "  Ontvangers: [aan te vullen door medewerker]" in lines
    assert "  Doorgifte buiten de EU: [aan te vullen door medewerker]" in lines
    assert "[aan te vullen door medewerker]" in lines  # the profiling statement
    assert "niemand buiten onze organisatie" not in body
    assert "ook niet door profilering" not in body and "geen geautomatiseerde" not in body
    problems = access_config_problems(config)
    assert [p.split(":")[0] for p in problems] == [
        "privacy.profiling", "sources[Newsletter].recipients",
        "sources[Newsletter].transfers"]


def test_problems_name_the_key_to_set(tmp_path: Path) -> None:
    source = newsletter(tmp_path)
    source["transfers"] = [{"country": "United States"}]
    source["purposes"] = [{"nl": "nieuwsbrief", "en": "newsletter"}]
    del source["origin"]
    processor = {"name": "Webshop", "type": "csv", "path": str(tmp_path / "w.csv"),
                 "role": "processor", "client": "Klant B.V."}
    problems = access_config_problems(settings(
        [source, processor], privacy={"profiling": "We do no profiling."}))
    assert [p.split(":")[0] for p in problems] == [
        "sources[Newsletter].origin",
        "sources[Newsletter].transfers[0].safeguards",
        "sources[Newsletter].purposes[0]"]
    assert "no text in de, fr" in problems[2]
    assert not any("Webshop" in p for p in problems)  # a client's data is not ours to state


def test_start_up_logs_what_is_missing(tmp_path: Path, caplog, app_factory) -> None:
    config = settings([OWN], paths={"data_dir": str(tmp_path)},
                      security={"key": generate_key()})
    with caplog.at_level(logging.WARNING, logger="mailbot.bootstrap"):
        app_factory(config)
    assert any("privacy.profiling" in r.getMessage() for r in caplog.records)
