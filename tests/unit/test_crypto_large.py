"""Large values (a raw mail with a big attachment) are sealed piece by piece, with about one
copy of their size instead of Fernet's six (issue 12, memory); the token is still a Fernet
token: the standard library opens it, and key rotation works on it."""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from mailbot.errors import DecryptionError
from mailbot.store.crypto import LARGE, Cipher, generate_key, open_in_pieces, open_into_buffer
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
            token = connection.execute(text("SELECT raw FROM raw_mail")).scalar_one()
        assert Fernet(key).decrypt(bytes(token)) == raw  # a Fernet token as ever
    finally:
        engine.dispose()


def pieces_of(token: bytes) -> Callable[[int, int], bytes]:
    return lambda offset, size: token[offset:offset + size]


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, LARGE, 3 * LARGE + 7, 786432])
def test_a_token_is_opened_in_pieces_with_whichever_key_sealed_it(size: int) -> None:
    old, new = generate_key(), generate_key()
    data = os.urandom(size)
    token = Fernet(old).encrypt(data)  # sealed by Fernet itself, with the older key
    opened = open_in_pieces(Cipher([new, old]).keys, len(token), pieces_of(token))
    assert opened == data and isinstance(opened, bytes)


def test_a_damaged_token_or_a_missing_key_is_refused() -> None:
    key = generate_key()
    token = Fernet(key).encrypt(os.urandom(2 * LARGE))
    damaged = token[:100] + (b"A" if token[100:101] != b"A" else b"B") + token[101:]
    with pytest.raises(DecryptionError, match="configured keys"):
        open_in_pieces(Cipher([key]).keys, len(damaged), pieces_of(damaged))
    with pytest.raises(DecryptionError, match="configured keys"):
        open_in_pieces(Cipher([generate_key()]).keys, len(token), pieces_of(token))


def test_opening_a_large_token_in_pieces_costs_about_twice_the_value() -> None:
    key = generate_key()
    data = os.urandom(20 * LARGE)
    token = Fernet(key).encrypt(data)
    del data
    tracemalloc.start()
    try:
        opened = open_in_pieces(Cipher([key]).keys, len(token), pieces_of(token))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the pieces and the value they are joined into (Fernet itself: about five times)
    assert peak < 2.2 * len(opened)


def test_a_token_opened_into_a_buffer_costs_about_the_value_once() -> None:
    key = generate_key()
    data = os.urandom(20 * LARGE)
    token = Fernet(key).encrypt(data)
    tracemalloc.start()
    try:
        opened = open_into_buffer(Cipher([key]).keys, len(token), pieces_of(token))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(opened, bytearray) and opened == data
    # the buffer and the few pieces in hand (about 1 MiB each), not a second copy of the value
    assert peak - len(opened) < 6 * 2**20


@pytest.mark.parametrize("size", [LARGE + 1, LARGE + 16, 3 * LARGE + 7])
def test_a_large_token_is_opened_and_rotated_in_pieces_as_fernet_would(size: int) -> None:
    """Cipher.open and Cipher.rotate take a large token in pieces: the same answers as
    Fernet, the same refusals (another key, a changed header, text or HMAC)."""
    old, new = generate_key(), generate_key()
    data = os.urandom(size)
    token = Fernet(old).encrypt(data)
    assert Cipher([new, old]).open(token) == data
    assert Fernet(new).decrypt(bytes(Cipher([new, old]).rotate(token))) == data
    with pytest.raises(DecryptionError):
        Cipher([new]).open(token)
    with pytest.raises(DecryptionError, match="keep the old key"):
        Cipher([new]).rotate(token)
    for at in (5, len(token) // 2, len(token) - 8):  # the header, the text, the HMAC
        changed = bytearray(token)
        changed[at] = ord("A") if changed[at] != ord("A") else ord("B")
        with pytest.raises(DecryptionError):
            Cipher([old]).open(bytes(changed))


def test_opening_a_large_value_with_cipher_costs_about_twice_its_size() -> None:
    cipher = Cipher([generate_key()])
    data = os.urandom(20 * LARGE)
    token = bytes(cipher.seal(data))
    tracemalloc.start()
    try:
        opened = cipher.open(token)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert opened == data and isinstance(opened, bytes)
    assert peak < 2.2 * len(data)  # the buffer, the bytes it becomes, small pieces
