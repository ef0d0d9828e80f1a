"""The log of a whole run, as JSON: every line one JSON object, with no addresses or mail
text in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot
BODY = 'Stuur me een overzicht van mijn gegevens. Mijn klantnummer is "K-4711".'


def run_once(config: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    env = {**clean, "MAILBOT_LOGGING__FORMAT": "json", "MAILBOT_LOGGING__LEVEL": "DEBUG"}
    return subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "run",
                           "--once"], capture_output=True, text=True, env=env, timeout=120,
                          check=False)


def test_every_line_of_a_run_is_json_without_personal_data(tmp_path: Path, dovecot,
                                                          smtp_sink) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    dovecot.append(mail(BODY, subject='Inzage "alles"'))
    dovecot.append(mail("Haal me van de nieuwsbrief.", subject="Afmelden",
                        sender="Jan de Vries <jan.de.vries@example.org>",
                        message_id="<afmelden-1@mail.example.org>"))
    first = run_once(config)
    assert first.returncode == 0, first.stderr
    smtp_sink.stop()  # a second run that fails to deliver logs warnings with quotes
    dovecot.append(mail("Wat weten jullie over mij?", subject="Vraag",
                        sender="Els Bakker <els.bakker@example.org>",
                        message_id="<vraag-1@mail.example.org>"))
    second = run_once(config)
    smtp_sink.start()
    assert second.returncode == 1  # mail left undelivered; its last line is the summary
    summary = second.stderr.splitlines()[-1]
    assert summary.startswith("Error: not everything was delivered")

    lines = (first.stderr + second.stderr).splitlines()[:-1]
    assert len(lines) > 5
    records = [json.loads(line) for line in lines]  # every line, or this fails
    for record in records:
        assert {"at", "level", "logger", "message"} <= record.keys()
    assert any(r["level"] == "WARNING" and '"' in r["message"]
               for r in records)
    text = "\n".join(lines)
    for personal in ("sanne.jansen@", "jan.de.vries@", "els.bakker@", "K-4711",
                     "Stuur me een overzicht", "Sanne Jansen", "Jan de Vries"):
        assert personal not in text, personal
