"""Re-seal every sealed value with the first configured key (``mailbot keys rotate``).

Table by table, in batches by primary key, each batch one transaction. Where it got to is
kept in a small JSON file beside the database (with a fingerprint of the new key), so an
interrupted rotation goes on from the last committed batch; a batch done twice is harmless,
because re-sealing a value already sealed with the first key only seals it again.

A batch holds at most BATCH rows and about BATCH_BYTES of sealed values (a raw mail can be
tens of megabytes); on SQLite a large value is opened from its blob and sealed into it again
in place, piece by piece (the token keeps its length)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, LargeBinary, Table, case, func, null, select, type_coerce, update
from sqlalchemy.engine import Connection, Engine

from mailbot.errors import DecryptionError
from mailbot.store.crypto import (
    LARGE,
    Cipher,
    SealedBytes,
    SealedJSON,
    SealedText,
    open_in_pieces,
    seal_in_pieces,
    sealed_size,
)
from mailbot.store.models import Base

BATCH = 200
BATCH_BYTES = 16 * 1024 * 1024
SEALED = (SealedBytes, SealedText, SealedJSON)


@dataclass(frozen=True, slots=True)
class Rotation:
    rows: int  # rows re-sealed by this run
    total: int  # rows holding sealed columns
    resumed: bool


def sealed_tables() -> list[tuple[Table, list[str]]]:
    """Tables with sealed columns (and a primary key of one column, which orders them)."""
    tables = []
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns if isinstance(c.type, SEALED)]
        if names and len(table.primary_key.columns) == 1:
            tables.append((table, names))
    return tables


def _key(table: Table) -> Column[Any]:
    [key] = table.primary_key.columns
    return key


def fingerprint(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()[:16]


def count_rows(engine: Engine) -> int:
    with engine.connect() as connection:
        return sum(connection.scalar(select(func.count()).select_from(table)) or 0
                   for table, _ in sealed_tables())


def rotate(engine: Engine, cipher: Cipher, first_key: str, state_file: Path,
           advance: Callable[[int], None] = lambda _n: None) -> Rotation:
    state = _load(state_file, fingerprint(first_key))
    resumed = bool(state["done"])
    rows = 0
    for table, names in sealed_tables():
        key = _key(table)
        last = int(state["done"].get(table.name, 0))
        if last == -1:
            continue  # finished in an earlier run
        if last:
            with engine.connect() as connection:
                advance(connection.scalar(select(func.count()).select_from(table)
                                          .where(key <= last)) or 0)
        while True:
            with engine.begin() as connection:
                done = _rotate_batch(connection, cipher, table, names, last)
            if not done:
                break
            last = done[-1]
            rows += len(done)
            state["done"][table.name] = last
            _save(state_file, state)
            advance(len(done))
        state["done"][table.name] = -1
        _save(state_file, state)
    total = count_rows(engine)
    state_file.unlink(missing_ok=True)
    return Rotation(rows, total, resumed)


def _rotate_batch(connection: Connection, cipher: Cipher, table: Table, names: list[str],
                  last: int) -> list[int]:
    """Re-seal the next batch of rows after ``last``; returns their keys."""
    key = _key(table)
    sizes = connection.execute(
        select(key, *(func.length(type_coerce(table.c[n], LargeBinary)) for n in names))
        .where(key > last).order_by(key).limit(BATCH)).all()
    batch: list[int] = []
    large: list[tuple[int, str]] = []  # on SQLite: re-sealed in their blobs
    total = 0
    in_place = connection.dialect.name == "sqlite"
    for ident, *lengths in sizes:
        here = [(name, n or 0) for name, n in zip(names, lengths, strict=True)]
        in_blob = [name for name, n in here if in_place and n > sealed_size(LARGE)]
        loaded = sum(n for name, n in here if name not in in_blob)
        if batch and total + loaded > BATCH_BYTES:
            break
        batch.append(ident)
        total += loaded
        large += [(ident, name) for name in in_blob]
    if not batch:
        return []
    rows = connection.execute(
        select(key, *(_unless_large(table.c[n], in_place).label(n) for n in names))
        .where(key > last, key <= batch[-1]).order_by(key)).all()
    for row in rows:
        values = {table.c[n]: type_coerce(cipher.rotate(bytes(row._mapping[n])), LargeBinary)
                  for n in names if row._mapping[n] is not None}
        if values:
            connection.execute(update(table).where(key == row[0]).values(values))
    for ident, name in large:
        _rotate_in_blob(connection, cipher, table, name, ident)
    return batch


def _unless_large(column: Column[Any], in_place: bool) -> Any:
    """The sealed value; NULL for a large one when it is re-sealed in its blob instead."""
    value = type_coerce(column, LargeBinary)
    if not in_place:
        return value
    return case((func.length(value) > sealed_size(LARGE), null()), else_=value)


def _rotate_in_blob(connection: Connection, cipher: Cipher, table: Table, name: str,
                    ident: int) -> None:
    """A large value on SQLite opened from its blob and sealed into it again in place (a
    Fernet token's length follows from its value's)."""
    sqlite = connection.connection.dbapi_connection
    assert sqlite is not None
    with sqlite.blobopen(table.name, name, ident) as blob:

        def read(offset: int, size: int) -> bytes:
            blob.seek(offset)
            return blob.read(size)

        try:
            value = open_in_pieces(cipher.keys, len(blob), read)
        except DecryptionError as exc:
            raise DecryptionError(
                "a sealed value cannot be opened with the configured keys (keep the old key "
                "after the new one in security.key until the rotation is done)") from exc
        blob.seek(0)
        seal_in_pieces(cipher.first_key, value, blob.write)


def _load(path: Path, key: str) -> dict[str, object]:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = None
    if not isinstance(state, dict) or state.get("key") != key:
        return {"key": key, "done": {}}  # none, or for another key: start over
    return state


def _save(path: Path, state: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".tmp")
    partial.write_text(json.dumps(state), encoding="utf-8")
    partial.replace(path)
