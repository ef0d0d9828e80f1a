"""Peak memory of `mailbot run --once` taking in one mail over mailbox.max_size from a real
Dovecot (the mail is read in part: its header and the start of its text), beside the size of
the mail. The daemon runs as a child process, so the figure is its own peak RSS.

    .venv/bin/python bench/max_size.py [--megabytes 70] [--in-header]

``--in-header`` puts the bulk in the header (thousands of long header lines) instead of an
attachment.
"""

from __future__ import annotations

import argparse
import base64
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.harness.app import make_settings, toml_for
from tests.harness.dovecot import DovecotServer
from tests.harness.smtp import SmtpSink


def big_mail(megabytes: int) -> bytes:
    payload = base64.encodebytes(os.urandom(megabytes * 1024 * 1024 * 3 // 4))
    return (b"From: Big Sender <big@example.org>\r\nTo: privacy@example.org\r\n"
            b"Subject: Bijlage\r\nMessage-ID: <big@example.org>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\n'
            b"Content-Type: text/plain\r\n\r\nZie de bijlage.\r\n--X\r\n"
            b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + payload.replace(b"\n", b"\r\n") + b"--X--\r\n")


def header_mail(megabytes: int) -> bytes:
    line = b"X-Padding: " + b"a" * 986 + b"\r\n"
    return (b"From: Big Sender <big@example.org>\r\nTo: privacy@example.org\r\n"
            b"Subject: Kopregels\r\nMessage-ID: <big-header@example.org>\r\n"
            + line * (megabytes * 1024) + b"Content-Type: text/plain\r\n\r\nZie hierboven.\r\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megabytes", type=int, default=70)
    ap.add_argument("--in-header", action="store_true", help="the bulk in the header")
    args = ap.parse_args()
    server = DovecotServer.create()
    server.start()
    sink = SmtpSink()
    sink.start()
    try:
        box = server.mailbox()
        raw = (header_mail if args.in_header else big_mail)(args.megabytes)
        box.append(raw)
        size = len(raw)
        del raw
        with tempfile.TemporaryDirectory() as tmp:
            settings = make_settings(Path(tmp), mailbox_url=box.url(), smtp_url=sink.url)
            config = Path(tmp) / "mailbot.toml"
            config.write_text(toml_for(settings), encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
            subprocess.run([sys.executable, "-m", "mailbot", "--config", str(config), "db",
                            "upgrade"], check=True, env=env, capture_output=True)
            # The daemon's own peak (VmHWM, which, unlike ru_maxrss, starts anew at exec and
            # so leaves out this process's memory), reported by itself as it ends.
            probe = ("import sys\nfrom mailbot.cli import cli\ntry:\n"
                     "    cli(sys.argv[1:], standalone_mode=False)\nfinally:\n"
                     "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
                     "    print(hwm[0].split()[1], file=sys.stderr)\n")
            done = subprocess.run([sys.executable, "-c", probe, "--config", str(config), "run",
                                   "--once"], env=env, capture_output=True, text=True,
                                  check=False)
            peak = int(done.stderr.strip().splitlines()[-1])
        where = "in its header" if args.in_header else "in an attachment"
        print(f"mail of {size / 2**20:.1f} MiB ({where}), mailbox.max_size "
              f"{settings.mailbox.max_size / 2**20:.0f} MiB: peak RSS of run --once "
              f"{peak / 1024:.0f} MiB (target under 150 MiB)")
    finally:
        sink.stop()
        server.stop()


if __name__ == "__main__":
    main()
