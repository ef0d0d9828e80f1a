"""`mailbot import` brings in an existing mailbox's history without answering anything;
`mailbot reclassify` classifies open requests again. Both show progress."""

from __future__ import annotations

import json
import mailbox
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailbot.service import users
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import auto_reply, mail, question

pytestmark = pytest.mark.dovecot


def mailbot(*args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", *args], capture_output=True,
                          text=True, env=clean, timeout=120, check=False)


def history_mails() -> list[bytes]:
    return [mail("Stuur me een overzicht van mijn gegevens.", subject="Inzage",
                 message_id="<old-1@mail.example.org>"),
            auto_reply(),
            question(7, tag="old")]


def test_import_a_maildir_and_an_mbox_without_answering(tmp_path: Path, dovecot,
                                                        smtp_sink) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for raw in history_mails():
        maildir.add(raw)
    box = mailbox.mbox(tmp_path / "old.mbox", create=True)
    box.add(mail("Haal me van de nieuwsbrief.", subject="Afmelden",
                 sender="Jan de Vries <jan.de.vries@example.org>",
                 message_id="<old-2@mail.example.org>"))
    box.flush()
    box.close()

    done = mailbot("--config", str(config), "import", str(tmp_path / "Maildir"))
    assert done.returncode == 0, done.stderr
    assert "importing: 0/3" in done.stderr and "importing: 3/3" in done.stderr
    assert "imported 3 mail(s)" in done.stdout and "nothing sent" in done.stdout
    assert mailbot("--config", str(config), "import", str(tmp_path / "old.mbox")).returncode == 0
    again = mailbot("--config", str(config), "import", str(tmp_path / "Maildir"))
    assert "imported 0 mail(s)" in again.stdout and "3 already recorded" in again.stdout

    inbound = json.loads(mailbot("--config", str(config), "inbound", "list",
                                 "--json").stdout)
    assert sorted(m["disposition"] for m in inbound) == ["auto_reply", "request", "request",
                                                         "request"]
    requests = json.loads(mailbot("--config", str(config), "requests", "list",
                                  "--json").stdout)
    assert {r["kind"] for r in requests} >= {"access", "unsubscribe"}
    assert {r["status"] for r in requests} == {"closed"}
    # Nothing answered: not by the import, nor by the daemon afterwards.
    assert mailbot("--config", str(config), "run", "--once").returncode == 0
    assert smtp_sink.messages == []


def test_import_an_imap_folder_read_only_without_answering(tmp_path: Path, dovecot,
                                                           smtp_sink) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    for raw in history_mails():
        dovecot.append(raw, folder="Archive-2025")
    before = {uid: dovecot.flags(uid, "Archive-2025") for uid in dovecot.uids("Archive-2025")}

    done = mailbot("--config", str(config), "import", "imap:Archive-2025")

    assert done.returncode == 0, done.stderr
    assert "importing: 0/3" in done.stderr and "importing: 3/3" in done.stderr
    assert "imported 3 mail(s)" in done.stdout and "2 request(s) recorded closed" in done.stdout
    again = mailbot("--config", str(config), "import", "imap:Archive-2025")
    assert "imported 0 mail(s)" in again.stdout and "3 already recorded" in again.stdout
    # read-only: no keyword, no move, no \Seen; the live folder is untouched
    assert {uid: dovecot.flags(uid, "Archive-2025")
            for uid in dovecot.uids("Archive-2025")} == before
    assert dovecot.uids() == []
    requests = json.loads(mailbot("--config", str(config), "requests", "list",
                                  "--json").stdout)
    assert len(requests) == 2 and {r["status"] for r in requests} == {"closed"}
    assert ("access", "sanne.jansen@example.org") in {(r["kind"], r["sender"])
                                                      for r in requests}
    assert smtp_sink.messages == []  # nothing answered
    inbound = json.loads(mailbot("--config", str(config), "inbound", "list",
                                 "--json").stdout)
    assert {m["mailbox"] for m in inbound} == {
        f"import:imap://{dovecot.user}@{dovecot.host}:{dovecot.port}/Archive-2025"}

    missing = mailbot("--config", str(config), "import", "imap:Nowhere")
    live = mailbot("--config", str(config), "import", "imap:INBOX")
    for failed, words in ((missing, "no such folder"), (live, "the folder mailbot reads")):
        assert failed.returncode != 0 and "Traceback" not in failed.stderr
        assert failed.stderr.splitlines()[-1].startswith("mailbot: ")
        assert words in failed.stderr.splitlines()[-1], failed.stderr


def test_reclassify_lists_and_applies_what_changed(tmp_path: Path, dovecot, smtp_sink,
                                                   app_factory) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    app = app_factory(settings)
    users.add(app.service, "Anna", "approver", "a long enough password", by=None)
    dovecot.append(mail("Haal me van de nieuwsbrief.", subject="Afmelden"))
    dovecot.append(question(1))
    app.daemon.run_once()
    with app.uow() as uow:  # as an older classifier had it
        request = next(r for r in uow.repo.requests.open() if r.kind == "other")
        request.kind = "erasure"
        reference = request.reference
        uow.commit()

    listed = mailbot("--config", str(config), "reclassify")
    assert listed.returncode == 0, listed.stderr
    assert f"{reference}: erasure -> reads as other" in listed.stdout
    assert "reclassifying: 0/" in listed.stderr
    assert "1 differ" in listed.stdout

    applied = mailbot("--config", str(config), "reclassify", "--apply", "--by", "Anna")
    assert applied.returncode == 0, applied.stderr
    assert "now handled as other" in applied.stdout
    shown = json.loads(mailbot("--config", str(config), "requests", "list", "--json").stdout)
    assert next(r for r in shown if r["reference"] == reference)["kind"] == "other"
    assert "0 differ" in mailbot("--config", str(config), "reclassify").stdout
