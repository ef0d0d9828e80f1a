"""A large raw mail goes into SQLite piece by piece, and comes out so (issue 12, memory).

Bound as a parameter, a value is copied by SQLite twice (the bound copy and the record it
builds) after Fernet sealed it: a 34 MiB mail cost about five times its size. Here the row
is inserted without it, given an empty blob of the sealed size, and the sealed token is
written into that blob as it is made: the mail costs about its own size. The token is the
same Fernet token as ever: reading the column opens it as usual. Other databases, and small
mails, take the ordinary path.

Read back, the token is opened the same way (``load``): from the blob, a piece at a time,
into the one buffer the mail ends in, instead of SQLite's copy of the token, Python's copy of
that, and the copies Fernet makes while opening it (about five times the mail).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Mapper, object_session
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


def _large_on_sqlite(connection: Any, raw: object) -> bool:
    return (connection.dialect.name == "sqlite" and isinstance(raw, bytes | bytearray)
            and len(raw) > LARGE)


@event.listens_for(RawMail, "before_insert")
def _hold_back(_mapper: Mapper[Any], connection: Any, target: RawMail) -> None:
    if _HELD in target.__dict__:  # held by a flush that failed: this one tries again
        return
    if _large_on_sqlite(connection, target.raw):
        target.__dict__[_HELD] = target.raw
        target.raw = b""  # the column is NOT NULL: the blob is made right after


@event.listens_for(RawMail, "after_insert")
def _write_in_pieces(_mapper: Mapper[Any], connection: Any, target: RawMail) -> None:
    raw = target.__dict__.pop(_HELD, None)
    if raw is None:
        return
    connection.execute(text("UPDATE raw_mail SET raw = zeroblob(:size) WHERE id = :id"),
                       {"size": sealed_size(len(raw)), "id": target.id})
    sqlite = connection.connection.dbapi_connection
    with sqlite.blobopen("raw_mail", "raw", target.id) as blob:
        seal_in_pieces(cipher_of(connection.engine).first_key, raw, blob.write)
    set_committed_value(target, "raw", raw)  # what the row holds, once opened


def load(raw_mail: RawMail) -> None:
    """Load ``raw_mail.raw`` (deferred): on SQLite from its blob in pieces, elsewhere (or
    without a session) as the column loads."""
    if _on_sqlite(raw_mail):
        set_committed_value(raw_mail, "raw", _from_blob(raw_mail, owned=False))
    else:
        raw_mail.raw  # noqa: B018  # the deferred column loads on access


def owned_copy(raw_mail: RawMail) -> bytes | bytearray:
    """The raw mail for a reader that may change it (the parser): a large mail on SQLite not
    yet loaded comes from its blob into a buffer of its own, which the record does not keep,
    so that the mail is held once, not twice; otherwise the record's bytes."""
    if "raw" in raw_mail.__dict__ or not _on_sqlite(raw_mail):
        return raw_mail.raw
    return _from_blob(raw_mail, owned=True)


def _on_sqlite(raw_mail: RawMail) -> bool:
    session = object_session(raw_mail)
    return session is not None and session.get_bind().dialect.name == "sqlite"


def _from_blob(raw_mail: RawMail, *, owned: bool) -> bytes | bytearray:
    session = object_session(raw_mail)
    assert session is not None
    connection = session.connection()
    sqlite = connection.connection.dbapi_connection
    with sqlite.blobopen("raw_mail", "raw", raw_mail.id, readonly=True) as blob:
        length = len(blob)
        if length <= sealed_size(LARGE):
            return cipher_of(connection.engine).open(blob.read())

        def read(offset: int, size: int) -> bytes:
            blob.seek(offset)
            return blob.read(size)

        opener = open_into_buffer if owned else open_in_pieces
        return opener(cipher_of(connection.engine).keys, length, read)


RawMail.loader = load
