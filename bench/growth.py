"""Growth benchmark: does ingest, the idle pass and the request list slow down as the stored
volume grows? Mails go through the real ingest path (parse, classify, seal, commit, queue
the acknowledgement) in chunks; after each chunk the script prints the chunk's rate, the
time of one idle pass (deadline jobs and due deliveries, with SMTP down), of one page of
the request list and of the queue counts, and the statements that took most database time.

    .venv/bin/python bench/growth.py [--mails 20000] [--chunk 2000] [--postgresql]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, event, text

from mailbot.bootstrap import bootstrap
from mailbot.mailbox import FetchedMessage
from tests.harness.app import make_settings
from tests.harness.database import PG_ADMIN_URL
from tests.harness.mails import mail

WORDINGS = (
    "Stuur me een overzicht van mijn gegevens.",
    "Haal me van de nieuwsbrief af.",
    "Verwijder al mijn gegevens uit jullie systemen.",
    "Please send me a copy of all personal data you hold about me.",
    "Bitte löschen Sie alle meine Daten.",
    "Mijn nieuwe adres is Dorpsstraat 1, 1234 AB Ergens. Graag aanpassen.",
)


class Profile:
    """Database time per statement shape (literals and numbers folded away)."""

    def __init__(self, engine: Any) -> None:
        self.time: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, _cursor: Any, *_: Any) -> None:
        conn.info.setdefault("started", []).append(time.perf_counter())

    def _after(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        spent = time.perf_counter() - conn.info["started"].pop()
        shape = re.sub(r"\s+", " ", re.sub(r"\b\d+\b", "N", statement))[:150]
        self.time[shape] += spent
        self.calls[shape] += 1

    def reset(self) -> None:
        self.time.clear()
        self.calls.clear()

    def top(self, n: int) -> list[tuple[str, float, int]]:
        return [(s, t, self.calls[s]) for s, t in self.time.most_common(n)]


@contextmanager
def database(postgresql: bool, root: Path) -> Iterator[str]:
    if not postgresql:
        yield f"sqlite:///{root / 'growth.db'}"
        return
    name = f"growth_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def timed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mails", type=int, default=20_000)
    ap.add_argument("--chunk", type=int, default=2_000)
    ap.add_argument("--postgresql", action="store_true")
    ap.add_argument("--top", type=int, default=6, help="statements shown per chunk")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database(args.postgresql, Path(tmp)) as url:
        settings = make_settings(Path(tmp), mailbox_url="maildir:///nonexistent",
                                 smtp_url="smtp://127.0.0.1:1", database_url=url,
                                 acknowledge={"rate_limit_count": 1_000_000})
        app = bootstrap(settings)
        profile = Profile(app.database.engine)
        jobs = app.daemon.jobs
        print(f"database: {'PostgreSQL' if args.postgresql else 'SQLite'}; "
              f"{args.mails} mails in chunks of {args.chunk}")
        print(f"{'stored':>8} {'mails/s':>8} {'idle pass':>10} {'list page':>10} "
              f"{'counts':>8}")
        n = 0
        while n < args.mails:
            raws = [mail(WORDINGS[(n + i) % len(WORDINGS)] + f" (nr. {n + i})",
                         sender=f"Persoon {n + i} <p{n + i}@example.org>")
                    for i in range(args.chunk)]
            profile.reset()
            started = time.perf_counter()
            for i, raw in enumerate(raws):
                app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="bench", uidvalidity=1,
                                                   uid=str(n + i),
                                                   internaldate=datetime.now(UTC),
                                                   size=len(raw)))
            rate = args.chunk / (time.perf_counter() - started)
            ingest_top = profile.top(args.top)
            n += args.chunk
            profile.reset()
            idle = timed(lambda: (jobs.run_all() if jobs else None, app.daemon.deliver()))
            idle_top = profile.top(3)
            with app.uow() as uow:
                page = timed(lambda: uow.repo.requests.list(limit=100))
                counts = timed(lambda: uow.repo.requests.counts(datetime.now(UTC).date()))
            print(f"{n:>8} {rate:>8.0f} {idle:>9.2f}s {page * 1e3:>8.1f}ms "
                  f"{counts * 1e3:>6.1f}ms")
            for shape, spent, calls in ingest_top:
                print(f"           ingest {spent:7.2f}s {calls:>6}x  {shape}")
            for shape, spent, calls in idle_top:
                print(f"           idle   {spent:7.2f}s {calls:>6}x  {shape}")
        app.close()


if __name__ == "__main__":
    main()
