"""Flood benchmark: a breach notice brings N request mails at once. Two `mailbot run` workers
share one PostgreSQL database and one Dovecot mailbox; the mails (a mix of kinds and languages
from ../shared/corpus/written, each from its own invented sender) are appended while they run.

Prints the time until every mail is recorded and every acknowledgement has left, the
acknowledgement latency from the APPEND (p50/p95/p99, at the SMTP server), the console queue
page's response time during the flood, each worker's peak RSS, and the ratio to the raw
fetch+parse rate (imapclient and the standard library alone) measured in the same run. With
``--kill``, the worker holding the mailbox is killed (SIGKILL) a third of the way through:
then nothing may be lost, nothing acknowledged twice, and the other worker must take over.

    .venv/bin/python bench/flood.py [--mails 20000] [--kill] [--lease 5]
"""

from __future__ import annotations

import argparse
import collections
import csv
import email
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from email import policy
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from tests.harness.app import make_settings, toml_for  # noqa: E402
from tests.harness.database import PG_ADMIN_URL  # noqa: E402
from tests.harness.dovecot import DovecotServer, free_port  # noqa: E402
from tests.harness.smtp import SmtpSink  # noqa: E402
from tests.harness.wait import wait_for  # noqa: E402

WRITTEN = ROOT.parent / "shared" / "corpus" / "written"
PASSWORD = "a long enough password for the flood"
HEADERS = re.compile(rb"(?im)^(from|sender|reply-to|message-id|to|cc|date):.*(\r?\n[ \t].*)*\r?\n")


def corpus() -> list[bytes]:
    """The written corpus's request mails (kinds mixed, every language); register orders
    left out: they count only from a known client contact."""
    rows = [row for name in ("manifest-nl.csv", "manifest-intl.csv")
            for row in csv.DictReader((WRITTEN / name).open(encoding="utf-8"))
            if row["disposition"] == "request" and "/reg-" not in row["path"]]
    return [(WRITTEN / row["path"]).read_bytes() for row in rows]


def personal(raw: bytes, n: int, run: str) -> bytes:
    """``raw`` from its own invented sender, with its own Message-ID."""
    head, sep, body = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(
        b"\n\n")
    head = HEADERS.sub(b"", head + b"\n").rstrip(b"\r\n")
    fresh = (f"From: Persoon {n} <flood{n}@example.org>\nTo: privacy@example.org\n"
             f"Message-ID: <flood-{run}-{n}@mail.example.org>\n"
             "Date: Fri, 04 Dec 2026 10:00:00 +0000\n").encode()
    return fresh + head + (sep or b"\n\n") + body


def _sizes(kib: list[int]) -> str:
    """Sizes in kB (kibibytes, as /proc gives them) as MiB and as MB (the issue's unit)."""
    return ", ".join(f"{k / 1024:.1f} MiB = {k * 1024 / 1e6:.1f} MB" for k in kib)


