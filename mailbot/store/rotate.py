"""Re-seal every sealed value with the first configured key (``mailbot keys rotate``).

Table by table, in batches by primary key, each batch one transaction. Where it got to is
kept in a small JSON file beside the database (with a fingerprint of the new key), so an
interrupted rotation goes on from the last committed batch; a batch done twice is harmless,
because re-sealing a value already sealed with the first key only seals it again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import LargeBinary, Table, func, select, type_coerce, update
from sqlalchemy.engine import Engine

from mailbot.store.crypto import Cipher, SealedBytes, SealedJSON, SealedText
from mailbot.store.models import Base

BATCH = 200
SEALED = (SealedBytes, SealedText, SealedJSON)


@dataclass(frozen=True, slots=True)
class Rotation:
    rows: int  # rows re-sealed by this run
    total: int  # rows holding sealed columns
    resumed: bool


def sealed_tables() -> list[tuple[Table, list[str]]]:
    tables = []
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns if isinstance(c.type, SEALED)]
        if names and "id" in table.c:
            tables.append((table, names))
    return tables


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
        last = int(state["done"].get(table.name, 0))
        if last == -1:
            continue  # finished in an earlier run
        if last:
            with engine.connect() as connection:
                advance(connection.scalar(select(func.count()).select_from(table)
                                          .where(table.c.id <= last)) or 0)
        while True:
            with engine.begin() as connection:
                batch = connection.execute(
                    select(table.c.id, *(type_coerce(table.c[n], LargeBinary).label(n)
                                         for n in names))
                    .where(table.c.id > last).order_by(table.c.id).limit(BATCH)).all()
                for row in batch:
                    values = {table.c[n]: type_coerce(cipher.rotate(bytes(row._mapping[n])),
                                                      LargeBinary)
                              for n in names if row._mapping[n] is not None}
                    if values:
                        connection.execute(update(table).where(table.c.id == row.id)
                                           .values(values))
            if not batch:
                break
            last = int(batch[-1].id)
            rows += len(batch)
            state["done"][table.name] = last
            _save(state_file, state)
            advance(len(batch))
        state["done"][table.name] = -1
        _save(state_file, state)
    total = count_rows(engine)
    state_file.unlink(missing_ok=True)
    return Rotation(rows, total, resumed)


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
