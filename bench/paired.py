"""One ``run_once`` over corpus mails waiting in Dovecot, for comparing two versions of the code
in pairs on a shared machine: the CPU time of the thread that runs ``run_once`` is the figure
(``time.thread_time``: the SMTP sink, Dovecot and PostgreSQL are processes of their own, and a
neighbour's load moves it far less than wall time); the wall rate and the raw fetch+parse rate
of the same mails in the same run are printed beside it. One JSON line.

``--root`` is the checkout whose ``mailbot`` is measured (default: this one), so that the same
script measures a base worktree and a branch alike:

    .venv/bin/python bench/paired.py --mails 300 --database sqlite
    .venv/bin/python bench/paired.py --mails 300 --database postgresql --root ../wt-base

``--verified``: the mails passed DMARC at a receiving server mailbot trusts, so each request
is handled at once (steps, answers) instead of waiting for its sender's verification.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1]
TRUSTED = "mx.example.org"  # the receiving server whose DMARC results ``--verified`` mails carry

SINK = """
import sys
sys.path.insert(0, {root!r})
from tests.harness.smtp import SmtpSink
sink = SmtpSink()
sink.start()
print(sink.url, flush=True)
sys.stdin.read()
sink.stop()
print(len(sink.messages), flush=True)
"""


def verified(raw: bytes) -> bytes:
    """``raw`` (from ``bench.flood.personal``) as our receiving server ``TRUSTED`` passed it:
    DMARC pass for its From domain (``verification.trusted_authserv_ids``)."""
    return (f"Authentication-Results: {TRUSTED}; dmarc=pass (p=reject) "
            "header.from=example.org\n").encode() + raw


def open_app(box_url: str, sink_url: str, *, database: str, name: str, verified: bool,
             prefix: str) -> tuple[Any, str | None]:
    """mailbot bootstrapped on a new database (a new PostgreSQL database ``name``, or SQLite in
    a temporary directory), acknowledging without a rate limit, trusting ``TRUSTED``'s DMARC
    results when ``verified``; and the PostgreSQL database's URL, to drop it after."""
    from sqlalchemy import create_engine, text

    from mailbot.bootstrap import bootstrap
    from tests.harness.app import make_settings
    from tests.harness.database import PG_ADMIN_URL

    url = None
    if database == "postgresql":
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    where = Path(tempfile.mkdtemp(prefix=prefix))
    app = bootstrap(make_settings(where, mailbox_url=box_url, smtp_url=sink_url,
                                  database_url=url,
                                  acknowledge={"rate_limit_count": 1_000_000},
                                  verification={"trusted_authserv_ids":
                                                [TRUSTED] if verified else []}))
    return app, url


def drop_database(name: str) -> None:
    """Drop the PostgreSQL database ``open_app`` made."""
    from sqlalchemy import create_engine, text

    from tests.harness.database import PG_ADMIN_URL

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--root", type=Path, default=HERE,
                        help="the checkout whose mailbot is measured")
    parser.add_argument("--verified", action="store_true",
                        help="the mails passed DMARC at a trusted server: handled at once")
    parser.add_argument("--no-settle", action="store_true",
                        help="warm up without freezing the heap (Daemon.warm_up(settle=False))")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    sys.path.insert(1, str(HERE))  # bench.flood: the corpus and the raw rate, the same for both

    from bench.flood import corpus, personal, raw_rate
    from tests.harness.dovecot import DovecotServer

    server = DovecotServer.create()
    server.start()
    box = server.mailbox()
    sink = subprocess.Popen([sys.executable, "-c", SINK.format(root=str(root))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert sink.stdout is not None
    sink_url = sink.stdout.readline().strip()
    texts, run = corpus(), uuid.uuid4().hex[:6]
    name = f"mailbot_paired_{run}"
    url = None
    try:
        with box.client() as client:
            for n in range(args.mails):
                raw = personal(texts[n % len(texts)], n, run)
                client.append("INBOX", verified(raw) if args.verified else raw)
        raw = raw_rate(box, args.mails)
        app, url = open_app(box.url(), sink_url, database=args.database, name=name,
                            verified=args.verified, prefix="mailbot-paired-")
        warm_up = getattr(app.daemon, "warm_up", None)
        if warm_up is not None:
            warm_up(settle=not args.no_settle)
        else:  # a version before Daemon.warm_up
            app.ingestor.warm_up()
        started, own = time.perf_counter(), time.thread_time()
        app.daemon.run_once()
        wall = time.perf_counter() - started
        cpu = time.thread_time() - own
        app.close()
    finally:
        out, _ = sink.communicate("", timeout=60)
        server.destroy()
        if url is not None:
            drop_database(name)
    print(json.dumps({"root": str(root), "database": args.database, "mails": args.mails,
                      "thread_ms": round(cpu * 1000 / args.mails, 3),
                      "rate": round(args.mails / wall, 1), "raw": round(raw, 1),
                      "ratio": round(args.mails / wall / raw, 3),
                      "sent": int(out.split()[-1]) if out.split() else 0}))


if __name__ == "__main__":
    main()
