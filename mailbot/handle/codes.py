"""Verification codes are kept as an HMAC keyed with the server secret: the keys in
``security.key`` / ``security.key_file``, which never enter the database. With the database
alone (a copy, a backup, a leaked file) the 8-digit space cannot be searched.

Each key gives its own MAC key (SHA-256 over a label and the key), so a key kept after
rotation still checks the codes it made. Codes stored before this scheme (an HMAC keyed with
the row's token hash, no ``v2$`` prefix) are still checked the old way until they expire.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from pathlib import Path

from mailbot.config import Settings
from mailbot.store.crypto import load_keys

_SCHEME = "v2$"
_LABEL = b"mailbot verification code\0"


def code_hash(settings: Settings, address: str, code: str) -> str:
    """What is stored for ``code`` sent to ``address``: keyed with the current key (base64,
    so that the scheme's mark fits the column beside the 32 bytes)."""
    return _SCHEME + _mac64(_secrets(*_where(settings))[0], address, code)


def code_matches(settings: Settings, stored: str, address: str, code: str, *,
                 legacy_salt: str) -> bool:
    """Whether ``code`` is the one ``stored`` was made from (any configured key)."""
    if not stored.startswith(_SCHEME):
        return hmac.compare_digest(_mac(legacy_salt.encode(), address, code), stored)
    wanted = stored[len(_SCHEME):]
    return any(hmac.compare_digest(_mac64(secret, address, code), wanted)
               for secret in _secrets(*_where(settings)))


def _mac(secret: bytes, address: str, code: str) -> str:
    return hmac.new(secret, f"{address}\0{code}".encode(), hashlib.sha256).hexdigest()


def _mac64(secret: bytes, address: str, code: str) -> str:
    digest = hmac.new(secret, f"{address}\0{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _where(settings: Settings) -> tuple[str | None, Path | None]:
    key = settings.security.key
    return (key.get_secret_value() if key else None), settings.security.key_file


@lru_cache(maxsize=4)
def _secrets(key: str | None, key_file: Path | None) -> tuple[bytes, ...]:
    return tuple(hashlib.sha256(_LABEL + k.encode()).digest() for k in load_keys(key, key_file))
