"""Ingest benchmark: how fast mails are recorded (parse, classify, seal, commit, queue the
acknowledgement), and how long from an IMAP APPEND until the acknowledgement reaches the
SMTP server, through real Dovecot, aiosmtpd, SQLite and PostgreSQL.

The daemon's rate (``run_once`` over mails waiting in Dovecot: fetch, record, handle, deliver
the acknowledgements) is set beside the raw rate of the same mails fetched and parsed with
imapclient and the standard library alone, measured in the same run; the mails are the
written corpus's request mails (bench/flood.py), each from its own sender.

With ``--pg-workers 2``, the same corpus mails are also handled by two worker processes on
one PostgreSQL database (each looping ``run_once``: the one holding the mailbox's lease
records, both handle and deliver), timed from a common start until both find nothing left,
beside the raw rate measured in the same run.

The SMTP server the acknowledgements go to (aiosmtpd, recording what it receives) is the outside
world, like Dovecot and PostgreSQL: by default (``--sink process``) it runs in a process of its
own, so its CPU and GIL time are not charged to ``run_once``; ``--sink thread`` runs it in a
thread of the benchmark's process, as before 2026-12-07, for comparison. ``--sink both`` runs
``run_once`` twice on each database, once each way (each over its own Dovecot and mails, its
own raw rate). The sink's own CPU time is printed beside each run.

    .venv/bin/python bench/ingest.py [--mails 500] [--waiting 1000] [--latency-samples 20]
                                     [--pg-workers 2] [--sink process|thread|both]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text

from mailbot.bootstrap import bootstrap
from mailbot.mailbox import FetchedMessage
from mailbot.store.crypto import generate_key
from tests.harness.app import make_settings
from tests.harness.database import PG_ADMIN_URL
from tests.harness.dovecot import DovecotServer
from tests.harness.mails import acknowledgements, mail
from tests.harness.smtp import ReceivedMessage, SmtpSink
from tests.harness.wait import wait_for

SINK = """
import resource, sys
sys.path.insert(0, {root!r})
from tests.harness.smtp import SmtpSink
sink = SmtpSink()
sink.start()
print(sink.url, flush=True)
sys.stdin.read()  # until the benchmark closes it
sink.stop()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(len(sink.messages), usage.ru_utime + usage.ru_stime, flush=True)
"""


class Sink:
    """The SMTP sink ``run_once`` delivers to: in a process of its own (``process``), or in a
    thread of this one (``thread``); ``cpu()`` is the CPU seconds it used so far (the
    thread's: not known, None), ``received()`` how many messages it took (after ``stop``)."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._thread: SmtpSink | None = None
        self._process: subprocess.Popen[str] | None = None
        self._stopped: tuple[int, float] | None = None

    def start(self) -> None:
        if self.mode == "thread":
            self._thread = SmtpSink()
            self._thread.start()
            return
        code = SINK.format(root=str(Path(__file__).resolve().parents[1]))
        self._process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, text=True)
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("smtp://"):
            raise RuntimeError(f"the SMTP sink process did not start: {self.url!r}")

    @property
    def where(self) -> str:
        return self._thread.url if self._thread is not None else self.url

    def stop(self) -> None:
        if self._thread is not None:
            self._stopped = (len(self._thread.messages), 0.0)
            self._thread.stop()
            self._thread = None
        if self._process is not None:
            out, _ = self._process.communicate(timeout=60)  # closes its stdin: it stops
            received, cpu = out.split()
            self._stopped = (int(received), float(cpu))
            self._process = None

    def received(self) -> int:
        return self._stopped[0] if self._stopped is not None else 0

    def cpu(self) -> float | None:
        """The sink's CPU seconds (a process of its own); None in a thread (charged to us)."""
        return self._stopped[1] if self._stopped is not None and self.mode == "process" \
            else None


