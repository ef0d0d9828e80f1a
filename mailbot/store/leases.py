"""The mailbox lease: several workers on one PostgreSQL database, one of them fetching a
mailbox at a time. The holder renews the lease while it works; when it stops (killed, cut
off from the database), the lease runs out and another worker takes the mailbox over. The
times are the database server's, so the workers' clocks need not agree.

Holding the lease saves work, it does not guard correctness: a mail is recorded once per
(mailbox, UIDVALIDITY, UID) and handled once per Message-ID whoever fetches it. SQLite is one
process: there the lease is always held."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid

from sqlalchemy import delete, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from mailbot.errors import StoreError
from mailbot.store.models import MailboxLease, WorkerBeat

log = logging.getLogger(__name__)

# Taken when free, expired or ours; the row comes back only when we hold it now.
_HOLD = text("""
INSERT INTO mailbox_lease (mailbox, holder, expires_at, acquired_at)
VALUES (:mailbox, :holder, clock_timestamp() + make_interval(secs => :seconds),
        clock_timestamp())
ON CONFLICT (mailbox) DO UPDATE
SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
    acquired_at = CASE WHEN mailbox_lease.holder = EXCLUDED.holder
                       THEN mailbox_lease.acquired_at ELSE EXCLUDED.acquired_at END
WHERE mailbox_lease.holder = EXCLUDED.holder OR mailbox_lease.expires_at < clock_timestamp()
RETURNING acquired_at""")


_BEAT = text("""
INSERT INTO worker_beat (holder, beat_at, started_at)
VALUES (:holder, clock_timestamp(), clock_timestamp())
ON CONFLICT (holder) DO UPDATE SET beat_at = EXCLUDED.beat_at""")
_LIVE = text("""
SELECT count(*) FROM worker_beat
WHERE beat_at > clock_timestamp() - make_interval(secs => :seconds)""")


def worker_id() -> str:
    """This process, as the lease names its holder: host, process id and a random tag."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease:
    """One worker's claim on one mailbox."""

    def __init__(self, engine: Engine, mailbox: str, seconds: float,
                 holder: str | None = None) -> None:
        self.engine = engine
        self.mailbox = mailbox
        self.seconds = seconds
        self.holder = holder or worker_id()
        self.shared = engine.dialect.name == "postgresql"
        self.held = not self.shared
        self._renewed = 0.0  # time.monotonic() of the last successful renewal

    @property
    def renew_every(self) -> float:
        return self.seconds / 3

    def hold(self) -> bool:
        """Take the lease when it is free or has run out, renew it when it is ours; whether
        this worker holds it now. StoreError when the database does not answer."""
        if not self.shared:
            return True
        started = time.monotonic()
        try:
            with self.engine.begin() as connection:
                row = connection.execute(_HOLD, {"mailbox": self.mailbox, "holder": self.holder,
                                                 "seconds": self.seconds}).first()
        except SQLAlchemyError as exc:
            self.held = False
            raise StoreError(f"database error renewing the mailbox lease: {exc}") from exc
        held = row is not None
        if held and not self.held:
            log.info("this worker (%s) now fetches %s", self.holder, self.mailbox)
        elif self.held and not held:
            log.warning("another worker took over %s", self.mailbox)
        self.held = held
        if held:
            self._renewed = started
        return held

    def keep(self) -> bool:
        """During long work: renew when a third of the lease time has passed; whether the
        lease is (still) ours."""
        if not self.shared:
            return True
        if self.held and time.monotonic() - self._renewed < self.renew_every:
            return True
        return self.hold()

    def release(self) -> None:
        """Give the lease up (on a clean stop), so another worker need not wait it out."""
        if not self.shared or not self.held:
            return
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(MailboxLease).where(
                    MailboxLease.mailbox == self.mailbox, MailboxLease.holder == self.holder))
        except SQLAlchemyError as exc:
            log.warning("could not give up the lease of %s: %s", self.mailbox, exc)
        self.held = False


def current_holder(engine: Engine, mailbox: str) -> str | None:
    """Who holds (or last held) the lease of ``mailbox``."""
    with engine.connect() as connection:
        return connection.scalar(select(MailboxLease.holder)
                                 .where(MailboxLease.mailbox == mailbox))


class Crew:
    """The live workers on one database, as one of them sees it: it beats (every third of
    the lease time, like a lease renewal), and a worker that has not beaten for a lease time
    is gone. SQLite is one process: there the crew is this worker alone."""

    def __init__(self, engine: Engine, holder: str, seconds: float) -> None:
        self.engine = engine
        self.holder = holder
        self.seconds = seconds
        self.shared = engine.dialect.name == "postgresql"
        self._live = 1
        self._beaten = 0.0  # time.monotonic() of the last beat
        self._lock = threading.Lock()  # the fetch threads ask at once

    def live(self) -> int:
        """How many workers are live, this one included; beats when a third of the lease
        time has passed since the last beat. StoreError when the database does not answer."""
        if not self.shared:
            return 1
        with self._lock:
            return self._beat()

    def _beat(self) -> int:
        now = time.monotonic()
        if now - self._beaten < self.seconds / 3:
            return self._live
        try:
            with self.engine.begin() as connection:
                connection.execute(_BEAT, {"holder": self.holder})
                self._live = max(1, int(connection.execute(
                    _LIVE, {"seconds": self.seconds}).scalar() or 1))
        except SQLAlchemyError as exc:
            raise StoreError(f"database error saying this worker is alive: {exc}") from exc
        self._beaten = now
        return self._live

    def leave(self) -> None:
        """On a clean stop: the others need not wait a lease time to count without us."""
        if not self.shared:
            return
        try:
            with self.engine.begin() as connection:
                connection.execute(delete(WorkerBeat).where(WorkerBeat.holder == self.holder))
        except SQLAlchemyError as exc:
            log.warning("could not say this worker stopped: %s", exc)


def holders(engine: Engine) -> dict[str, tuple[str, object]]:
    """Each leased mailbox (its source name) with its holder and when the lease runs out."""
    with engine.connect() as connection:
        rows = connection.execute(select(MailboxLease.mailbox, MailboxLease.holder,
                                         MailboxLease.expires_at)).all()
    return {mailbox: (holder, expires) for mailbox, holder, expires in rows}
