"""Staff passwords: argon2 hashes, and a hash to verify against when a name is unknown, so a
wrong name costs as long as a wrong password."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher

HASHER = PasswordHasher()


@cache
def dummy_hash() -> str:
    """Made at the first sign-in with an unknown name, not at import: an argon2 hash takes
    64 MiB for a moment, which a worker without the console should never pay."""
    return HASHER.hash("no such user: this hash is only here to spend the same time")


def hash_password(password: str) -> str:
    return HASHER.hash(password)
