"""Screenshots of the staff console for the README: docs/console-queue.png (the queue) and
docs/console-request.png (an access request whose reply waits for approval).

mailbot runs on a temporary Maildir with invented mails (the demo's samples and a few more,
received at dates that make some overdue and some due this week), answers through a local
SMTP server, and serves the console on a free port; Playwright drives Debian's Chromium
(/usr/bin/chromium, installed by scripts/install-test-deps.sh) to sign in and take the
pictures. Nothing is downloaded.

    .venv/bin/python bench/screenshots.py [--out docs] [--language en]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from playwright.sync_api import sync_playwright

from mailbot.bootstrap import bootstrap
from mailbot.config import load_settings
from mailbot.console.server import ConsoleServer
from mailbot.demo.sink import EmlDirectorySink
from mailbot.service import users
from mailbot.store.crypto import generate_key

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "mailbot" / "demo" / "samples"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "screenshots-only"
DMARC = {"Authentication-Results": "mx.example.org; dmarc=pass header.from=example.org"}
# (days ago, sender, subject, body, extra headers): invented people, example.org addresses.
MAILS = [
    (33, "Pieter Bakker <p.bakker@example.org>", "Mijn gegevens",
     "Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht.", DMARC),
    (27, "Fatima el Amrani <f.elamrani@example.org>", "Request for a copy of my data",
     "Under article 15 GDPR I would like a copy of all personal data you hold about me.",
     DMARC),
    (25, "Lotte de Vries <lotte.devries@example.org>", "Afmelden nieuwsbrief",
     "Haal mij van de nieuwsbrief af en bel mij niet meer.", {}),
    (2, "Sam Peters <sam.peters@example.org>", "Vraag over mijn bestelling",
     "Wanneer wordt mijn bestelling geleverd?", {}),
]


def invented(sender: str, subject: str, body: str, headers: dict[str, str], number: int,
             when: datetime) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "privacy@example.org"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<screenshot-{number}@mail.example.org>"
    for name, value in headers.items():
        message[name] = value
    message.set_content(body)
    return bytes(message)


def seed(maildir: Path, now: datetime) -> None:
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    ages = [4, 12, 6, 1, 8, 3]
    for number, sample in enumerate(sorted(SAMPLES.glob("*.eml"))):
        target = maildir / "new" / f"sample{number}.eml"
        shutil.copyfile(sample, target)
        stamp = (now - timedelta(days=ages[number % len(ages)])).timestamp()
        os.utime(target, (stamp, stamp))
    for number, (days, sender, subject, body, headers) in enumerate(MAILS):
        when = now - timedelta(days=days, hours=number)
        target = maildir / "new" / f"mail{number}.eml"
        target.write_bytes(invented(sender, subject, body, headers, number, when))
        os.utime(target, (when.timestamp(), when.timestamp()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--language", choices=("nl", "en"), default="en")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mailbot-screenshots-"))
    sink = EmlDirectorySink(work / "sent", port=0)
    sink.start()
    server = None
    try:
        now = datetime.now(UTC)
        seed(work / "Maildir", now)
        settings = load_settings(None, **{
            "organisation": {"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
            "mailbox": {"url": f"maildir://{work / 'Maildir'}"},
            "smtp": {"url": sink.url},
            "security": {"key": generate_key()},
            "paths": {"data_dir": str(work / "var")},
            "verification": {"trusted_authserv_ids": ["mx.example.org"]},
        })
        app = bootstrap(settings)
        app.daemon.run_once()
        users.add(app.service, "Anna de Jong", "approver", PASSWORD, by=None)
        from mailbot.console.app import create_app

        server = ConsoleServer(create_app(app), "127.0.0.1:0")
        server.start()
        args.out.mkdir(parents=True, exist_ok=True)
        shoot(server.url, args.out, args.language)
        app.close()
    finally:
        if server is not None:
            server.stop()
        sink.stop()
        shutil.rmtree(work, ignore_errors=True)


def shoot(url: str, out: Path, language: str) -> None:
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            tempfile.mkdtemp(prefix="mailbot-chromium-"), executable_path=CHROMIUM,
            headless=True, args=CHROMIUM_ARGS, viewport={"width": 1280, "height": 900},
            locale="en-GB" if language == "en" else "nl-NL")
        page = context.new_page()
        page.goto(f"{url}/login")
        page.fill("#name", "Anna de Jong")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_url(f"{url}/queue")
        page.screenshot(path=str(out / "console-queue.png"), full_page=True)
        page.click("tr:has-text(\"p.bakker@example.org\") a")
        page.wait_for_selector("section.drafts")
        page.screenshot(path=str(out / "console-request.png"), full_page=True)
        context.close()
    started = time.strftime("%Y-%m-%d %H:%M")
    print(f"{started}: wrote {out / 'console-queue.png'} and {out / 'console-request.png'}")


if __name__ == "__main__":
    main()
