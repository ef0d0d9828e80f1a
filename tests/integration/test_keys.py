"""Keys: a generated key file only its owner can read, a key file open to everyone refused,
and a rotation that seals everything again under a new key, resumable after a stop."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import LargeBinary, select, type_coerce

from mailbot.store import rotate as rotation
from mailbot.store.crypto import Cipher
from mailbot.store.engine import make_engine
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import mail, question

pytestmark = pytest.mark.dovecot


def mailbot(*args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", *args], capture_output=True,
                          text=True, env=clean, timeout=120, check=False)


def test_keys_generate_out_writes_a_file_only_its_owner_reads(tmp_path: Path) -> None:
    out = tmp_path / "mailbot.key"
    done = mailbot("keys", "generate", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    Fernet(out.read_text(encoding="ascii").strip())  # a usable key
    again = mailbot("keys", "generate", "--out", str(out))
    assert again.returncode != 0 and "exists" in again.stderr


def config_with_key_file(tmp_path: Path, settings, key_file: Path) -> Path:
    text = toml_for(settings)
    key_line = f'key = "{settings.security.key.get_secret_value()}"'
    assert key_line in text
    config = tmp_path / "mailbot.toml"
    config.write_text(text.replace(key_line, f'key_file = "{key_file}"'), encoding="utf-8")
    return config


def test_a_key_file_open_to_everyone_is_refused_in_one_line(tmp_path: Path, dovecot,
                                                            smtp_sink) -> None:
    key_file = tmp_path / "mailbot.key"
    key_file.write_text(Fernet.generate_key().decode() + "\n", encoding="ascii")
    key_file.chmod(0o644)
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = config_with_key_file(tmp_path, settings, key_file)
    done = mailbot("--config", str(config), "run", "--once")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"mailbot: config error: security.key_file: {key_file} is open to every user "
        f"(mode 0644); run: chmod 600 {key_file}"]
    key_file.chmod(0o600)
    assert mailbot("--config", str(config), "run", "--once").returncode == 0


def test_rotate_seals_everything_again_under_the_new_key(tmp_path: Path, dovecot,
                                                         smtp_sink) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key_file = tmp_path / "mailbot.key"
    key_file.write_text(old + "\n", encoding="ascii")
    key_file.chmod(0o600)
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = config_with_key_file(tmp_path, settings, key_file)
    dovecot.append(mail("Stuur me een overzicht.", subject="Inzage"))
    dovecot.append(question(1))
    assert mailbot("--config", str(config), "run", "--once").returncode == 0

    only_one = mailbot("--config", str(config), "keys", "rotate")
    assert only_one.returncode != 0 and "put it first" in only_one.stderr

    key_file.write_text(f"{new}\n{old}\n", encoding="ascii")
    done = mailbot("--config", str(config), "keys", "rotate")
    assert done.returncode == 0, done.stderr
    assert "re-sealing: 0/" in done.stderr  # plain progress lines without a terminal
    assert "sealed again with the first key" in done.stdout

    key_file.write_text(f"{new}\n", encoding="ascii")
    listed = mailbot("--config", str(config), "inbound", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {m["subject"] for m in json.loads(listed.stdout)} == {"Inzage", "Vraag"}
    assert opens_everything(settings.database_url, new)


def opens_everything(url: str, key: str) -> bool:
    engine = make_engine(url, Cipher([key]))
    cipher = Cipher([key])
    try:
        with engine.connect() as connection:
            for table, names in rotation.sealed_tables():
                for row in connection.execute(
                        select(*(type_coerce(table.c[n], LargeBinary) for n in names))):
                    for value in row:
                        if value is not None:
                            cipher.open(bytes(value))
    finally:
        engine.dispose()
    return True


def test_an_interrupted_rotation_goes_on_where_it_stopped(tmp_path: Path, dovecot, smtp_sink,
                                                          app_factory, monkeypatch) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             security={"key": old})
    for number in range(4):
        dovecot.append(question(number))
    app_factory(settings).daemon.run_once()
    monkeypatch.setattr(rotation, "BATCH", 2)
    engine = make_engine(settings.database_url, Cipher([new, old]))
    state = tmp_path / "rotate.json"
    seen: list[int] = []

    def stop_after_two_batches(steps: int) -> None:
        seen.append(steps)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotation.rotate(engine, Cipher([new, old]), new, state, stop_after_two_batches)
    assert state.exists()
    done = rotation.rotate(engine, Cipher([new, old]), new, state)
    engine.dispose()
    assert done.resumed and 0 < done.rows < done.total
    assert not state.exists()
    assert opens_everything(settings.database_url, new)
