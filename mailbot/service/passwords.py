"""Staff passwords: argon2 hashes, and a hash to verify against when a name is unknown, so a
wrong name costs as long as a wrong password."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher

# argon2id at OWASP's 19 MiB / 2 passes / 1 lane (Password Storage Cheat Sheet), as strong as
# the library's default of 64 MiB / 3 passes / 4 lanes by their measure, at a third of the
# memory each sign-in takes: a worker stays under its memory budget. A hash made with other
# parameters is made again at the next sign-in (console/auth.py).
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


@cache
def dummy_hash() -> str:
    """Made at the first sign-in with an unknown name, not at import: an argon2 hash takes
    64 MiB for a moment, which a worker without the console should never pay."""
    return HASHER.hash("no such user: this hash is only here to spend the same time")


def hash_password(password: str) -> str:
    return HASHER.hash(password)
