"""The gaps issue 15 left, closed through real parts: Dovecot → mailbot (SQLite and
PostgreSQL as its store) → staff in the console and on the command line → the SMTP sink,
reading the mail actually sent."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mailbot.bootstrap import App
from mailbot.errors import WorkflowError
from mailbot.service import drafts
from tests.harness.app import toml_for
from tests.harness.mails import mail
from tests.integration import test_outcomes_flow as outcomes
from tests.integration.test_outcomes_flow import (
    STAFF,
    newsletter,
    the_request,
    to_person,
    waiting,
)
from tests.integration.test_rights_flow import DMARC_PASS, RECEIVED, body
from tests.unit.console_support import Clock, signed_in, text_of

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
