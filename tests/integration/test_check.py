"""`mailbot check` against a working setup (Dovecot, an SMTP sink with STARTTLS and AUTH,
SQL and CSV sources) and a broken one: every item passes in the first and fails in the
second, and nothing is sent, marked or written."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from mailbot.check import run_checks
from mailbot.config import Settings
from mailbot.draft.render import default_templates_dir
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import question

pytestmark = pytest.mark.dovecot

ITEMS = ["config", "key", "database", "IMAP login", "IMAP folder", "IMAP IDLE",
         "IMAP UIDVALIDITY", "SMTP connect and EHLO", "SMTP STARTTLS", "SMTP login",
         "source crm", "source newsletter", "templates", "access replies",
         "clock and timezone"]
STATED = {"purposes": ["orders"], "categories": ["name"], "retention": "7 years",
          "origin": "you", "no_recipients": True, "no_transfers": True}


def mailbot(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", *args], capture_output=True,
                          text=True, env=clean, timeout=120, check=False, cwd=cwd)


def _sources(tmp_path: Path) -> list[dict[str, Any]]:
    crm = tmp_path / "crm.db"
    with sqlite3.connect(crm) as db:
        db.execute("CREATE TABLE IF NOT EXISTS customers (email TEXT, name TEXT)")
    csv = tmp_path / "newsletter.csv"
    csv.write_text("email,name\nsanne.jansen@example.org,Sanne\n", encoding="utf-8")
    return [{"name": "crm", "type": "sql", "url": f"sqlite:///{crm}",
             "query": "SELECT * FROM customers WHERE lower(email) = :email", **STATED},
            {"name": "newsletter", "type": "csv", "path": str(csv), **STATED}]


@pytest.fixture
def working(tmp_path: Path, dovecot, smtp_sink_factory, tls_certificate,
            database_url: str) -> dict[str, Any]:
    sink = smtp_sink_factory(users={"mailbot": "pw"},
                             tls_context=tls_certificate.server_context())
    sink_url = sink.url.replace("smtp://", "smtp+starttls://")
    values: dict[str, Any] = {
        "smtp": {"url": sink_url, "username": "mailbot", "password": "pw",
                 "ca_file": str(tls_certificate.cert_file)},
        "sources": _sources(tmp_path),
        "privacy": {"profiling": "We take no automated decisions about you."},
    }
    return {"tmp_path": tmp_path, "dovecot": dovecot, "sink": sink, "values": values,
            "mailbox_url": dovecot.url(), "smtp_url": sink_url, "database_url": database_url}


def settings_of(setup: dict[str, Any], **changes: Any) -> Settings:
    values = {section: dict(v) if isinstance(v, dict) else v
              for section, v in setup["values"].items()}
    for section, change in changes.items():
        if isinstance(change, dict) and isinstance(values.get(section), dict):
            values[section].update(change)
        else:
            values[section] = change
    return make_settings(setup["tmp_path"], mailbox_url=setup["mailbox_url"],
                         smtp_url=setup["smtp_url"], database_url=setup["database_url"],
                         **values)


def write_config(settings: Settings, path: Path) -> Path:
    """The settings as TOML, with the sections toml_for leaves out."""
    text = toml_for(settings) + "[privacy]\n"
    if settings.privacy.profiling:
        text += f"profiling = {json.dumps(settings.privacy.profiling)}\n"
    for source in settings.sources:
        text += "[[sources]]\n"
        for key, value in source.model_dump(exclude_none=True, exclude_defaults=False).items():
            if key in source.model_fields_set:
                text += f"{key} = {json.dumps(str(value) if isinstance(value, Path) else value)}\n"
    path.write_text(text, encoding="utf-8")
    return path


def by_name(items: list[Any]) -> dict[str, Any]:
    return {item.name: item for item in items}


def test_a_working_setup_passes_every_item_and_changes_nothing(working) -> None:
    dovecot, sink = working["dovecot"], working["sink"]
    uid = dovecot.append(question())
    settings = settings_of(working)
    config = write_config(settings, working["tmp_path"] / "mailbot.toml")
    database_file = working["tmp_path"] / "mailbot.db"
    existed = database_file.exists()

    done = mailbot("--config", str(config), "check", "--json")

    report = json.loads(done.stdout)
    failures = [i for i in report["items"] if not i["ok"]]
    assert failures == [], failures
    assert done.returncode == 0, done.stderr
    assert report["ok"] is True
    assert [i["name"] for i in report["items"]] == ITEMS
    # No side effects: nothing sent, the mail unmarked, no database created.
    assert sink.messages == []
    assert dovecot.flags(uid) <= {"\\Recent"}
    assert database_file.exists() == existed

    text = mailbot("--config", str(config), "check")
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert all(line.startswith("✓ ") for line in lines[:-1])
    assert lines[-1] == "all checks passed"


def test_the_uidvalidity_recorded_is_compared(working, app_factory) -> None:
    dovecot = working["dovecot"]
    dovecot.append(question())
    settings = settings_of(working)
    app_factory(settings).daemon.run_once()
    assert by_name(run_checks(settings))["IMAP UIDVALIDITY"].ok
    dovecot.set_uidvalidity(dovecot.uidvalidity() + 7)
    item = by_name(run_checks(settings))["IMAP UIDVALIDITY"]
    assert not item.ok and "recorded under" in item.detail and item.fix


def broken_templates(tmp_path: Path) -> str:
    copy = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), copy)
    (copy / "mail" / "de" / "acknowledgement.txt.j2").write_text(
        "Subject: Eingang {{ reference }\n\nHallo\n", encoding="utf-8")
    return str(copy)


BREAKS: dict[str, Any] = {
    "key": lambda s: {"security": {"key": "not-a-key"}},
    "database": lambda s: {"database": {"url": "postgresql+psycopg://nobody@127.0.0.1:1/x"}},
    "IMAP login": lambda s: {"mailbox": {"password": "wrong"}},
    "IMAP folder": lambda s: {"mailbox": {"url": s["mailbox_url"].replace("/INBOX",
                                                                          "/Nowhere")}},
    "SMTP connect and EHLO": lambda s: {"smtp": {"url": "smtp+starttls://127.0.0.1:1"}},
    "SMTP login": lambda s: {"smtp": {"password": "wrong"}},
    "source crm": lambda s: {"sources": [{**s["values"]["sources"][0],
                                          "query": "SELECT * FROM nothing WHERE x = :email"},
                                         s["values"]["sources"][1]]},
    "source newsletter": lambda s: {"sources": [s["values"]["sources"][0],
                                                {**s["values"]["sources"][1],
                                                 "path": "/nonexistent/list.csv"}]},
    "templates": lambda s: {"paths": {"templates_dir": broken_templates(s["tmp_path"])}},
    "access replies": lambda s: {"privacy": {},
                                 "sources": [{k: v for k, v in source.items()
                                              if k != "no_transfers"}
                                             for source in s["values"]["sources"]]},
}


@pytest.mark.parametrize("item", list(BREAKS))
def test_each_item_fails_with_a_fix_when_broken(working, item: str) -> None:
    settings = settings_of(working, **BREAKS[item](working))
    found = by_name(run_checks(settings))
    assert not found[item].ok, found[item]
    assert found[item].fix
    assert working["sink"].messages == []


def test_idle_missing_fails(working, dovecot_factory) -> None:
    dovecot = working["dovecot"]
    with dovecot.client() as client:
        kept = " ".join(c.decode() for c in client.capabilities() if c != b"IDLE")
    plain = dovecot_factory(f"imap_capability = {kept}\n").mailbox()
    item = by_name(run_checks(settings_of(working, mailbox={"url": plain.url()})))["IMAP IDLE"]
    assert not item.ok and "mailbox.idle = false" in item.fix
    polling = settings_of(working, mailbox={"url": plain.url(), "idle": False})
    assert by_name(run_checks(polling))["IMAP IDLE"].ok


def test_starttls_missing_fails(working, smtp_sink_factory) -> None:
    plain = smtp_sink_factory(users={"mailbot": "pw"})
    url = plain.url.replace("smtp://", "smtp+starttls://")
    found = by_name(run_checks(settings_of(working, smtp={"url": url})))
    assert not found["SMTP STARTTLS"].ok
    assert "STARTTLS" in found["SMTP STARTTLS"].detail


def test_a_clock_off_fails(working) -> None:
    settings = settings_of(working)
    assert by_name(run_checks(settings))["clock and timezone"].ok
    reset = by_name(run_checks(settings, now=lambda: datetime(1970, 1, 1, tzinfo=UTC)))
    assert not reset["clock and timezone"].ok and "NTP" in reset["clock and timezone"].fix
    if working["database_url"].startswith("postgresql"):
        skewed = by_name(run_checks(
            settings, now=lambda: datetime.now(UTC) + timedelta(minutes=10)))
        assert "differs" in skewed["clock and timezone"].detail


def test_a_broken_config_fails_the_first_item_and_exits_non_zero(tmp_path: Path) -> None:
    config = tmp_path / "mailbot.toml"
    config.write_text('[organisation]\nname = "X"\n', encoding="utf-8")
    done = mailbot("--config", str(config), "check")
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("✗ config: config error: organisation.")


def test_a_broken_setup_exits_non_zero_naming_each_failure(working) -> None:
    settings = settings_of(working, mailbox={"password": "wrong"}, smtp={"password": "wrong"})
    config = write_config(settings, working["tmp_path"] / "broken.toml")
    done = mailbot("--config", str(config), "check")
    assert done.returncode == 1
    failed = [line for line in done.stdout.splitlines() if line.startswith("✗ ")]
    assert any(line.startswith("✗ IMAP login:") and "fix:" in line for line in failed)
    assert any(line.startswith("✗ SMTP login:") for line in failed)
    assert done.stdout.splitlines()[-1].endswith("check(s) failed")


def test_the_daemon_logs_failed_checks_at_start_up(working) -> None:
    settings = settings_of(working, **BREAKS["source crm"](working))
    config = write_config(settings, working["tmp_path"] / "mailbot.toml")
    done = mailbot("--config", str(config), "run", "--once")
    assert done.returncode == 0, done.stderr
    assert "start-up check failed: source crm:" in done.stderr
    assert "IMAP login" not in done.stderr


def test_a_maildir_passes_when_complete_and_fails_with_a_fix_when_not(working) -> None:
    root = working["tmp_path"] / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (root / sub).mkdir(parents=True)
    good = by_name(run_checks(settings_of(working, mailbox={"url": f"maildir://{root}"})))
    assert good["Maildir"].ok and str(root) in good["Maildir"].detail
    assert not any(name.startswith("IMAP") for name in good)

    half = working["tmp_path"] / "half"
    (half / "new").mkdir(parents=True)
    broken = by_name(run_checks(settings_of(working, mailbox={"url": f"maildir://{half}"})))
    assert not broken["Maildir"].ok
    assert "cur, tmp" in broken["Maildir"].detail and "new/, cur/ and tmp/" in \
        broken["Maildir"].fix
    config = working["tmp_path"] / "maildir.toml"
    config.write_text(toml_for(settings_of(working, mailbox={"url": f"maildir://{half}"})),
                      encoding="utf-8")
    shown = mailbot("--config", str(config), "check")
    assert shown.returncode == 1
    assert f"✗ Maildir: {half} lacks cur, tmp — fix: point mailbox.url at a Maildir" in \
        shown.stdout
    if os.geteuid() != 0:  # root reads and writes everything: only another user is refused
        (root / "cur").chmod(0o500)
        try:
            closed = by_name(run_checks(settings_of(working,
                                                    mailbox={"url": f"maildir://{root}"})))
            assert not closed["Maildir"].ok and "read and write" in closed["Maildir"].fix
        finally:
            (root / "cur").chmod(0o700)


def test_consent_columns_must_be_among_the_query_s_columns(working) -> None:
    crm = {**working["values"]["sources"][0], "writable": True,
           "update_query": "UPDATE customers SET {field} = :value WHERE email = :email"}
    with sqlite3.connect(crm["url"].removeprefix("sqlite:///")) as db:
        db.execute("ALTER TABLE customers ADD COLUMN newsletter INTEGER")
    fine = {**crm, "optout_columns": {"content_mailings": "newsletter"}}
    wrong = {**crm, "optout_columns": {"content_mailings": "nieuwsbrief"}}
    unwritable = {**fine, "writable": False}
    assert by_name(run_checks(settings_of(working, sources=[fine])))["source crm"].ok
    for source, words in ((wrong, "nieuwsbrief are not among the query's columns"),
                          (unwritable, "not writable")):
        item = by_name(run_checks(settings_of(working, sources=[source])))["source crm"]
        assert not item.ok and words in item.detail, item
        assert "optout_columns" in item.fix
