"""The key, the database and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from mailbot.check.item import Item, failed, passed
from mailbot.config import Settings
from mailbot.errors import MailbotError
from mailbot.store.crypto import Cipher, load_keys
from mailbot.store.database import Database, sqlite_file
from mailbot.store.engine import head_revision, make_engine

CLOCK_TOLERANCE = timedelta(seconds=60)
EARLIEST = datetime(2025, 1, 1).astimezone()  # a clock before this was reset, not set


def key(settings: Settings) -> tuple[Item, Cipher | None]:
    security = settings.security
    try:
        keys = load_keys(security.key.get_secret_value() if security.key else None,
                         security.key_file)
        cipher = Cipher(keys)
    except MailbotError as exc:
        return failed("key", str(exc), "make one with `mailbot keys generate --out FILE` "
                      "and set security.key_file"), None
    where = f"from {security.key_file}" if not security.key and security.key_file \
        else "from security.key"
    return passed("key", f"{len(keys)} key(s) {where}"), cipher


def database(settings: Settings, cipher: Cipher | None
             ) -> tuple[Item, Database | None, bool]:
    """The item, the database when it answers, and whether its schema is current."""
    item, db = _database(settings, cipher)
    current = db is not None and db.revision() == head_revision()
    return item, db, current


def _database(settings: Settings, cipher: Cipher | None) -> tuple[Item, Database | None]:
    name = "database"
    url = settings.database_url
    file = sqlite_file(url)
    if file is not None and not file.exists():
        if settings.database.auto_migrate:
            return passed(name, f"{file} will be created at start-up"), None
        return failed(name, f"{file} does not exist", "run `mailbot db upgrade`"), None
    if cipher is None:
        return failed(name, "not checked: no usable key", "fix the key first"), None
    try:
        engine = make_engine(url, cipher)
    except MailbotError as exc:
        return failed(name, str(exc), "correct database.url"), None
    db = Database(engine)
    try:
        revision = db.revision()
    except MailbotError as exc:
        db.close()
        return failed(name, str(exc), "start the database server or correct database.url"), \
            None
    shown = engine.url.render_as_string(hide_password=True)
    if revision != head_revision():
        if not settings.database.auto_migrate:
            return failed(name, f"{shown}: schema at {revision}, the code needs "
                          f"{head_revision()}", "run `mailbot db upgrade`"), db
        return passed(name, f"{shown}: schema at {revision}; migrated to "
                      f"{head_revision()} at start-up (database.auto_migrate)"), db
    try:
        opened = db.opens_sealed_values()
    except MailbotError as exc:
        return failed(name, f"{shown}: {exc}", "put the key the data was sealed with in "
                      "security.key (after the new one, comma-separated)"), db
    sealed = "the key opens its sealed values" if opened else "nothing sealed yet"
    return passed(name, f"{shown}: schema current, {sealed}"), db


def clock(settings: Settings, now: Callable[[], datetime], db: Database | None) -> Item:
    name = "clock and timezone"
    zone = ZoneInfo(settings.organisation.timezone)
    ours = now()
    local = ours.astimezone(zone)
    shown = f"{local:%Y-%m-%d %H:%M} {settings.organisation.timezone} ({local:%Z})"
    if ours < EARLIEST:
        return failed(name, f"the system clock says {shown}",
                      "set the system clock (run an NTP client such as systemd-timesyncd)")
    theirs = db.server_time() if db is not None else None
    if theirs is not None and abs(theirs - ours) > CLOCK_TOLERANCE:
        off = abs(theirs - ours).total_seconds()
        return failed(name, f"{shown}, but the database server's clock differs by {off:.0f} s",
                      "synchronise both clocks with NTP: deadlines are computed from them")
    compared = "; agrees with the database server" if theirs is not None else ""
    return passed(name, f"{shown}{compared}")