def throughput(database_url: str, count: int, root: Path) -> float:
    settings = make_settings(root, mailbox_url="maildir:///nonexistent",
                             smtp_url="smtp://127.0.0.1:1", database_url=database_url,
                             acknowledge={"rate_limit_count": 1_000_000})
    app = bootstrap(settings)
    mails = [mail(f"Stuur me een overzicht van mijn gegevens, nummer {n}.",
                  sender=f"Persoon {n} <p{n}@example.org>") for n in range(count)]
    started = time.perf_counter()
    for n, raw in enumerate(mails):
        app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="bench", uidvalidity=1,
                                           uid=str(n), internaldate=datetime.now(UTC),
                                           size=len(raw)))
    elapsed = time.perf_counter() - started
    app.close()
    return count / elapsed


@contextmanager
def _corpus_waiting(count: int, sink_mode: str) -> Iterator[tuple[Any, Sink, float]]:
    """``count`` corpus mails, each from its own sender, waiting in a new Dovecot, an SMTP
    sink (``Sink``), and the raw fetch+parse rate of those mails (measured after the sink
    started, the same way whichever the sink's mode)."""
    from bench.flood import corpus, personal, raw_rate

    server = DovecotServer.create()
    server.start()
    box = server.mailbox()
    sink = Sink(sink_mode)
    sink.start()
    texts = corpus()
    run = uuid.uuid4().hex[:6]
    try:
        with box.client() as client:
            for n in range(count):
                client.append("INBOX", personal(texts[n % len(texts)], n, run))
        yield box, sink, raw_rate(box, count)
    finally:
        sink.stop()
        server.destroy()


@dataclass(frozen=True)
class DaemonRun:
    rate: float  # run_once, mails/s
    raw: float  # raw fetch+parse of the same mails, mails/s, same run
    cpu_ms: float  # this process's CPU a mail during run_once (the sink's too, in a thread)
    thread_ms: float  # the CPU a mail of the thread that ran run_once
    sink_ms: float | None  # the sink process's CPU a mail (None: in a thread, in cpu_ms)
    sent: int  # messages the sink received


def daemon_rate(database_url: str, count: int, root: Path, sink_mode: str) -> DaemonRun:
    """``run_once`` over ``count`` corpus mails waiting in Dovecot, and the raw fetch+parse
    rate of the same mails; mails/s each, and the CPU time per mail in ``run_once`` (this
    process's and its thread's; Dovecot and PostgreSQL run apart, the sink as ``sink_mode``
    says)."""
    with _corpus_waiting(count, sink_mode) as (box, sink, raw):
        settings = make_settings(root, mailbox_url=box.url(), smtp_url=sink.where,
                                 database_url=database_url,
                                 acknowledge={"rate_limit_count": 1_000_000})
        app = bootstrap(settings)
        app.daemon.warm_up(settle=True)  # as a worker does: loaded, then frozen
        started, cpu, own = time.perf_counter(), time.process_time(), time.thread_time()
        app.daemon.run_once()
        rate = count / (time.perf_counter() - started)
        cpu_ms = (time.process_time() - cpu) * 1000 / count
        thread_ms = (time.thread_time() - own) * 1000 / count
        app.close()
        sink.stop()
    sink_cpu = sink.cpu()
    return DaemonRun(rate, raw, cpu_ms, thread_ms,
                     None if sink_cpu is None else sink_cpu * 1000 / count, sink.received())


WORKER = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from sqlalchemy import text
from mailbot.bootstrap import bootstrap
from tests.harness.app import make_settings
args = json.loads(sys.argv[1])
app = bootstrap(make_settings(Path(args["root"]), **args["settings"]))
app.daemon.warm_up(settle=True)  # as a worker does: loaded, then frozen
Path(args["ready"]).touch()
while not Path(args["go"]).exists():
    time.sleep(0.001)
started, cpu = time.perf_counter(), time.process_time()

