from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.errors import ConfigError, DecryptionError
from mailbot.store.crypto import Cipher, ensure_key_file, generate_key, load_keys
from mailbot.store.engine import make_engine, upgrade
from mailbot.store.models import Client
from mailbot.store.uow import uow_factory


def test_rotation_opens_old_values_and_seals_with_the_new_key() -> None:
    old, new = generate_key(), generate_key()
    token = Cipher([old]).seal(b"Sanne Jansen, Dorpsstraat 1")
    rotated = Cipher([new, old])
    assert rotated.open(token) == b"Sanne Jansen, Dorpsstraat 1"
    assert Cipher([new]).open(rotated.seal(b"x")) == b"x"


def test_a_wrong_key_is_a_clear_error() -> None:
    token = Cipher([generate_key()]).seal(b"secret")
    with pytest.raises(DecryptionError, match="cannot be opened"):
        Cipher([generate_key()]).open(token)


def test_a_malformed_key_names_the_setting() -> None:
    with pytest.raises(ConfigError, match=r"security\.key: key 2 is not a Fernet key"):
        Cipher([generate_key(), "too-short"])


def test_keys_come_from_the_setting_or_a_file(tmp_path: Path) -> None:
    a, b = generate_key(), generate_key()
    assert load_keys(f"{a}, {b}", None) == [a, b]
    path = ensure_key_file(tmp_path / "keys")
    assert path.stat().st_mode & 0o777 == 0o600
    first = load_keys(None, path)
    ensure_key_file(path)  # an existing file is kept
    assert load_keys(None, path) == first
    with pytest.raises(ConfigError, match=r"security\.key: missing"):
        load_keys(None, None)
    with pytest.raises(ConfigError, match=r"security\.key_file: cannot read"):
        load_keys(None, tmp_path / "absent")


def test_sealed_values_round_trip_through_the_database(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from mailbot.store.models import Event

    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", Cipher([generate_key()]))
    upgrade(engine)
    uow = uow_factory(engine)
    with uow() as unit:
        unit.repo.add(Client(name="Klant B.V.", created_at=datetime.now(UTC)))
        unit.repo.add(Event(at=datetime.now(UTC), actor="t", action="x",
                            detail={"naam": "Sanne Jansen"}))
        unit.commit()
    with uow() as unit:
        assert unit.session.scalar(select(Event.detail)) == {"naam": "Sanne Jansen"}
    raw = (tmp_path / "db.sqlite").read_bytes()
    wal = tmp_path / "db.sqlite-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    assert b"Sanne Jansen" not in raw
    assert b"Klant B.V." in raw  # client names are not sealed: the check can find things
    engine.dispose()
