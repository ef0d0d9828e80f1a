"""Growth benchmark: does mailbot slow down as the stored volume grows?

1. Ingest ``--mails`` request mails through the real ingest path (parse, classify, seal,
   commit, queue the acknowledgement) into an empty database: the empty rate.
2. Seed ``--seed`` stored requests in bulk (mail, request, acknowledgement and reply, drafts,
   timeline), most closed over the past two years, ``--open`` of them open and due within
   the coming month, as after a breach-notice flood.
3. Ingest ``--mails`` more: the rate with the volume stored.
4. Measure, with the volume stored, the console queue page (over HTTP, signed in), one page
   of ``mailbot requests list --json --limit 100``, the deadline scan, the digest's
   contents and the retention pass: wall time and database time (the time spent inside the
   database driver), and with ``--explain`` the query plan of each statement they ran
   (SQLite ``EXPLAIN QUERY PLAN``, PostgreSQL ``EXPLAIN ANALYZE``).

Each run uses its own SQLite file or its own PostgreSQL database (``growth_<random>``),
dropped afterwards, so the tests' databases are never touched.

    .venv/bin/python bench/growth.py [--seed 100000] [--open 0.2] [--mails 1000]
                                     [--postgresql] [--explain] [--top 5]
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import random
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx2
from sqlalchemy import create_engine, event, insert, text

from mailbot.bootstrap import App, bootstrap
from mailbot.console.app import create_app
from mailbot.console.server import ConsoleServer
from mailbot.deadlines import digest, reminders, retention
from mailbot.domain.calendar import target_date
from mailbot.domain.deadline import due_date
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import CLOSED_STATUSES, RequestStatus
from mailbot.mailbox import FetchedMessage
from mailbot.service import users
from mailbot.store import views
from mailbot.store.models import Draft, Event, InboundMail, OutboxMessage, Request
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
KINDS = (RequestKind.ACCESS, RequestKind.UNSUBSCRIBE, RequestKind.ERASURE,
         RequestKind.ACCESS, RequestKind.ERASURE, RequestKind.CORRECTION)
OPEN_MIX = ((RequestStatus.ACKNOWLEDGED, 50), (RequestStatus.AWAITING_APPROVAL, 25),
            (RequestStatus.AWAITING_VERIFICATION, 15), (RequestStatus.TRIAGE, 5),
            (RequestStatus.AWAITING_STEPS, 5))
CLOSED_MIX = ((RequestStatus.DONE, 85), (RequestStatus.UNVERIFIED, 7),
              (RequestStatus.CLOSED, 5), (RequestStatus.REJECTED, 3))
STAFF = ("Staff", "a long enough password")
ZONE = ZoneInfo("Europe/Amsterdam")


class Profile:
    """Database time per statement shape (literals and numbers folded away), and the last
    statement of each shape with its parameters, for EXPLAIN."""

    def __init__(self, engine: Any) -> None:
        self.time: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.sample: dict[str, tuple[str, Any]] = {}
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, _cursor: Any, *_: Any) -> None:
        conn.info.setdefault("started", []).append(time.perf_counter())

    def _after(self, conn: Any, _cursor: Any, statement: str, parameters: Any,
               *_: Any) -> None:
        spent = time.perf_counter() - conn.info["started"].pop()
        shape = re.sub(r"\s+", " ", re.sub(r"\b\d+\b", "N", statement))
        self.time[shape] += spent
        self.calls[shape] += 1
        self.sample[shape] = (statement, parameters)

    def reset(self) -> None:
        self.time.clear()
        self.calls.clear()
        self.sample.clear()

    def total(self) -> float:
        return sum(self.time.values())

    def top(self, n: int) -> list[tuple[str, float, int]]:
        return [(s, t, self.calls[s]) for s, t in self.time.most_common(n)]


@contextmanager
def database(postgresql: bool, root: Path, role: str) -> Iterator[str]:
    if not postgresql:
        yield f"sqlite:///{root / f'{role}.db'}"
        return
    name = f"growth_{role}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ingest(app: App, first: int, count: int) -> float:
    """Mails ``first`` .. ``first + count`` through the ingest path; mails per second."""
    raws = [mail(WORDINGS[n % len(WORDINGS)] + f" (nr. {n})",
                 sender=f"Persoon {n} <p{n}@example.org>") for n in range(first, first + count)]
    started = time.perf_counter()
    for n, raw in enumerate(raws, start=first):
        app.ingestor.ingest(FetchedMessage(raw=raw, mailbox="bench", uidvalidity=1,
                                           uid=str(n), internaldate=datetime.now(UTC),
                                           size=len(raw)))
    return count / (time.perf_counter() - started)


def _pick(mix: tuple[tuple[RequestStatus, int], ...], rng: random.Random) -> RequestStatus:
    return rng.choices([s for s, _ in mix], weights=[w for _, w in mix])[0]


def _next_ids(app: App) -> dict[str, int]:
    with app.database.engine.connect() as c:
        return {table: (c.scalar(text(f"SELECT max(id) FROM {table}")) or 0) + 1
                for table in ("inbound_mail", "request", "outbox", "draft", "event")}


def seed(app: App, count: int, open_share: float, now: datetime, batch: int = 5_000) -> None:
    """``count`` stored requests with what handling them left behind, in bulk inserts (the
    sealed columns are sealed as usual)."""
    rng = random.Random(12)
    ids = _next_ids(app)
    raw = mail("Stuur me een overzicht van mijn gegevens.", sender="seed@example.org")
    opened = int(count * open_share)
    for start in range(0, count, batch):
        rows: dict[Any, list[dict[str, Any]]] = {
            InboundMail: [], Request: [], OutboxMessage: [], Draft: [], Event: []}
        for n in range(start, min(start + batch, count)):
            is_open = n >= count - opened
            if is_open:  # the flood: arrived in the past month, due in the coming one
                received = now - timedelta(days=rng.uniform(0, 30))
                status = _pick(OPEN_MIX, rng)
            else:
                received = now - timedelta(days=rng.uniform(40, 730))
                status = _pick(CLOSED_MIX, rng)
            mail_id, request_id = ids["inbound_mail"] + n, ids["request"] + n
            sender = f"s{n}@example.org"
            due = due_date(received.astimezone(ZONE))
            kind = KINDS[n % len(KINDS)]
            key = hashlib.sha256(f"seed-{n}".encode()).hexdigest()
            rows[InboundMail].append(dict(
                id=mail_id, mailbox="INBOX", uidvalidity=1, uid=f"seed-{n}",
                message_id=f"<seed-{n}@mail.example.org>", dedup_key=key, raw_sha256=key,
                raw_size=len(raw), raw=raw, body_text=WORDINGS[n % len(WORDINGS)],
                subject="Mijn gegevens", sender=sender, sender_name=f"Persoon {n}",
                received_at=received, fetched_at=received, disposition="request",
                language="nl", special_included=False))
            closed = status in CLOSED_STATUSES
            closed_at = received + timedelta(days=rng.uniform(1, 25)) if closed else None
            # closed over a year ago: the retention purge has been through it
            purged = closed_at + timedelta(days=365) if closed_at and closed_at < (
                now - timedelta(days=365)) else None
            if purged:
                rows[InboundMail][-1].update(raw=None, body_text="[purged]", subject=None,
                                             sender_name=None, purged_at=purged)
            rows[Request].append(dict(
                id=request_id, reference=f"MB-{received.year}-S{n:06d}", inbound_id=mail_id,
                kind=kind, status=status, language="nl", sender=sender,
                subject="Mijn gegevens", received_at=received, due_at=due, confidence=0.9,
                triage=status == RequestStatus.TRIAGE, child=False,
                closed_at=closed_at, purged_at=purged, created_at=received,
                updated_at=received, target_at=target_date(due, 5),
                extended_months=0))
            outbox_id = ids["outbox"] + 2 * n
            rows[OutboxMessage].append(dict(
                id=outbox_id, message_id=f"<ack-{n}@example.org>", purpose="acknowledgement",
                inbound_id=mail_id, request_id=None, envelope_from="privacy@example.org",
                recipient=sender,
                message=None if purged else b"Subject: Ontvangen\r\n\r\nOntvangen.",
                status="sent", attempts=1, next_attempt_at=received, created_at=received,
                sent_at=received))
            events = [("received", None), ("acknowledged", outbox_id)]
            draft_id = ids["draft"] + n
            if closed or status == RequestStatus.AWAITING_APPROVAL:
                rows[Draft].append(dict(
                    id=draft_id, request_id=request_id, purpose="reply", language="nl",
                    recipient=sender, subject="Uw verzoek", body="Hierbij uw gegevens.",
                    status="sent" if closed else "pending_approval", needs_approval=True,
                    personal_data=True, auto_submitted=False, version=1,
                    created_at=received, updated_at=received,
                    decided_by="Staff" if closed else None,
                    decided_at=received if closed else None,
                    outbox_id=outbox_id + 1 if closed else None))
            if closed:
                rows[OutboxMessage].append(dict(
                    id=outbox_id + 1, message_id=f"<reply-{n}@example.org>",
                    purpose=f"draft.{draft_id}", inbound_id=mail_id, request_id=request_id,
                    envelope_from="privacy@example.org", recipient=sender,
                    message=None if purged else b"Subject: Uw verzoek\r\n\r\nHierbij.",
                    status="sent", attempts=1,
                    next_attempt_at=received, created_at=received, sent_at=received))
                events += [("approved", None), ("sent", outbox_id + 1), ("closed", None)]
            for action, outbox in events:
                rows[Event].append(dict(at=received, actor="mailbot", action=action,
                                        inbound_id=mail_id, request_id=request_id,
                                        outbox_id=outbox, detail={"seeded": True}))
        with app.uow() as uow:
            for model in (InboundMail, Request, OutboxMessage, Draft, Event):
                if rows[model]:
                    uow.session.execute(insert(model), rows[model])
            uow.commit()
    engine = app.database.engine
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            for table in ("inbound_mail", "request", "outbox", "draft", "event"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))"))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("ANALYZE"))  # what autovacuum does soon after a bulk load


@contextmanager
def console(app: App) -> Iterator[httpx2.Client]:
    server = ConsoleServer(create_app(app), "127.0.0.1:0")
    server.start()
    try:
        with httpx2.Client(base_url=server.url, timeout=60) as client:
            page = client.get("/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            signed_in = client.post("/login", data={
                "name": STAFF[0], "password": STAFF[1], "next": "/queue",
                "csrf_token": token})
            assert signed_in.status_code == 303, signed_in.text
            yield client
    finally:
        server.stop()


def show_top(profile: Profile, name: str, top: int) -> None:
    print(f"{name}: {profile.total():.2f} s database")
    for shape, spent, calls in profile.top(top):
        print(f"    {spent * 1e3:8.1f} ms {calls:>6}x  {shape[:150]}")


def explain(app: App, statement: str, parameters: Any) -> list[str]:
    engine = app.database.engine
    with engine.connect() as c:
        raw = c.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            lines = [str(row[-1]) for row in cursor.fetchall()]
        else:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS OFF) {statement}", parameters)
            lines = [str(row[0]) for row in cursor.fetchall()]
        cursor.close()
        c.rollback()
    return lines


def measure(app: App, profile: Profile, name: str, action: Callable[[], Any],
            *, top: int, plans: bool, repeat: int = 3) -> tuple[float, float]:
    """The best of ``repeat`` runs: wall time and database time, in seconds."""
    best: tuple[float, float] | None = None
    for _ in range(repeat):
        profile.reset()
        started = time.perf_counter()
        action()
        wall = time.perf_counter() - started
        if best is None or wall < best[0]:
            best = (wall, profile.total())
            shapes = profile.top(top)
            samples = dict(profile.sample)
    assert best is not None
    print(f"{name:<22} {best[0] * 1e3:>9.1f} ms wall {best[1] * 1e3:>9.1f} ms database")
    for shape, spent, calls in shapes:
        print(f"    {spent * 1e3:8.1f} ms {calls:>6}x  {shape[:150]}")
        if plans and shape.lstrip().upper().startswith("SELECT"):
            statement, parameters = samples[shape]
            for line in explain(app, statement, parameters):
                print(f"                        | {line}")
    return best


def start(root: Path, url: str) -> App:
    settings = make_settings(root, mailbox_url="maildir:///nonexistent",
                             smtp_url="smtp://127.0.0.1:1", database_url=url,
                             acknowledge={"rate_limit_count": 1_000_000},
                             deadlines={"staff_address": "team@example.org",
                                        "digest_time": "00:00"})
    app = bootstrap(settings)
    users.add(app.service, STAFF[0], "admin", STAFF[1], by=None)
    return app


def compare_ingest(empty: App, grown: App, mails: int, rounds: int, top: int) -> None:
    """Ingest rate into both databases, in alternating rounds so that whatever else the
    machine does weighs on both alike."""
    profiles = {name: Profile(app.database.engine)
                for name, app in (("empty", empty), ("grown", grown))}
    spent = Counter[str]()
    cpu = Counter[str]()
    database_time = Counter[str]()
    chunk = mails // rounds
    for n in range(rounds):
        order = [("empty", empty), ("grown", grown)]
        for name, app in order if n % 2 == 0 else reversed(order):
            profiles[name].reset()
            first = 1_000_000 * (name == "grown") + 300 + n * chunk
            started = time.process_time()
            spent[name] += chunk / ingest(app, first, chunk)
            cpu[name] += time.process_time() - started
            database_time[name] += profiles[name].total()
    for name in ("empty", "grown"):
        print(f"ingest into the {name} database: {rounds * chunk / spent[name]:.1f} mails/s, "
              f"{rounds * chunk / cpu[name]:.1f} mails per CPU second, "
              f"{database_time[name] / (rounds * chunk) * 1e3:.2f} ms database per mail "
              "(statements of the last round:)")
        for shape, time_spent, calls in profiles[name].top(top):
            print(f"    {time_spent * 1e3:8.1f} ms {calls:>6}x  {shape[:150]}")
    print(f"ingest with the volume stored: {(spent['empty'] / spent['grown'] - 1) * 100:+.1f}% "
          f"of the empty rate ({(cpu['empty'] / cpu['grown'] - 1) * 100:+.1f}% in CPU time)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=100_000, help="stored requests to add")
    ap.add_argument("--open", type=float, default=0.2, help="share of them still open")
    ap.add_argument("--mails", type=int, default=1_000,
                    help="mails ingested into each (0: measure the reads only)")
    ap.add_argument("--rounds", type=int, default=10, help="alternations of the ingest")
    ap.add_argument("--postgresql", action="store_true")
    ap.add_argument("--explain", action="store_true", help="print the plan of each query")
    ap.add_argument("--top", type=int, default=5, help="statements shown per measurement")
    args = ap.parse_args()
    logging.disable(logging.WARNING)
    now = datetime.now(UTC)
    with (tempfile.TemporaryDirectory() as tmp,
          database(args.postgresql, Path(tmp), "empty") as empty_url,
          database(args.postgresql, Path(tmp), "grown") as grown_url):
        empty = start(Path(tmp) / "empty", empty_url)
        app = start(Path(tmp) / "grown", grown_url)
        print(f"database: {app.database.engine.dialect.name}; seed {args.seed} requests "
              f"({args.open:.0%} open); {args.mails} mails ingested into each database")
        started = time.perf_counter()
        seed(app, args.seed, args.open, now)
        print(f"seeded {args.seed} requests in {time.perf_counter() - started:.0f} s")
        if args.mails:
            for warm in (empty, app):  # templates compiled, caches filled
                ingest(warm, 2_000_000 + 1_000_000 * (warm is app), 300)
            compare_ingest(empty, app, args.mails, args.rounds, args.top)
        empty.close()
        profile = Profile(app.database.engine)
        jobs = app.daemon.jobs
        assert jobs is not None
        with console(app) as client:
            def queue_page() -> None:
                assert client.get("/queue").status_code == 200

            def queue_last_page() -> None:
                assert client.get("/queue", params={"status": "all",
                                                    "page": "40"}).status_code == 200

            def list_page() -> None:
                with app.uow() as uow:
                    rows = views.requests(uow.repo, limit=100, offset=0)
                assert len(rows) == 100

            def deadline_scan() -> None:
                reminders.scan(jobs, datetime.now(UTC))

            def digest_contents() -> None:
                today = datetime.now(ZONE).date()
                with app.uow() as uow:
                    digest.contents(jobs, uow.repo, today, now - timedelta(days=1))

            def retention_pass() -> None:
                with app.uow() as uow:
                    retention.purge(uow, app.settings, datetime.now(UTC), dry_run=True)

            for name, action in (("queue page (HTTP)", queue_page),
                                 ("queue page 40 (HTTP)", queue_last_page),
                                 ("requests list page", list_page),
                                 ("deadline scan", deadline_scan),
                                 ("digest contents", digest_contents),
                                 ("retention (dry run)", retention_pass)):
                measure(app, profile, name, action, top=args.top, plans=args.explain)
        app.close()


if __name__ == "__main__":
    main()
