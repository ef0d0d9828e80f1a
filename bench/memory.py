"""Peak memory of `mailbot run --once` (issue 12): idle, over 1,000 waiting mails, and on one
mail with a 25 MB attachment, each from a real Dovecot into its own SQLite database, with an
aiosmtpd sink taking the acknowledgements. The daemon runs as a child process and reports its
own peak RSS (VmHWM, which starts anew at exec, so this process's memory is left out).

    .venv/bin/python bench/memory.py [--mails 1000] [--megabytes 25] [--only idle,mails,large]
    .venv/bin/python bench/memory.py --only parts   # parse alone, ingest alone (no fetch)
    .venv/bin/python bench/memory.py --only phases  # the large mail: fetch, record, handle
    .venv/bin/python bench/memory.py --postgresql   # each case on the local PostgreSQL

``phases``: the large mail's `run --once` again, printing the peak RSS of each phase (fetching
it, recording it raw, handling it) over the RSS before the fetch began.

``parts``: in a child process holding the mail already, the peak added by parsing it alone
and by ingesting it alone into SQLite (no fetch, no sending), over the mail's size.

The large mail is taken in whole with ``mailbox.max_size`` raised above its size (40 MiB by
default); ``large-capped`` takes it with the default 25 MiB limit, so read in part.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.growth import database
from tests.harness.app import make_settings, toml_for
from tests.harness.dovecot import DovecotMailbox, DovecotServer
from tests.harness.mails import mail
from tests.harness.smtp import SmtpSink

WORDINGS = (
    "Stuur me een overzicht van mijn gegevens.",
    "Haal me van de nieuwsbrief af.",
    "Verwijder al mijn gegevens uit jullie systemen.",
    "Please send me a copy of all personal data you hold about me.",
    "Bitte löschen Sie alle meine Daten.",
    "Mijn nieuwe adres is Dorpsstraat 1, 1234 AB Ergens. Graag aanpassen.",
)
PROBE = ("import sys\nfrom mailbot.cli import cli\ntry:\n"
         "    cli(sys.argv[1:], standalone_mode=False)\nfinally:\n"
         "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
         "    print('VmHWM', hwm[0].split()[1], file=sys.stderr)\n")

PHASES = ("import sys\nfrom mailbot.fetcher import Fetcher\nfrom mailbot.ingest import Ingestor\n"
          "from mailbot.cli import cli\n"
          "def kib(key):\n"
          "    return int(next(l for l in open('/proc/self/status')"
          " if l.startswith(key)).split()[1])\n"
          "def reset():\n"
          "    with open('/proc/self/clear_refs', 'w') as refs:\n"
          "        refs.write('5')\n"
          "start = []\n"
          "def phase(name):\n"
          "    print('PHASE', name, kib('VmHWM') - start[0], file=sys.stderr)\n"
          "    reset()\n"
          "def wrap(cls, name, before, after):\n"
          "    original = getattr(cls, name)\n"
          "    def wrapped(*args, **kwargs):\n"
          "        before()\n"
          "        try:\n"
          "            return original(*args, **kwargs)\n"
          "        finally:\n"
          "            after()\n"
          "    setattr(cls, name, wrapped)\n"
          "wrap(Fetcher, 'fetch', lambda: (start.append(kib('VmRSS')), reset()), lambda: None)\n"
          "wrap(Ingestor, 'record', lambda: phase('fetch'), lambda: phase('record'))\n"
          "handled = []\n"
          "wrap(Ingestor, 'process', lambda: None,"
          " lambda: handled or (handled.append(1), phase('handle')))\n"
          "cli(sys.argv[1:], standalone_mode=False)\n"
          "print('VmHWM', kib('VmHWM'), file=sys.stderr)\n")


def attachment_mail(megabytes: float) -> bytes:
    """A request with an attachment of ``megabytes`` MiB (base64 in the mail)."""
    payload = base64.encodebytes(os.urandom(int(megabytes * 2**20)))
    return (b"From: Grote Bijlage <groot@example.org>\r\nTo: privacy@example.org\r\n"
            b"Subject: Inzage\r\nMessage-ID: <large@example.org>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\n'
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            b"Stuur me een overzicht van mijn gegevens. Mijn paspoort zit in de bijlage.\r\n"
            b"--X\r\nContent-Type: application/pdf; name=scan.pdf\r\n"
            b"Content-Disposition: attachment; filename=scan.pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n"
            + payload.replace(b"\n", b"\r\n") + b"--X--\r\n")


def run_once(box: DovecotMailbox, sink: SmtpSink, probe: str = PROBE,
             **sections: Any) -> tuple[int, float]:
    """Peak RSS (KiB) and seconds of one `mailbot run --once` in a fresh data directory."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = make_settings(Path(tmp), mailbox_url=box.url(), smtp_url=sink.url,
                                 **sections)
        config = Path(tmp) / "mailbot.toml"
        config.write_text(toml_for(settings), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
        subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "db",
                        "upgrade"], check=True, env=env, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", probe, "--config", str(config), "run",
                               "--once"], env=env, capture_output=True, text=True,
                              check=False)
        seconds = time.perf_counter() - started
        lines = [line for line in done.stderr.splitlines() if line.startswith("VmHWM ")]
        if done.returncode != 0 or not lines:
            raise SystemExit(f"run --once failed ({done.returncode}): {done.stderr[-2000:]}")
        for line in done.stderr.splitlines():
            if line.startswith("PHASE "):
                _, name, added = line.split()
                print(f"  {name:<7} peak {int(added) / 1024:6.1f} MiB over the RSS before "
                      "the fetch")
        return int(lines[-1].split()[1]), seconds


