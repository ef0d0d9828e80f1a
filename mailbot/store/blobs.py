"""A large raw mail goes into SQLite or PostgreSQL piece by piece, and comes out so (issue 12,
memory).

Bound as a parameter, a value is copied by SQLite twice (the bound copy and the record it
builds) after Fernet sealed it: a 34 MiB mail cost about five times its size. Here the row
is inserted without it, given an empty blob of the sealed size, and the sealed token is
written into that blob as it is made: the mail costs about its own size. The token is the
same Fernet token as ever: reading the column opens it as usual. On PostgreSQL the row is
copied in again (``COPY``), the token streamed into it as it is made: appended with
``raw || piece`` instead, each piece rewrote the value so far. Other databases, and small
mails, take the ordinary path.

Read back, the token is opened the same way (``load``): from the blob (on PostgreSQL with
``substring``), a piece at a time, into the one buffer the mail ends in, instead of the
database's copy of the token, Python's copy of that, and the copies Fernet makes while
opening it (about five times the mail).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Mapper, Session, object_session
from sqlalchemy.orm.attributes import set_committed_value

from mailbot.store.crypto import (
    LARGE,
    cipher_of,
    open_in_pieces,
    open_into_buffer,
    seal_in_pieces,
    sealed_size,
)
from mailbot.store.models import RawMail

_HELD = "_mailbot_raw_held"
_PIECEWISE = frozenset({"sqlite", "postgresql"})  # databases a large raw mail goes in pieces to


def _large(connection: Any, raw: object) -> bool:
    return (connection.dialect.name in _PIECEWISE
            and isinstance(raw, bytes | bytearray) and len(raw) > LARGE)


@event.listens_for(RawMail, "before_insert")
def _hold_back(_mapper: Mapper[Any], connection: Any, target: RawMail) -> None:
    if _HELD in target.__dict__:  # held by a flush that failed: this one tries again
        return
    if _large(connection, target.raw):
        target.__dict__[_HELD] = target.raw
        target.raw = b""  # the column is NOT NULL: the token is written right after


@event.listens_for(RawMail, "after_insert")
def _write_in_pieces(_mapper: Mapper[Any], connection: Any, target: RawMail) -> None:
    raw = target.__dict__.pop(_HELD, None)
    if raw is None:
        return
    key = cipher_of(connection.engine).first_key
    if connection.dialect.name == "sqlite":
        connection.execute(text("UPDATE raw_mail SET raw = zeroblob(:size) WHERE id = :id"),
                           {"size": sealed_size(len(raw)), "id": target.id})
        sqlite = connection.connection.dbapi_connection
        with sqlite.blobopen("raw_mail", "raw", target.id) as blob:
            seal_in_pieces(key, raw, blob.write)
    else:  # PostgreSQL: the row copied in again, its token streamed (never bound whole)
        connection.execute(text("DELETE FROM raw_mail WHERE id = :id"), {"id": target.id})
        with (connection.connection.dbapi_connection.cursor() as cursor,
              cursor.copy("COPY raw_mail (id, raw) FROM STDIN") as copy):
            # url-safe base64: nothing in a token is special to COPY's text format or to
            # bytea's escape format, so the token goes as it is made
            copy.write(f"{target.id}\t".encode("ascii"))
            seal_in_pieces(key, raw, copy.write)
            copy.write(b"\n")
    set_committed_value(target, "raw", raw)  # what the row holds, once opened


def load(raw_mail: RawMail) -> None:
    """Load ``raw_mail.raw`` (deferred): on SQLite and PostgreSQL a large one in pieces,
    elsewhere (or without a session) as the column loads."""
    value = _in_pieces(raw_mail, owned=False)
    if value is None:
        raw_mail.raw  # noqa: B018  # the deferred column loads on access
    else:
        set_committed_value(raw_mail, "raw", value)


def owned_copy(raw_mail: RawMail) -> bytes | bytearray:
    """The raw mail for a reader that may change it (the parser): a large mail not yet
    loaded comes from the database into a buffer of its own, which the record does not keep,
    so that the mail is held once, not twice; otherwise the record's bytes."""
    if "raw" in raw_mail.__dict__:
        return raw_mail.raw
    value = _in_pieces(raw_mail, owned=True)
    return raw_mail.raw if value is None else value


def small_ones(session: Session, raw_mails: Sequence[RawMail]) -> None:
    """Load the raw bytes of those of ``raw_mails`` that are not large, in one query (a
    large one is read in pieces when it is asked for)."""
    wanted = {r.id: r for r in raw_mails if "raw" not in r.__dict__}
    if not wanted:
        return
    for raw_id, value in session.execute(
            select(RawMail.id, RawMail.raw).where(
                RawMail.id.in_(wanted), func.octet_length(RawMail.raw) <= sealed_size(LARGE))):
        set_committed_value(wanted[raw_id], "raw", value)


def _in_pieces(raw_mail: RawMail, *, owned: bool) -> bytes | bytearray | None:
    """The raw mail opened from the database in pieces, or None where it loads as a column
    (no session, another database)."""
    session = object_session(raw_mail)
    dialect = session.get_bind().dialect.name if session is not None else None
    if session is None or dialect not in _PIECEWISE:
        return None
    connection = session.connection()
    cipher = cipher_of(connection.engine)
    opener = open_into_buffer if owned else open_in_pieces
    if dialect == "postgresql":
        length = connection.scalar(text("SELECT octet_length(raw) FROM raw_mail WHERE id = :id"),
                                   {"id": raw_mail.id})
        if length is None or length <= sealed_size(LARGE):
            return None

        # psycopg, binary: a piece comes as its bytes, not as hex text twice its size
        with connection.connection.dbapi_connection.cursor() as cursor:

            def read_slice(offset: int, size: int) -> bytes:
                cursor.execute("SELECT substring(raw FROM %s FOR %s) FROM raw_mail "
                               "WHERE id = %s", (offset + 1, size, raw_mail.id), binary=True)
                row = cursor.fetchone()
                return bytes(row[0]) if row else b""

            return opener(cipher.keys, length, read_slice)
    sqlite = connection.connection.dbapi_connection
    with sqlite.blobopen("raw_mail", "raw", raw_mail.id, readonly=True) as blob:
        length = len(blob)
        if length <= sealed_size(LARGE):
            return cipher.open(blob.read())

        def read(offset: int, size: int) -> bytes:
            blob.seek(offset)
            return blob.read(size)

        return opener(cipher.keys, length, read)


RawMail.loader = load
