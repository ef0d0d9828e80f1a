"""Sealed columns: values encrypted with Fernet (MultiFernet for key rotation) before they reach
the database. The cipher travels with the engine's dialect, so every session on that engine
seals and opens with the same keys and no module-level state is needed."""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher as AesCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.types import TypeDecorator

from mailbot.errors import ConfigError, DecryptionError

_ATTRIBUTE = "mailbot_cipher"
# Values larger than this are sealed piece by piece (a raw mail with a large attachment):
# Fernet itself makes about six copies of its input, this about one and a third.
LARGE = 1024 * 1024
_CHUNK = 3 * 64 * 1024  # a multiple of 3 and of 16: base64 and AES blocks line up
_URLSAFE = bytes.maketrans(b"+/", b"-_")


class Cipher:
    """Seals with the first key, opens with any of them."""

    def __init__(self, keys: Iterable[str | bytes]) -> None:
        parsed = []
        given = [key.strip() for key in keys]
        for number, key in enumerate(given, start=1):
            try:
                parsed.append(Fernet(key))
            except (ValueError, TypeError) as exc:
                raise ConfigError(
                    f"config error: security.key: key {number} is not a Fernet key "
                    "(32 url-safe base64-encoded bytes; make one with `mailbot keys generate`)"
                ) from exc
        if not parsed:
            raise ConfigError("config error: security.key: no key given")
        self._fernet = MultiFernet(parsed)
        self.first_key = base64.urlsafe_b64decode(given[0])  # what seals
        self.keys = [base64.urlsafe_b64decode(key) for key in given]  # what opens

    def seal(self, data: bytes) -> bytes:
        if len(data) > LARGE:
            return seal_in_pieces(self.first_key, data)
        return self._fernet.encrypt(data)

    def rotate(self, token: bytes) -> bytes:
        """``token`` sealed again with the first key."""
        try:
            if len(token) > sealed_size(LARGE):  # Fernet would copy it about six times
                return seal_in_pieces(self.first_key, self.open(token))
            return self._fernet.rotate(token)
        except (InvalidToken, DecryptionError) as exc:
            raise DecryptionError(
                "a sealed value cannot be opened with the configured keys (keep the old key "
                "after the new one in security.key until the rotation is done)") from exc

    def open(self, token: bytes) -> bytes:
        if len(token) > sealed_size(LARGE):  # Fernet would copy it about five times
            return open_in_pieces(self.keys, len(token),
                                  lambda offset, size: token[offset:offset + size])
        try:
            return self._fernet.decrypt(token)
        except InvalidToken as exc:
            raise DecryptionError(
                "a sealed value cannot be opened with the configured keys "
                "(was security.key changed without keeping the old key?)"
            ) from exc


