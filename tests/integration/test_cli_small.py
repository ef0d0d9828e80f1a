"""The small things an operator meets first: --version, the demo's config found, a busy port
in one line, where `db upgrade` wrote, `users add` without a terminal, and `run --once`
telling that mail was left undelivered."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from mailbot.config import load_settings
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import question


def mailbot(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MAILBOT_")}
    return subprocess.run([sys.executable, "-m", "mailbot", *args], capture_output=True,
                          text=True, env={**clean, **(env or {})}, timeout=timeout,
                          check=False, cwd=cwd, stdin=subprocess.DEVNULL)


def test_version() -> None:
    from importlib.metadata import version

    done = mailbot("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"mailbot {version('mailbot')}"


def demo_like_config(directory: Path, smtp_url: str = "smtp://127.0.0.1:1") -> str:
    maildir = directory / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    settings = make_settings(directory, mailbox_url=f"maildir://{maildir}", smtp_url=smtp_url)
    return toml_for(settings)


def test_the_demo_config_is_found_by_default(tmp_path: Path) -> None:
    missing = mailbot("requests", "list", cwd=tmp_path)
    assert missing.returncode == 2
    assert "no config file given" in missing.stderr and "--config" in missing.stderr
    demo = tmp_path / "var" / "demo" / "mailbot.toml"
    demo.parent.mkdir(parents=True)
    demo.write_text(demo_like_config(tmp_path), encoding="utf-8")
    found = mailbot("requests", "list", cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert "(0 rows)" in found.stdout
    assert str(demo) in found.stderr


def busy_port() -> socket.socket:
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    return holder


def test_a_busy_smtp_port_is_one_line_naming_the_option(tmp_path: Path) -> None:
    with busy_port() as holder:
        port = holder.getsockname()[1]
        done = mailbot("demo", "--data-dir", str(tmp_path / "var"), "--smtp-port", str(port),
                       "--console-port", "0")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"port {port}" in lines[0] and "--smtp-port" in lines[0]


@pytest.mark.slow
def test_a_busy_console_port_is_one_line_naming_the_option(tmp_path: Path) -> None:
    with busy_port() as holder:
        port = holder.getsockname()[1]
        done = mailbot("demo", "--data-dir", str(tmp_path / "var"), "--smtp-port", "0",
                       "--console-port", str(port), timeout=120)
    assert done.returncode == 1
    errors = [line for line in done.stderr.strip().splitlines() if "Error" in line
              or line.startswith(("Error", "mailbot:"))]
    assert len(errors) == 1, done.stderr
    assert "--console-port" in errors[0]


def test_db_upgrade_says_which_database(tmp_path: Path) -> None:
    config = tmp_path / "mailbot.toml"
    config.write_text(demo_like_config(tmp_path), encoding="utf-8")
    done = mailbot("--config", str(config), "db", "upgrade")
    assert done.returncode == 0, done.stderr
    database = load_settings(config).database_url
    assert done.stdout.startswith(f"database {database} at revision ")


def test_users_add_without_a_terminal_says_to_use_password_file(tmp_path: Path) -> None:
    config = tmp_path / "mailbot.toml"
    config.write_text(demo_like_config(tmp_path), encoding="utf-8")
    done = mailbot("--config", str(config), "users", "add", "Anna", "--role", "admin")
    assert done.returncode == 2
    assert "--password-file" in done.stderr
    password = tmp_path / "password"
    password.write_text("a long enough password\n", encoding="utf-8")
    added = mailbot("--config", str(config), "users", "add", "Anna", "--role", "admin",
                    "--password-file", str(password))
    assert added.returncode == 0, added.stderr


@pytest.mark.dovecot
def test_run_once_after_an_smtp_failure_ends_with_a_summary_and_fails(
        tmp_path: Path, dovecot, smtp_sink) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(settings), encoding="utf-8")
    for number in range(3):
        dovecot.append(question(number))
    smtp_sink.stop()
    try:
        done = mailbot("--config", str(config), "run", "--once")
    finally:
        smtp_sink.start()
    assert done.returncode == 1
    assert done.stdout.strip() == ("recorded 3 new mail(s); delivered 0, 1 waiting to be "
                                   "retried, 0 failed")
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: not everything was delivered: 3 mail(s) wait in the outbox "
        "(mailbot outbox list); the next run tries again")
    again = mailbot("--config", str(config), "run", "--once")
    assert again.returncode == 0, again.stderr
    assert "delivered 3" in again.stdout
