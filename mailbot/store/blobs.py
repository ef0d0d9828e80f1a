"""A large raw mail goes into SQLite piece by piece (issue 12, memory).

Bound as a parameter, a value is copied by SQLite twice (the bound copy and the record it
builds) after Fernet sealed it: a 34 MiB mail cost about five times its size. Here the row
is inserted without it, given an empty blob of the sealed size, and the sealed token is
written into that blob as it is made: the mail costs about its own size. The token is the
same Fernet token as ever: reading the column opens it as usual. Other databases, and small
mails, take the ordinary path.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import set_committed_value

from mailbot.store.crypto import LARGE, cipher_of, seal_in_pieces, sealed_size
from mailbot.store.models import InboundMail

_HELD = "_mailbot_raw_held"


def _large_on_sqlite(connection: Any, raw: object) -> bool:
    return (connection.dialect.name == "sqlite" and isinstance(raw, bytes | bytearray)
            and len(raw) > LARGE)


@event.listens_for(InboundMail, "before_insert")
def _hold_back(_mapper: Mapper[Any], connection: Any, target: InboundMail) -> None:
    if _HELD in target.__dict__:  # held by a flush that failed: this one tries again
        return
    if _large_on_sqlite(connection, target.raw):
        target.__dict__[_HELD] = target.raw
        target.raw = None


@event.listens_for(InboundMail, "after_insert")
def _write_in_pieces(_mapper: Mapper[Any], connection: Any, target: InboundMail) -> None:
    raw = target.__dict__.pop(_HELD, None)
    if raw is None:
        return
    connection.execute(text("UPDATE inbound_mail SET raw = zeroblob(:size) WHERE id = :id"),
                       {"size": sealed_size(len(raw)), "id": target.id})
    sqlite = connection.connection.dbapi_connection
    with sqlite.blobopen("inbound_mail", "raw", target.id) as blob:
        seal_in_pieces(cipher_of(connection.engine).first_key, raw, blob.write)
    set_committed_value(target, "raw", raw)  # what the row holds, once opened
