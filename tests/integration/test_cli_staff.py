"""The staff commands as an operator types them, against a database filled through the real
path (Dovecot → mailbot → SMTP sink)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot
DMARC_PASS = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}


def mailbot(config: Path, *args: str, stdin: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    done = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), *args],
                          capture_output=True, text=True, env=env, timeout=60, check=False,
                          input=stdin)
    assert done.returncode == 0, f"{args}: {done.stderr}"
    return done.stdout


@pytest.fixture
def config(tmp_path: Path, dovecot, smtp_sink) -> Path:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             verification={"trusted_authserv_ids": ["mx.example.org"]})
    path = tmp_path / "mailbot.toml"
    path.write_text(toml_for(settings) + '[verification]\n'
                    'trusted_authserv_ids = ["mx.example.org"]\n', encoding="utf-8")
    for name in ("Anna de Jong", "Anna"):
        mailbot(path, "users", "add", name, "--role", "approver", "--password-file", "-",
                stdin="a long enough password\n")
    return path


def test_staff_work_through_drafts_on_the_command_line(config: Path, dovecot, smtp_sink,
                                                       tmp_path: Path) -> None:
    dovecot.append(mail("Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.",
                        headers=DMARC_PASS))
    dovecot.append(mail("Haal me van de nieuwsbrief.", subject="Afmelden",
                        sender="Pieter Bakker <p.bakker@example.org>"))
    mailbot(config, "run", "--once")
    before = len(smtp_sink.messages)

    drafts = json.loads(mailbot(config, "drafts", "list", "--json",
                                "--status", "pending_approval"))
    [access] = [d for d in drafts if d["kind"] == "access"]
    assert access["recipient"] == "sanne.jansen@example.org" and access["needs_approval"]
    shown = mailbot(config, "drafts", "show", str(access["id"]))
    assert "Subject:" in shown and "Autoriteit Persoonsgegevens" in shown

    edited = tmp_path / "edited.txt"
    edited.write_text("Subject: Uw gegevens\n\nBeste Sanne,\n\nWij hebben geen gegevens van u."
                      "\n\nMet vriendelijke groet,\nVoorbeeld B.V.\n", encoding="utf-8")
    assert "version 2" in mailbot(config, "drafts", "edit", str(access["id"]), "--by",
                                  "Anna de Jong", "--text-file", str(edited))
    assert "approved by Anna de Jong" in mailbot(config, "drafts", "approve",
                                                 str(access["id"]), "--by", "Anna de Jong")
    mailbot(config, "run", "--once")
    reply = smtp_sink.wait_for_count(before + 1)[-1]
    assert reply.rcpt_tos == ("sanne.jansen@example.org",)
    assert reply.message["Subject"] == "Uw gegevens"
    assert "Wij hebben geen gegevens van u." in reply.message.get_body(("plain",)).get_content()

    shown = json.loads(mailbot(config, "requests", "show", access["reference"], "--json"))
    assert shown["status"] == "done"
    actions = [e["action"] for e in shown["timeline"]]
    assert {"draft_edited", "draft_approved", "sent"} <= set(actions)
    edit = next(e for e in shown["timeline"] if e["action"] == "draft_edited")
    assert "+Wij hebben geen gegevens van u." in edit["detail"]["diff"]
    assert [e["actor"] for e in shown["timeline"] if e["action"] == "draft_approved"] == [
        "Anna de Jong"]
    assert "+30 days" in shown["due_computation"]

    exported = list(csv.DictReader(io.StringIO(mailbot(config, "optouts", "export"))))
    assert {row["email"] for row in exported} == {"p.bakker@example.org"}
    assert "content_mailings" in {row["purpose"] for row in exported}


def test_extend_refuse_reject_and_purge(config: Path, dovecot, smtp_sink) -> None:
    dovecot.append(mail("Verwijder al mijn gegevens.", subject="Verwijderen",
                        headers=DMARC_PASS))
    dovecot.append(mail("Stuur me een overzicht van mijn gegevens.", subject="Inzage",
                        sender="Jordan Lee <jordan.lee@example.org>", headers=DMARC_PASS))
    mailbot(config, "run", "--once")
    requests = {r["sender"]: r for r in json.loads(mailbot(config, "requests", "list",
                                                           "--json"))}
    erasure, access = requests["sanne.jansen@example.org"], requests["jordan.lee@example.org"]

    out = mailbot(config, "requests", "extend", str(erasure["id"]), "--months", "2",
                  "--reason", "Wij moeten gegevens bij drie afdelingen nagaan.", "--by", "Anna")
    notice_id = out.split("draft ")[1].split(";")[0]
    notice = mailbot(config, "drafts", "show", notice_id)
    assert "drie afdelingen" in notice
    mailbot(config, "drafts", "approve", notice_id, "--by", "Anna")
    extended = json.loads(mailbot(config, "requests", "show", str(erasure["id"]), "--json"))
    assert extended["extended_months"] == 2
    assert extended["due_at"] > erasure["due_at"]

    out = mailbot(config, "requests", "refuse", str(access["id"]), "--reason",
                  "Wij kunnen uw identiteit niet vaststellen.", "--by", "Anna")
    refusal_id = out.split("draft ")[1].split(";")[0]
    assert "Autoriteit Persoonsgegevens" in mailbot(config, "drafts", "show", refusal_id)
    mailbot(config, "drafts", "reject", refusal_id, "--by", "Anna", "--reason",
            "Eerst bellen")
    rejected = json.loads(mailbot(config, "requests", "show", str(access["id"]), "--json"))
    assert rejected["status"] == "triage"
    assert any(e["action"] == "draft_rejected" for e in rejected["timeline"])

    listing = mailbot(config, "purge", "--dry-run")
    assert listing.startswith("would purge 0 request(s), 0 mail(s)")  # nothing is old enough
    assert json.loads(mailbot(config, "inbound", "list", "--json"))[0]["subject"]
