"""Staff passwords: argon2 hashes, and a hash to verify against when a name is unknown, so a
wrong name costs as long as a wrong password."""

from __future__ import annotations

from argon2 import PasswordHasher

HASHER = PasswordHasher()
DUMMY_HASH = HASHER.hash("no such user: this hash is only here to spend the same time")


def hash_password(password: str) -> str:
    return HASHER.hash(password)