def part(stage: str, megabytes: float) -> None:
    """In this process: the peak RSS that ``stage`` (parse, ingest) adds for the mail."""
    import logging
    from datetime import UTC, datetime

    from mailbot.bootstrap import bootstrap
    from mailbot.mailbox import FetchedMessage
    from mailbot.parse import parse

    def kib(key: str) -> int:
        return int(next(line for line in open("/proc/self/status")
                        if line.startswith(key)).split()[1])

    logging.disable(logging.WARNING)
    tmp = tempfile.mkdtemp()
    settings = make_settings(Path(tmp), mailbox_url="maildir:///nonexistent",
                             smtp_url="smtp://127.0.0.1:1",
                             mailbox={"max_size": 64 * 2**20})
    app = bootstrap(settings)
    app.ingestor.ingest(FetchedMessage(raw=mail("Stuur me mijn gegevens."), mailbox="m",
                                       uidvalidity=1, uid="0", internaldate=datetime.now(UTC),
                                       size=100))  # warm: everything imported and compiled
    raw = attachment_mail(megabytes)
    base = kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the peak starts again from here
    if stage == "parse":
        parse(raw)
    else:
        app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="m", uidvalidity=1, uid="1",
                                           internaldate=datetime.now(UTC), size=len(raw)))
    added = kib("VmHWM") - base
    print(f"{stage:<13} adds {added / 1024:6.1f} MiB for a {len(raw) / 2**20:.1f} MiB mail: "
          f"{added * 1024 / len(raw):.2f}x")
    app.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mails", type=int, default=1_000)
    ap.add_argument("--megabytes", type=float, default=25, help="the attachment's size")
    ap.add_argument("--max-size", type=int, default=40, help="MiB, for the large mail")
    ap.add_argument("--only", default="idle,mails,large,large-capped")
    ap.add_argument("--postgresql", action="store_true",
                    help="each case in a fresh database on the local PostgreSQL server")
    ap.add_argument("--stage", choices=("parse", "ingest"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        part(args.stage, args.megabytes)
        return
    if args.only == "parts":
        for stage in ("parse", "ingest"):
            subprocess.run([sys.executable, __file__, "--stage", stage, "--megabytes",
                            str(args.megabytes)], check=True)
        return
    server = DovecotServer.create()
    server.start()
    sink = SmtpSink()
    sink.start()
    results: dict[str, int] = {}

    def case(name: str, fill: Callable[[DovecotMailbox], str], probe: str = PROBE,
             **sections: Any) -> None:
        box = server.mailbox()
        what = fill(box)
        if args.postgresql:
            with tempfile.TemporaryDirectory() as tmp, database(True, Path(tmp), "memory") as url:
                peak, seconds = run_once(box, sink, probe, database_url=url, **sections)
        else:
            peak, seconds = run_once(box, sink, probe, **sections)
        results[name] = peak
        if probe is PROBE:  # (the phases probe starts the peak again for each phase)
            print(f"{name:<13} {peak / 1024:7.1f} MiB peak RSS  {seconds:6.1f} s  {what}",
                  flush=True)

    def nothing(_box: DovecotMailbox) -> str:
        return "(no mail waiting)"

    def many(box: DovecotMailbox) -> str:
        for n in range(args.mails):
            box.append(mail(WORDINGS[n % len(WORDINGS)] + f" (nr. {n})",
                            sender=f"Persoon {n} <p{n}@example.org>"))
        return f"({args.mails} request mails)"

    def large(box: DovecotMailbox) -> str:
        raw = attachment_mail(args.megabytes)
        box.append(raw)
        size = len(raw)
        results["large_size"] = size // 1024
        return f"(one mail of {size / 2**20:.1f} MiB, a {args.megabytes:g} MiB attachment)"

    try:
        wanted = args.only.split(",")
        if "idle" in wanted or "large" in wanted:
            case("idle", nothing)
        if "mails" in wanted:
            case("mails", many, acknowledge={"rate_limit_count": 1_000_000})
        if "large" in wanted:
            case("large", large, mailbox={"max_size": args.max_size * 2**20})
            added = results["large"] - results["idle"]
            print(f"the large mail adds {added / 1024:.1f} MiB over idle: "
                  f"{added / results['large_size']:.2f}x its size (target under 3x)")
        if "large-capped" in wanted:
            case("large-capped", large)
        if "phases" in wanted:
            case("phases", large, probe=PHASES, mailbox={"max_size": args.max_size * 2**20})
    finally:
        sink.stop()
        server.stop()


if __name__ == "__main__":
    main()
