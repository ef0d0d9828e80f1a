"""`mailbot demo`: mailbot on its embedded defaults, with everything it talks to on this machine.

A Maildir under ``<data-dir>/demo/Maildir`` seeded with sample mails, and a local SMTP server
that writes each outgoing message to ``<data-dir>/demo/sent/`` as an ``.eml`` file."""

from __future__ import annotations

import shutil
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from mailbot.config import Settings, load_settings
from mailbot.demo.sink import EmlDirectorySink
from mailbot.demo.sources import CLIENT, TEXTS, toml_value, write_demo_sources
from mailbot.errors import ConfigError
from mailbot.store.crypto import ensure_key_file
from mailbot.store.files import private_dir

SAMPLES = Path(__file__).with_name("samples")
CLIENT_CONTACT = "privacy@klant.example.org"
CONFIG = """\
# Written by `mailbot demo` on each start: the embedded defaults. Use it with
#   mailbot --config {path} requests list
[organisation]
name = "Voorbeeld B.V."
address = "privacy@example.org"
language = "nl"
contact = "Voorbeeldstraat 1, 1234 AB Voorbeeld, +31 20 000 0000"
dpo = "J. de Functionaris, fg@example.org"
security_measures = "versleutelde opslag en verbindingen, tweestapsverificatie, logging, back-ups"

[mailbox]
url = "maildir://{maildir}"
poll_interval = 0.5

[smtp]
url = "{smtp_url}"
retry_min_delay = 2
retry_max_delay = 60

[security]
key_file = "{key_file}"

[verification]
# The demo's samples carry Authentication-Results from this (pretend) receiving server; the
# ones with dmarc=pass are verified on arrival, the others get a verification mail.
trusted_authserv_ids = ["mx.example.org"]

[paths]
data_dir = "{data_dir}"

[console]
listen = "127.0.0.1:{console_port}"

[deadlines]
# Reminders, escalations and the daily digest for staff land in the demo's sent/ folder too.
staff_address = "staff@example.org"
escalation_address = "dpo@example.org"
"""
DEMO_USER, DEMO_PASSWORD = "demo", "demo-password"


def write_demo_config(data_dir: Path, smtp_url: str, console_port: int) -> Path:
    data_dir = data_dir.resolve()
    path = data_dir / "demo" / "mailbot.toml"
    private_dir(path.parent)
    sources = write_demo_sources(data_dir / "demo" / "sources")
    path.write_text(CONFIG.format(
        path=path, maildir=data_dir / "demo" / "Maildir", smtp_url=smtp_url,
        key_file=ensure_key_file(data_dir / "secret.key"), data_dir=data_dir,
        console_port=console_port)
        + f"\n[privacy]\nprofiling = {toml_value(TEXTS['profiling'])}\n"
        + "\n" + sources, encoding="utf-8")
    return path


def seed_database(settings: Settings) -> None:
    """Klant B.V. (the demo holds webshop data for it as processor) with its contact, and a
    staff member to sign in to the console with."""
    from mailbot.bootstrap import bootstrap
    from mailbot.service import clients, users

    app = bootstrap(settings)
    try:
        if not any(u["name"] == DEMO_USER for u in users.users(app.service)):
            users.add(app.service, DEMO_USER, "admin", DEMO_PASSWORD, by=None)
        clients.add_client(app.service, CLIENT, [CLIENT_CONTACT], by=DEMO_USER,
                           dpo="fg@klant.example.org",
                           address="Marktplein 1, 9999 ZZ Klantstad")
    finally:
        app.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(maildir: Path) -> int:
    """Put the sample mails into the Maildir once; later runs leave it alone."""
    marker = maildir / ".mailbot-demo-seeded"
    for sub in ("new", "cur", "tmp"):
        private_dir(maildir / sub)
    if marker.exists():
        return 0
    samples = sorted(SAMPLES.glob("*.eml"))
    for number, sample in enumerate(samples):
        name = f"{int(time.time())}.demo{number:02d}.{socket.gethostname()}"
        shutil.copyfile(sample, maildir / "tmp" / name)
        (maildir / "tmp" / name).rename(maildir / "new" / name)
    marker.write_text("seeded\n", encoding="ascii")
    return len(samples)


def _program() -> str:
    """How to run mailbot again, for the commands the demo prints: the full path."""
    script = Path(sys.argv[0])
    if script.name == "mailbot" and script.exists():
        return str(script.resolve())
    return f"{sys.executable} -m mailbot"


def run_demo(data_dir: Path, *, smtp_port: int, console_port: int,
             run: Callable[[Settings], None] | Callable[..., None]) -> None:
    demo_dir = private_dir(data_dir.resolve() / "demo")
    sink = EmlDirectorySink(demo_dir / "sent", port=smtp_port)
    try:
        sink.start()
    except OSError as exc:
        raise click.ClickException(f"cannot listen on port {smtp_port} ({exc.strerror}): "
                                   "choose another with --smtp-port N (0: any free port)"
                                   ) from None
    try:
        config = write_demo_config(data_dir, sink.url, console_port or free_port())
        settings = load_settings(config)
        seed_database(settings)
        maildir = demo_dir / "Maildir"
        seeded = seed(maildir)
        sample = SAMPLES / "03-correction-en.eml"
        program = _program()
        click.echo(f"""
mailbot demo — {settings.organisation.name} <{settings.organisation.address}>
  database:      {settings.database_url}
  mailbox:       {maildir} ({seeded} sample mails added)
  outgoing mail: {demo_dir / 'sent'}/*.eml (local SMTP server at {sink.url})
  staff console: http://{settings.console.listen} (sign in as {DEMO_USER} / {DEMO_PASSWORD})

Drop a mail into the mailbox to see it handled within a second, for example:
  cp {sample} {maildir}/new/$(date +%s).mine.eml
Then look at:
  ls {demo_dir / 'sent'}
  {program} --config {config} requests list
  {program} --config {config} inbound list
Stop with Ctrl-C.
""")
        try:
            run(settings, once=False)
        except ConfigError as exc:
            if "console.listen" not in str(exc):
                raise
            raise click.ClickException(
                f"cannot listen on {settings.console.listen}: choose another port with "
                "--console-port N (0: any free port)") from None
    finally:
        sink.stop()
