"""`mailbot demo` (what `make run` starts): seeded mails are answered into ./var/demo/sent,
a dropped-in mail is answered within seconds, Ctrl-C stops it cleanly."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import urllib.error
import urllib.request
from email import message_from_bytes, policy
from pathlib import Path

from tests.harness.wait import wait_for

SAMPLES = Path(__file__).resolve().parents[2] / "mailbot" / "demo" / "samples"


def test_demo_answers_the_samples_and_new_mail_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [sys.executable, "-m", "mailbot", "demo", "--data-dir", str(tmp_path / "var"),
             "--smtp-port", "0", "--console-port", "0"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path)
    sent = tmp_path / "var" / "demo" / "sent"

    def acks() -> list:
        replies = [message_from_bytes(p.read_bytes(), policy=policy.default)
                   for p in sent.glob("*.eml")]
        return [r for r in replies if r["Message-ID"].startswith("<acknowledgement.")]

    try:
        # Eight samples, one of them an out-of-office reply and one an opt-out applied at
        # once (its confirmation is the answer): six acknowledgements.
        wait_for(lambda: len(acks()) == 6, timeout=30, message="acknowledgements of the samples")
        output = log.read_text()
        assert "var/demo/Maildir" in output and "Ctrl-C" in output
        console = re.search(r"staff console: (http://[\d.:]+)", output)
        assert console, output
        wait_for(lambda: healthy(console.group(1)), timeout=30,  # its first heartbeat
                 message="the demo's /healthz saying it is healthy")
        with urllib.request.urlopen(console.group(1) + "/", timeout=5) as page:
            assert "login" in page.url  # the queue needs a session
        assert "kees.deboer@example.org" not in {str(r["To"]) for r in acks()}
        dutch = [r for r in acks() if "sanne.jansen@example.org" in str(r["To"])]
        assert dutch and "ontvangen" in dutch[0]["Subject"]

        maildir = tmp_path / "var" / "demo" / "Maildir"
        shutil.copyfile(SAMPLES / "03-correction-en.eml", maildir / "tmp" / "mine.eml")
        text = (maildir / "tmp" / "mine.eml").read_text().replace(
            "<demo-03@mail.example.org>", "<mine@mail.example.org>").replace(
            "alex.morgan@example.org", "robin.visser@example.org")
        (maildir / "tmp" / "mine.eml").write_text(text)
        (maildir / "tmp" / "mine.eml").rename(maildir / "new" / "mine.eml")
        wait_for(lambda: len(acks()) == 7, timeout=10,
                 message="the acknowledgement of a dropped-in mail")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- demo log ---\n{log.read_text()[-4000:]}") from exc
    finally:
        demo.send_signal(signal.SIGINT)
        code = demo.wait(timeout=20)
    assert code == 0, log.read_text()
    assert "mailbot stopped" in log.read_text()

    config = tmp_path / "var" / "demo" / "mailbot.toml"
    listed = subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config),
                             "requests", "list", "--json"], capture_output=True, text=True,
                            env=env, check=True)
    kinds = sorted(r["kind"] for r in json.loads(listed.stdout))
    assert kinds == sorted(["access", "unsubscribe", "correction", "erasure", "access",
                            "unsubscribe", "access", "register_instruction", "correction"])

    # Issue 10, break 6: the demo's data (database, mailbox, sent mail, key) is its owner's only.
    var = tmp_path / "var"
    for directory in (var, var / "demo", var / "demo" / "Maildir", var / "demo" / "sent"):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
    for path in (var / "secret.key", *var.glob("mailbot.db*")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as health:
            return health.status == 200
    except urllib.error.HTTPError:
        return False