def left() -> bool:
    with app.database.engine.connect() as connection:
        recorded, pending, outgoing = connection.execute(text(
            "SELECT (SELECT count(*) FROM inbound_mail), "
            "(SELECT count(*) FROM inbound_mail WHERE disposition = 'pending'), "
            "(SELECT count(*) FROM outbox WHERE status = 'pending')")).one()
    return recorded < args["count"] or pending > 0 or outgoing > 0

while True:
    app.daemon.run_once()
    if not left():
        break
    time.sleep(0.01)
print(json.dumps({{"elapsed": time.perf_counter() - started,
                  "cpu": time.process_time() - cpu}}))
app.close()
"""


def workers_rate(database_url: str, count: int, root: Path, workers: int,
                 sink_mode: str) -> tuple[float, float, list[float]]:
    """``count`` corpus mails waiting in Dovecot, handled by ``workers`` processes on one
    database, each looping ``run_once`` until nothing is left; mails/s from a common start
    to the last worker's end, the raw fetch+parse rate in the same run, and each worker's
    CPU time (s). (The workers are processes of their own: the sink's mode changes only
    whether it shares the benchmark's process, which waits meanwhile.)"""
    with _corpus_waiting(count, sink_mode) as (box, sink, raw):
        options = {"mailbox_url": box.url(), "smtp_url": sink.where,
                   "database_url": database_url, "security": {"key": generate_key()},
                   "acknowledge": {"rate_limit_count": 1_000_000}}  # one key for all
        root.mkdir(parents=True, exist_ok=True)
        bootstrap(make_settings(root / "schema", **options)).close()  # migrated once
        go = root / "go"
        code = WORKER.format(root=str(Path(__file__).resolve().parents[1]))
        processes = []
        for number in range(workers):
            where = root / f"worker{number}"
            argument = json.dumps({"root": str(where), "settings": options, "count": count,
                                   "ready": str(root / f"ready{number}"), "go": str(go)})
            processes.append(subprocess.Popen([sys.executable, "-c", code, argument],
                                              stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE,
                                              env={**os.environ}))
        wait_for(lambda: all((root / f"ready{n}").exists() for n in range(workers)),
                 timeout=120, message="the workers' warm-up")
        started = time.perf_counter()
        go.touch()
        results = []
        for process in processes:
            out, err = process.communicate(timeout=600)
            if process.returncode != 0:
                raise RuntimeError(f"a worker failed: {err.decode()[-2000:]}")
            results.append(json.loads(out.decode().strip().splitlines()[-1]))
        elapsed = time.perf_counter() - started
    return count / elapsed, raw, [r["cpu"] for r in results]


def _fresh(admin: Any, name: str) -> None:
    """An empty database ``name`` (dropped first when there)."""
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))


def _to(sink: SmtpSink, recipient: str) -> list[ReceivedMessage]:
    return [m for m in sink.messages if recipient in (r.lower() for r in m.rcpt_tos)]