def rss_peak(pid: int) -> int:
    """VmHWM of ``pid`` in kB (0 when it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar() or 0)


def raw_rate(box: Any, mails: int) -> float:
    """Fetch and parse every mail in the folder with imapclient and the standard library."""
    started = time.perf_counter()
    with box.client() as client:
        client._imap.debug = 0  # as mailbot reads: imapclient's protocol trace off
        client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search("ALL"))
        for start in range(0, len(uids), 50):
            for data in client.fetch(uids[start:start + 50], ["BODY.PEEK[]"]).values():
                message = email.message_from_bytes(data[b"BODY[]"], policy=policy.default)
                body = message.get_body(("plain", "html"))
                if body is not None:
                    body.get_content()
    return len(uids) / (time.perf_counter() - started)


class Arrivals:
    """When each message reached the SMTP sink (looked at every 20 ms)."""

    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink
        self.at: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while not self.stop.wait(0.02):
            now = time.time()
            seen = len(self.sink.messages)
            self.at.extend([now] * (seen - len(self.at)))


class Console:
    """The queue page, asked every second during the flood."""

    def __init__(self, url: str) -> None:
        self.client = httpx2.Client(base_url=url, timeout=60)
        page = self.client.get("/login").text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        signed_in = self.client.post("/login", data={
            "name": "Flood", "password": PASSWORD, "next": "/queue", "csrf_token": token})
        assert signed_in.status_code == 303, signed_in.text[:300]
        self.times: list[float] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._ask, daemon=True)
        self.thread.start()

    def _ask(self) -> None:
        while not self.stop.wait(1.0):
            started = time.perf_counter()
            try:
                response = self.client.get("/queue")
            except httpx2.HTTPError:
                return  # its worker was killed: the console went with it
            if response.status_code == 200:
                self.times.append(time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=20_000)
    parser.add_argument("--kill", action="store_true",
                        help="SIGKILL the worker holding the mailbox a third of the way")
    parser.add_argument("--lease", type=float, default=5.0, help="mailbox.lease_time")
    args = parser.parse_args()
    run = uuid.uuid4().hex[:6]
    texts = corpus()
    mails = [personal(texts[n % len(texts)], n, run) for n in range(args.mails)]

    root = Path(tempfile.mkdtemp(prefix="mailbot-flood-"))
    server = DovecotServer.create()
    server.start()
    box = server.mailbox()
    sink = SmtpSink()
    sink.start()
    name = f"mailbot_flood_{run}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = create_engine(url)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        settings = make_settings(root, mailbox_url=box.url(), smtp_url=sink.url,
                                 database_url=url,
                                 acknowledge={"rate_limit_count": 1_000_000},
                                 mailbox={"poll_interval": 5, "lease_time": args.lease})
        config = root / "mailbot.toml"
        config.write_text(toml_for(settings), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
        mailbot = [sys.executable, "-m", "mailbot", "--config", str(config)]
        subprocess.run([*mailbot, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*mailbot, "users", "add", "Flood", "--role", "admin", "--password",
                        PASSWORD], env=env, check=True, capture_output=True)
        port = free_port()
        for number, listen in enumerate((f"127.0.0.1:{port}", "")):
            data = root / f"worker{number}"
            with (root / f"worker{number}.log").open("ab") as log:
                workers.append(subprocess.Popen(
                    [*mailbot, "run"], stdout=log, stderr=subprocess.STDOUT,
                    env={**env, "MAILBOT_CONSOLE__LISTEN": listen,
                         "MAILBOT_PATHS__DATA_DIR": str(data)}))
        for number in range(2):
            wait_for((root / f"worker{number}" / "heartbeat").exists, timeout=60,
                     message=f"worker {number}'s first heartbeat")
        idle_rss = [rss_peak(w.pid) for w in workers]
        console = Console(f"http://127.0.0.1:{port}")
        arrivals = Arrivals(sink)

        appended: dict[str, float] = {}
        started = time.time()
        killed: dict[str, float | int] = {}

        def append_all() -> None:
            with box.client() as client:
                for n, raw in enumerate(mails):
                    client.append("INBOX", raw)
                    appended[f"flood{n}@example.org"] = time.time()

        appender = threading.Thread(target=append_all, daemon=True)
        appender.start()
        handled = "SELECT count(*) FROM inbound_mail WHERE disposition <> 'pending'"
        if args.kill:
            wait_for(lambda: count(engine, handled) >= args.mails // 3, timeout=3600,
                     interval=0.05, message="a third of the mails handled")
            holder = count(engine, "SELECT split_part(holder, ':', 2)::int FROM mailbox_lease")
            [victim] = [w for w in workers if w.pid == holder]
            killed["peak_rss"] = rss_peak(victim.pid)
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            killed["at"] = time.time()
            other = next(w.pid for w in workers if w is not victim)
            wait_for(lambda: count(engine, "SELECT split_part(holder, ':', 2)::int FROM "
                                           "mailbox_lease") == other,
                     timeout=args.lease * 4, interval=0.05, message="the takeover")
            killed["takeover"] = time.time() - float(killed["at"])
        appender.join()
        append_seconds = time.time() - started
        pending_acks = ("SELECT count(*) FROM outbox WHERE status = 'pending' "
                        "AND purpose = 'acknowledgement'")
        wait_for(lambda: count(engine, handled) >= args.mails
                 and count(engine, pending_acks) == 0, timeout=7200, interval=0.2,
                 message="every mail handled and acknowledged")
        elapsed = time.time() - started
        time.sleep(0.1)  # the sink watcher's last look
        console.stop.set()
        arrivals.stop.set()
        peaks = [rss_peak(w.pid) for w in workers]
        acks = count(engine, "SELECT count(*) FROM outbox WHERE purpose = 'acknowledgement' "
                             "AND status = 'sent'")
        inbound = count(engine, "SELECT count(*) FROM inbound_mail")
        distinct = count(engine, "SELECT count(DISTINCT message_id) FROM inbound_mail")
        requests = count(engine, "SELECT count(*) FROM request")
        with engine.connect() as connection:
            uncertain = set(found.strip("<>") for found in connection.execute(text(
                "SELECT message_id FROM outbox WHERE purpose = 'acknowledgement' "
                "AND status = 'uncertain'")).scalars())
        per_worker = [len(re.findall(r"mailbot.ingest: mail \d+ recorded",
                                     (root / f"worker{n}.log").read_text())) for n in range(2)]

        latencies = []
        ids: dict[str, set[str]] = collections.defaultdict(set)
        received = collections.Counter()
        for message, at in zip(sink.messages, arrivals.at, strict=False):
            message_id = message.message["Message-ID"] or ""
            if not message_id.startswith("<acknowledgement."):
                continue
            recipient = message.rcpt_tos[0]
            ids[recipient].add(message_id)
            received[recipient] += 1
            if received[recipient] == 1 and recipient in appended:
                latencies.append(at - appended[recipient])
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        raw = raw_rate(box, args.mails)

        rate = args.mails / elapsed
        print(f"flood: {args.mails} request mails, 2 workers, PostgreSQL, Dovecot, aiosmtpd"
              f"{', one worker killed' if args.kill else ''}")
        print(f"  appended in {append_seconds:.1f} s; all recorded and acknowledged after "
              f"{elapsed:.1f} s ({rate:.0f} mails/s)")
        print(f"  inbound {inbound} (distinct Message-IDs {distinct}), requests {requests}, "
              f"acknowledgements sent {acks}, handled per worker (log) {per_worker}")
        print(f"  acknowledgement latency from APPEND: p50 {percentile(latencies, .5):.1f} s, "
              f"p95 {percentile(latencies, .95):.1f} s, p99 {percentile(latencies, .99):.1f} s "
              f"({len(latencies)} acknowledgements)")
        if console.times:
            print(f"  console queue page during the flood: median "
                  f"{statistics.median(console.times) * 1000:.0f} ms, p95 "
                  f"{percentile(console.times, .95) * 1000:.0f} ms, max "
                  f"{max(console.times) * 1000:.0f} ms ({len(console.times)} loads)")
        print(f"  peak RSS per worker: {_sizes(peaks)} (idle {_sizes(idle_rss)}"
              + (f"; killed worker {_sizes([int(killed['peak_rss'])])}" if killed
                 else "") + ")")
        print(f"  raw fetch+parse (imapclient + email): {raw:.0f} mails/s; ratio "
              f"{rate / raw:.2f}")
        twice = sum(n - 1 for n in received.values() if n > 1)
        lost = args.mails - distinct
        print(f"  lost {lost}; acknowledged twice (same Message-ID again) {twice}; "
              f"people with two different acknowledgements "
              f"{sum(1 for found in ids.values() if len(found) > 1)}")
        got = sum(1 for m in sink.messages
                  if m.message["Message-ID"] and m.message["Message-ID"].strip("<>") in uncertain)
        print(f"  acknowledgements held as uncertain for a person (their worker stopped while "
              f"sending) {len(uncertain)}, of which the SMTP server had received {got}")
        if killed:
            print(f"  holder killed: the other worker held the mailbox "
                  f"{killed['takeover']:.1f} s later (lease {args.lease:g} s)")
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        sink.stop()
        server.destroy()


if __name__ == "__main__":
    main()