def sealed_size(size: int) -> int:
    """The length of the Fernet token of ``size`` bytes."""
    return 4 * ((1 + 8 + 16 + (size - size % 16 + 16) + 32 + 2) // 3)


def seal_in_pieces(key: bytes, data: bytes,
                   sink: Callable[[bytes], object] | None = None) -> bytes:
    """A Fernet token of ``data`` (version, time, IV, AES-128-CBC, HMAC-SHA256, url-safe
    base64: any Fernet opens it), made piece by piece: into the one buffer it ends in, or
    handed to ``sink`` (then nothing is returned)."""
    signing, encryption = key[:16], key[16:]
    iv = os.urandom(16)
    header = b"\x80" + int(time.time()).to_bytes(8, "big") + iv
    whole = len(data) - len(data) % 16
    padding = 16 - len(data) % 16
    buffer = bytearray(sealed_size(len(data)) if sink is None else 0)
    out = _Base64(sink or _Filler(buffer))
    encryptor = AesCipher(algorithms.AES(encryption), modes.CBC(iv)).encryptor()
    mac = hmac.HMAC(signing, hashes.SHA256())
    mac.update(header)
    out.write(header)
    view = memoryview(data)
    for start in range(0, whole, _CHUNK):
        piece = encryptor.update(view[start:min(start + _CHUNK, whole)])
        mac.update(piece)
        out.write(piece)
    piece = encryptor.update(bytes(view[whole:]) + bytes([padding]) * padding)
    piece += encryptor.finalize()
    mac.update(piece)
    out.write(piece)
    out.write(mac.finalize())
    out.close()
    return buffer  # type: ignore[return-value]  # bytes-like, not copied again


_READ = 256 * 1024  # base64 characters read at a time: a multiple of 4
_MAC = 32
_HEADER = 1 + 8 + 16  # version, time, IV
_STANDARD = bytes.maketrans(b"-_", b"+/")


def open_in_pieces(keys: Iterable[bytes], length: int,
                   read: Callable[[int, int], bytes]) -> bytes:
    """The data in a Fernet token of ``length`` characters that ``read(offset, size)`` hands
    out in pieces (a blob in the database), opened with whichever of ``keys`` sealed it,
    without ever holding the token whole: one pass checks the HMAC and decrypts into one
    buffer of the data's size (another key, when the HMAC says it was not this one, is a
    pass of its own). DecryptionError when no key fits."""
    # bytes, as everywhere: copied once more, and the buffer freed
    return bytes(open_into_buffer(keys, length, read))


def open_into_buffer(keys: Iterable[bytes], length: int,
                     read: Callable[[int, int], bytes]) -> bytearray:
    """``open_in_pieces``, the data left in the buffer it was decrypted into: for a caller
    that owns it from then on (the parser converts its line ends in place)."""
    decoded = length // 4 * 3 - (read(length - 4, 4).count(b"=") if length >= 4 else 0)
    if length % 4 or decoded < _HEADER + 16 + _MAC or (decoded - _HEADER - _MAC) % 16:
        raise DecryptionError("a sealed value is not a Fernet token")
    for key in keys:
        value = _open_with(key, decoded, length, read)
        if value is not None:
            return value
    raise DecryptionError("a sealed value cannot be opened with the configured keys "
                          "(was security.key changed without keeping the old key?)")


def _open_with(key: bytes, decoded: int, length: int,
               read: Callable[[int, int], bytes]) -> bytearray | None:
    """The data, or None when the token was not sealed with ``key``."""
    mac = hmac.HMAC(key[:16], hashes.SHA256())
    text_end = decoded - _MAC
    buffer = bytearray(text_end - _HEADER)
    header = bytearray()
    tag = bytearray()
    decryptor = None
    filled = at = 0
    for piece in _decoded(length, read):
        view = memoryview(piece)
        end = at + len(view)
        if at < _HEADER:
            header += view[:_HEADER - at]
            if len(header) == _HEADER:
                if header[0] != 0x80:
                    raise DecryptionError("a sealed value is not a Fernet token")
                decryptor = AesCipher(algorithms.AES(key[16:]),
                                      modes.CBC(bytes(header[9:]))).decryptor()
        if at < text_end:
            mac.update(view[:min(end, text_end) - at])
        start, stop = max(at, _HEADER), min(end, text_end)
        if start < stop and decryptor is not None:
            plain = decryptor.update(view[start - at:stop - at])
            buffer[filled:filled + len(plain)] = plain
            filled += len(plain)
        if end > text_end:
            tag += view[max(text_end - at, 0):]
        at = end
    if decryptor is None or at != decoded:
        raise DecryptionError("a sealed value is not a Fernet token")
    plain = decryptor.finalize()
    buffer[filled:filled + len(plain)] = plain
    try:
        mac.verify(bytes(tag))
    except InvalidSignature:
        return None
    padding = buffer[-1]
    if not 1 <= padding <= 16 or buffer[-padding:] != bytes([padding]) * padding:
        raise DecryptionError("a sealed value is damaged (its padding)")
    del buffer[-padding:]
    return buffer


def _decoded(length: int, read: Callable[[int, int], bytes]) -> Iterator[bytes]:
    for start in range(0, length, _READ):
        text = bytes(read(start, min(_READ, length - start)))
        try:
            yield binascii.a2b_base64(text.translate(_STANDARD))
        except binascii.Error as exc:
            raise DecryptionError("a sealed value is not a Fernet token") from exc


class _Filler:
    def __init__(self, buffer: bytearray) -> None:
        self.buffer = buffer
        self.at = 0

    def __call__(self, text: bytes) -> None:
        self.buffer[self.at:self.at + len(text)] = text
        self.at += len(text)


class _Base64:
    """Url-safe base64 (with padding) of what is written, handed on in pieces."""

    def __init__(self, sink: Callable[[bytes], object]) -> None:
        self.sink = sink
        self.carry = b""

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        if self.carry:
            take = 3 - len(self.carry)
            self.carry += bytes(view[:take])
            view = view[take:]
            if len(self.carry) < 3:
                return
            self._encode(self.carry)
            self.carry = b""
        aligned = len(view) - len(view) % 3
        for start in range(0, aligned, _CHUNK):
            self._encode(view[start:min(start + _CHUNK, aligned)])
        self.carry = bytes(view[aligned:])

    def _encode(self, data: bytes | memoryview) -> None:
        self.sink(binascii.b2a_base64(data, newline=False).translate(_URLSAFE))

    def close(self) -> None:
        if self.carry:
            self._encode(self.carry)


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def load_keys(key: str | None, key_file: Path | None) -> list[str]:
    """Keys from ``security.key`` (comma-separated) or ``security.key_file`` (one a line)."""
    if key:
        return [k for k in (part.strip() for part in key.split(",")) if k]
    if key_file is not None:
        try:
            text = key_file.read_text(encoding="ascii")
        except OSError as exc:
            raise ConfigError(f"config error: security.key_file: cannot read {key_file}: "
                              f"{exc.strerror}") from exc
        keys = [line.strip() for line in text.splitlines()
                if line.strip() and not line.startswith("#")]
        if not keys:
            raise ConfigError(f"config error: security.key_file: {key_file} holds no key")
        check_private(key_file)
        return keys
    raise ConfigError("config error: security.key: missing (set security.key, "
                      "security.key_file, or env MAILBOT_SECURITY__KEY)")


def check_private(key_file: Path) -> None:
    """Refuse a key file that users other than its owner and group may read or change."""
    mode = key_file.stat().st_mode & 0o777
    if mode & 0o007:
        raise ConfigError(f"config error: security.key_file: {key_file} is open to every user "
                          f"(mode {mode:04o}); run: chmod 600 {key_file}")


def write_key_file(path: Path, keys: Iterable[str]) -> None:
    """Write ``keys`` (one a line) to a new file readable by its owner only; FileExistsError
    when it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write("".join(f"{key}\n" for key in keys))


def ensure_key_file(path: Path) -> Path:
    """Create a key file readable by its owner only, unless it exists already."""
    from mailbot.store.files import private_dir

    private_dir(path.parent)
    try:
        write_key_file(path, [generate_key()])
    except FileExistsError:
        return path
    return path


def attach_cipher(engine: Engine, cipher: Cipher) -> None:
    setattr(engine.dialect, _ATTRIBUTE, cipher)


def cipher_of(engine: Engine) -> Cipher:
    return _cipher(engine.dialect)


def _cipher(dialect: Dialect) -> Cipher:
    cipher = getattr(dialect, _ATTRIBUTE, None)
    if cipher is None:
        raise RuntimeError("engine has no cipher: create it with mailbot.store.engine.make_engine")
    return cipher


class SealedBytes(TypeDecorator[bytes]):
    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else _cipher(dialect).seal(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else _cipher(dialect).open(bytes(value))


class SealedText(TypeDecorator[str]):
    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        return None if value is None else _cipher(dialect).seal(value.encode("utf-8"))

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> str | None:
        return None if value is None else _cipher(dialect).open(bytes(value)).decode("utf-8")


class SealedJSON(TypeDecorator[Any]):
    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        return _cipher(dialect).seal(json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(_cipher(dialect).open(bytes(value)))
