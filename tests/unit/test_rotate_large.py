"""Key rotation over large raw mails (issue 12, memory): on SQLite each is opened from its
blob and sealed into it again in place, so a rotation holds about one mail at a time, not a
batch of them with Fernet's copies of each; every value opens with the new key alone."""

from __future__ import annotations

import os
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import text

from mailbot.store import rotate as rotation
from mailbot.store.crypto import LARGE, Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import InboundMail
from mailbot.store.uow import uow_factory

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def test_large_raw_mails_are_rotated_one_at_a_time_in_place(tmp_path: Path,
                                                            monkeypatch) -> None:
    old, new = generate_key(), generate_key()
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = make_engine(url, Cipher([old]))
    upgrade(engine)
    raws = {str(n): os.urandom(4 * LARGE + n) for n in range(3)} | {"small": b"x" * 500}
    with uow_factory(engine)() as uow:
        for uid, raw in raws.items():
            uow.repo.add(InboundMail(mailbox="INBOX", uidvalidity=1, uid=uid, raw=raw,
                                     raw_sha256="0" * 64, raw_size=len(raw),
                                     subject=f"Inzage {uid}", received_at=NOW,
                                     fetched_at=NOW, disposition="quarantined"))
        uow.commit()
    engine.dispose()

    monkeypatch.setattr(rotation, "BATCH_BYTES", 1)  # each row with values a batch
    engine = make_engine(url, Cipher([new, old]))
    tracemalloc.start()
    try:
        done = rotation.rotate(engine, Cipher([new, old]), new, tmp_path / "rotate.json")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        engine.dispose()
    assert done.rows == done.total == 2 * len(raws)  # inbound_mail and raw_mail rows
    assert peak < 3 * (4 * LARGE)  # one mail opened (and its bytes), not the batch

    engine = make_engine(url, Cipher([new]))  # the old key is gone
    try:
        with uow_factory(engine)() as uow:
            assert {m.uid: m.raw for m in uow.repo.inbound.list()} == raws
            assert {m.subject for m in uow.repo.inbound.list()} == {
                f"Inzage {uid}" for uid in raws}
        with engine.connect() as connection:
            for (token,) in connection.execute(text("SELECT raw FROM raw_mail")):
                Fernet(new).decrypt(bytes(token))  # Fernet tokens under the new key
    finally:
        engine.dispose()
