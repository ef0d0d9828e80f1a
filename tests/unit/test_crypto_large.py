"""Large values (a raw mail with a big attachment) are sealed piece by piece, with about one
copy of their size instead of Fernet's six (issue 12, memory); the token is still a Fernet
token: the standard library opens it, and key rotation works on it."""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest
from cryptography.fernet import Fernet

from mailbot.store.crypto import LARGE, Cipher, generate_key


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