def latency(samples: int, root: Path) -> list[float]:
    server = DovecotServer.create()
    server.start()
    box = server.mailbox()
    sink = SmtpSink()
    sink.start()
    settings = make_settings(root, mailbox_url=box.url(), smtp_url=sink.url,
                             mailbox={"poll_interval": 300})
    app = bootstrap(settings)
    thread = threading.Thread(target=app.daemon.run_forever, daemon=True)
    thread.start()
    beat = settings.paths.data_dir / "heartbeat"
    results = []
    try:
        wait_for(beat.exists, timeout=30, message="the daemon's first heartbeat")
        for n in range(samples):
            recipient = f"l{n}@example.org"
            started = time.perf_counter()
            box.append(mail(f"Verwijder mijn account ({n}).", sender=f"L {n} <{recipient}>"))
            # Each erasure mail gets two messages (the acknowledgement and the verification
            # mail); the timer stops at this sample's own acknowledgement, not at a count.
            wait_for(lambda r=recipient: acknowledgements(_to(sink, r)), timeout=30,
                     interval=0.002, message=f"the acknowledgement to {recipient}")
            results.append(time.perf_counter() - started)
            # Let the verification mail leave too, so it does not overlap the next sample.
            wait_for(lambda r=recipient: len(_to(sink, r)) >= 2, timeout=30,
                     message=f"both messages to {recipient}")
    finally:
        app.daemon.stop.set()
        thread.join(timeout=10)
        app.close()
        sink.stop()
        server.destroy()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--waiting", type=int, default=1000,
                        help="corpus mails waiting in Dovecot for run_once (0: skip)")
    parser.add_argument("--latency-samples", type=int, default=20, help="0: skip")
    parser.add_argument("--pg-workers", type=int, default=0,
                        help="also run_once in this many worker processes on PostgreSQL "
                             "over --waiting corpus mails (0: skip)")
    parser.add_argument("--sink", choices=("process", "thread", "both"), default="process",
                        help="the SMTP sink in a process of its own (default), in a thread "
                             "of the benchmark's process (as before), or run_once both ways")
    args = parser.parse_args()
    modes = ("process", "thread") if args.sink == "both" else (args.sink,)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        rate = throughput(f"sqlite:///{root / 'bench.db'}", args.mails, root / "a")
        print(f"ingest into SQLite:     {rate:8.0f} mails/s ({args.mails} mails, one process)")
        name = f"mailbot_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            pg_url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
            rate = throughput(pg_url, args.mails, root / "b")
            print(f"ingest into PostgreSQL: {rate:8.0f} mails/s ({args.mails} mails, one process)")
            if args.waiting:
                for mode in modes:
                    for label, url, where in (
                            ("SQLite", f"sqlite:///{root / f'wait-{mode}.db'}", "d"),
                            ("PostgreSQL", f"{pg_url}_w", "e")):
                        if label == "PostgreSQL":
                            _fresh(admin, f"{name}_w")
                        run = daemon_rate(url, args.waiting, root / f"{where}-{mode}", mode)
                        sink = ("in this process, in the figures" if run.sink_ms is None
                                else f"its own process: {run.sink_ms:.1f} ms CPU a mail")
                        print(f"run_once over {args.waiting} corpus mails in Dovecot, {label}, "
                              f"sink in a {mode}: {run.rate:.0f} mails/s ({run.cpu_ms:.1f} ms "
                              f"CPU a mail, {run.thread_ms:.1f} ms in run_once's thread; "
                              f"{run.sent} messages sent, sink {sink}); raw fetch+parse "
                              f"{run.raw:.0f} mails/s; ratio {run.rate / run.raw:.2f}")
            if args.waiting and args.pg_workers:
                with admin.connect() as connection:
                    connection.execute(text(f'CREATE DATABASE "{name}_p"'))
                rate, raw, cpus = workers_rate(f"{pg_url}_p", args.waiting, root / "f",
                                               args.pg_workers, modes[0])
                print(f"{args.pg_workers} workers looping run_once over {args.waiting} corpus "
                      f"mails in Dovecot, PostgreSQL: {rate:.0f} mails/s (CPU a mail "
                      f"{sum(cpus) * 1000 / args.waiting:.1f} ms, per worker "
                      f"{', '.join(f'{c:.1f} s' for c in cpus)}); raw fetch+parse "
                      f"{raw:.0f} mails/s; ratio {rate / raw:.2f}")
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}_w" WITH (FORCE)'))
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}_p" WITH (FORCE)'))
            admin.dispose()
        if not args.latency_samples:
            return
        values = latency(args.latency_samples, root / "c")
        values.sort()
        p95 = values[max(0, round(0.95 * len(values)) - 1)]
        print(f"APPEND to acknowledgement at the SMTP server (IMAP IDLE, {len(values)} mails): "
              f"median {statistics.median(values) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
              f"max {values[-1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
