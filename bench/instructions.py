"""Instructions of one ``run_once`` over corpus mails waiting in Dovecot, counted by callgrind,
for comparing two versions of the code where neighbours on the machine move CPU time by more
than the change: the measured ``run_once`` is called through ``sys.call_tracing``, so that
callgrind counts only inside it (the sink, Dovecot and PostgreSQL are processes of their own,
not counted). ``--rounds 2``: one ``run_once`` over as many other mails first, not counted,
so that what a worker does once (compiling statements and templates) is left out.

    PYTHONHASHSEED=0 valgrind --tool=callgrind --collect-atstart=no \\
        --toggle-collect=sys_call_tracing --callgrind-out-file=OUT \\
        .venv/bin/python bench/instructions.py --mails 100 [--rounds 2] \\
        [--database postgresql] [--verified] [--root ../wt-base]
    grep totals: OUT    # instructions; divide by --mails

The mails are the same in every run (their senders and Message-IDs do not vary)."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
RUN = "fixed0"  # in every sender and Message-ID: the same mails in every run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=1,
                        help="run_once this many times, each over --mails new mails; the "
                             "last one is counted")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--root", type=Path, default=HERE,
                        help="the checkout whose mailbot is measured")
    parser.add_argument("--verified", action="store_true",
                        help="the mails passed DMARC at a trusted server: handled at once")
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path.insert(0, str(root))
    sys.path.insert(1, str(HERE))  # bench: the corpus and the sink, the same for both

    from bench.flood import corpus, personal
    from bench.paired import SINK, drop_database, open_app, verified
    from tests.harness.dovecot import DovecotServer

    server = DovecotServer.create()
    server.start()
    box = server.mailbox()
    sink = subprocess.Popen([sys.executable, "-c", SINK.format(root=str(root))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert sink.stdout is not None
    sink_url = sink.stdout.readline().strip()
    texts = corpus()
    name = f"mailbot_instructions_{uuid.uuid4().hex[:6]}"
    url = None

    def append(first: int) -> None:
        with box.client() as client:
            for n in range(first, first + args.mails):
                raw = personal(texts[n % len(texts)], n, RUN)
                client.append("INBOX", verified(raw) if args.verified else raw)

    try:
        append(0)
        app, url = open_app(box.url(), sink_url, database=args.database, name=name,
                            verified=args.verified, prefix="mailbot-instructions-")
        app.daemon.warm_up(settle=True)
        for done in range(1, args.rounds):
            app.daemon.run_once()
            append(done * args.mails)
        own = time.thread_time()
        sys.call_tracing(app.daemon.run_once, ())
        cpu = time.thread_time() - own
        app.close()
    finally:
        out, _ = sink.communicate("", timeout=120)
        server.destroy()
        if url is not None:
            drop_database(name)
    print(json.dumps({"root": str(root), "database": args.database, "mails": args.mails,
                      "rounds": args.rounds, "thread_ms": round(cpu * 1000 / args.mails, 3),
                      "sent": int(out.split()[-1]) if out.split() else 0}))


if __name__ == "__main__":
    main()
