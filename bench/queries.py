"""What `run_once` asks of the database per mail: statements, flushes, lazy loads, transactions
(begun and committed; a statement in autocommit is its own and is not counted) and connections
taken from the pool (on PostgreSQL each is pinged first), counted with SQLAlchemy's event hooks
over corpus mails waiting in a real Dovecot (bench/flood.py's mails, each from its own sender),
delivered to an in-process SMTP sink, on SQLite (or a fresh PostgreSQL database).

    .venv/bin/python bench/queries.py [--mails 300] [--database postgresql]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from bench.flood import corpus, personal
from bench.paired import TRUSTED, verified
from mailbot.bootstrap import bootstrap
from tests.harness.app import make_settings
from tests.harness.database import PG_ADMIN_URL
from tests.harness.dovecot import DovecotServer
from tests.harness.smtp import SmtpSink


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=300)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--verified", action="store_true",
                        help="the mails passed DMARC at a trusted server: handled at once")
    args = parser.parse_args()
    counts: Counter[str] = Counter()

    def statement(*_: object) -> None:
        counts["statements"] += 1

    def flush(*_: object) -> None:
        counts["flushes"] += 1

    def begun(_session: Session, _transaction: object, connection: Connection) -> None:
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            counts["transactions"] += 1

    def checkout(*_: object) -> None:
        counts["checkouts"] += 1

    server = DovecotServer.create()
    server.start()
    box = server.mailbox()
    sink = SmtpSink()
    sink.start()
    texts, run = corpus(), uuid.uuid4().hex[:6]
    name = f"mailbot_queries_{run}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    url = None
    try:
        with box.client() as client:
            for n in range(args.mails):
                raw = personal(texts[n % len(texts)], n, run)
                client.append("INBOX", verified(raw) if args.verified else raw)
        if args.database == "postgresql":
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        root = Path(tempfile.mkdtemp())
        app = bootstrap(make_settings(root, mailbox_url=box.url(), smtp_url=sink.url,
                                      database_url=url,
                                      acknowledge={"rate_limit_count": 1_000_000},
                                      verification={"trusted_authserv_ids":
                                                    [TRUSTED] if args.verified else []}))
        app.daemon.warm_up(settle=True)  # as a worker does: loaded, then frozen
        event.listen(Engine, "before_cursor_execute", statement)
        event.listen(Session, "after_flush", flush)
        event.listen(Session, "after_begin", begun)
        event.listen(Pool, "checkout", checkout)
        lazy = _count_lazy_loads(counts)
        try:
            app.daemon.run_once()
        finally:
            event.remove(Engine, "before_cursor_execute", statement)
            event.remove(Session, "after_flush", flush)
            event.remove(Session, "after_begin", begun)
            event.remove(Pool, "checkout", checkout)
            lazy()
        app.close()
    finally:
        sink.stop()
        server.destroy()
        if url is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print(f"run_once over {args.mails} corpus mails ({len(sink.messages)} messages sent), "
          f"{args.database}, per mail:")
    for name in ("statements", "flushes", "lazy loads", "transactions", "checkouts"):
        print(f"  {name:12} {counts[name] / args.mails:6.2f}")


def _count_lazy_loads(counts: Counter[str]):  # type: ignore[no-untyped-def]
    """Count lazy loads of relationships until the returned function is called."""
    from sqlalchemy.orm import strategies

    loader = strategies._LazyLoader  # (SQLAlchemy has no public hook for a lazy load)
    original = loader._emit_lazyload

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        counts["lazy loads"] += 1
        return original(self, *args, **kwargs)

    loader._emit_lazyload = counted
    return lambda: setattr(loader, "_emit_lazyload", original)


if __name__ == "__main__":
    main()
