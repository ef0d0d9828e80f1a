"""Large values (a raw mail with a big attachment) are sealed piece by piece, with about one
copy of their size instead of Fernet's six (issue 12, memory); the token is still a Fernet
token: the standard library opens it, and key rotation works on it."""

from __future__ import annotations

import os
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from mailbot.store.crypto import LARGE, Cipher, generate_key
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import InboundMail
from mailbot.store.uow import uow_factory


@pytest.mark.parametrize("size", [LARGE + 1, LARGE + 15, LARGE + 16, LARGE + 17,
                                  3 * LARGE + 2, 5 * LARGE])
def test_a_large_value_is_a_fernet_token(size: int) -> None:
    key = generate_key()
    data = os.urandom(size)
    token = Cipher([key]).seal(data)
    assert Fernet(key).decrypt(bytes(token)) == data
    assert abs(Fernet(key).extract_timestamp(bytes(token)) - time.time()) < 60
    assert Cipher([generate_key(), key]).open(bytes(token)) == data  # an older key opens it
    newer = generate_key()
    rotated = Cipher([newer, key]).rotate(bytes(token))
    assert Cipher([newer]).open(rotated) == data


def test_two_tokens_of_one_value_differ() -> None:
    cipher = Cipher([generate_key()])
    data = os.urandom(2 * LARGE)
    assert bytes(cipher.seal(data)) != bytes(cipher.seal(data))  # a fresh IV each time


def test_sealing_a_large_value_costs_about_its_token() -> None:
    cipher = Cipher([generate_key()])
    data = os.urandom(20 * LARGE)
    tracemalloc.start()
    try:
        token = cipher.seal(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(token) < 1.34 * len(data) + 100
    assert peak < 1.5 * len(data)  # the token (4/3 of the value) and small pieces


@pytest.mark.parametrize("size", [LARGE + 1, 3 * LARGE + 7])
def test_a_large_raw_mail_is_kept_whole_in_sqlite(tmp_path: Path, size: int) -> None:
    """Written into SQLite piece by piece: read back, in another session, byte for byte."""
    key = generate_key()
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", Cipher([key]))
    upgrade(engine)
    raw = os.urandom(size)
    now = datetime.now(UTC)
    try:
        with uow_factory(engine)() as uow:
            mail = InboundMail(mailbox="INBOX", uidvalidity=1, uid="1", raw=raw,
                               raw_sha256="x", raw_size=size, received_at=now,
                               fetched_at=now, disposition="quarantined")
            uow.repo.add(mail)
            uow.repo.flush()
            assert mail.raw == raw
            mail.error = "seen"  # a later change leaves the mail as it is
            uow.commit()
            mail_id = mail.id
        with uow_factory(engine)() as uow:
            stored = uow.repo.inbound.get(mail_id)
            assert stored is not None and stored.raw == raw and stored.error == "seen"
        with engine.connect() as connection:
            token = connection.execute(text("SELECT raw FROM inbound_mail")).scalar_one()
        assert Fernet(key).decrypt(bytes(token)) == raw  # a Fernet token as ever
    finally:
        engine.dispose()
