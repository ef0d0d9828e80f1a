"""The command line as an operator uses it, against real servers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.app import make_settings, toml_for
from tests.harness.mails import acknowledgements, auto_reply, mail, question

pytestmark = pytest.mark.dovecot


def mailbot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", *args], capture_output=True,
                          text=True, env={**clean, **(env or {})}, timeout=60, check=False)


def test_run_once_then_list_as_json(tmp_path: Path, dovecot, smtp_sink,
                                    database_url: str) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    dovecot.append(mail("Ik wil inzage in mijn gegevens. Ik wil me ook afmelden voor de "
                        "nieuwsbrief.",
                        subject="Inzage en afmelden"))
    dovecot.append(auto_reply())

    done = mailbot("--config", str(config), "run", "--once")
    assert done.returncode == 0, done.stderr
    # The acknowledgement, the unsubscribe confirmation and the verification mail (access).
    assert len(acknowledgements(smtp_sink.wait_for_count(3))) == 1

    listed = mailbot("--config", str(config), "requests", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    requests = json.loads(listed.stdout)
    assert {r["kind"] for r in requests} == {"access", "unsubscribe"}
    for request in requests:
        assert {"id", "kind", "status", "sender", "language", "received_at", "due_at",
                "subject"} <= request.keys()
        assert request["sender"] == "sanne.jansen@example.org"
        assert request["language"] == "nl"

    inbound = json.loads(mailbot("--config", str(config), "inbound", "list", "--json").stdout)
    assert [m["disposition"] for m in inbound] == ["request", "auto_reply"]
    for item in inbound:
        assert {"id", "message_id", "sender", "subject", "disposition",
                "request_ids"} <= item.keys()
    assert sorted(inbound[0]["request_ids"]) == sorted(r["id"] for r in requests)
    assert inbound[1]["request_ids"] == []

    text_listing = mailbot("--config", str(config), "requests", "list")
    assert "unsubscribe" in text_listing.stdout and "(2 rows)" in text_listing.stdout


def test_env_overrides_the_config_file(tmp_path: Path, dovecot, smtp_sink) -> None:
    settings = make_settings(tmp_path, mailbox_url="imap://nobody:x@127.0.0.1:1/INBOX",
                             smtp_url=smtp_sink.url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    dovecot.append(question())
    done = mailbot("run", "--once", env={"MAILBOT_CONFIG": str(config),
                                          "MAILBOT_MAILBOX__URL": dovecot.url()})
    assert done.returncode == 0, done.stderr
    assert smtp_sink.wait_for_count(1)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"MAILBOT_MAILBOX__URL": "pop3://mail.example.org"},
         "config error: mailbox.url: must start with imap://"),
        ({"MAILBOT_SMTP__URL": ""}, "config error: smtp.url:"),
        ({"MAILBOT_SECURITY__KEY": "not-a-key"}, "config error: security.key: key 1"),
        ({"MAILBOT_DATABASE__URL": "nosuchdb://x"}, "config error: database.url:"),
    ],
)
def test_bad_config_stops_start_up_with_one_line(tmp_path: Path, env: dict[str, str],
                                                  expected: str) -> None:
    settings = make_settings(tmp_path, mailbox_url="imap://u:p@127.0.0.1:1/INBOX",
                             smtp_url="smtp://127.0.0.1:1")
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    done = mailbot("--config", str(config), "run", "--once", env=env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert expected in lines[0]


def test_no_config_at_all_names_the_first_missing_key() -> None:
    done = mailbot("run")
    assert done.returncode == 2
    assert done.stderr.strip().startswith("mailbot: config error: organisation: missing")
