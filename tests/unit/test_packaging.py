"""The ways to run mailbot for real: docker-compose.yml (PostgreSQL + mailbot), the systemd
unit, the image, and `make run` installing the runtime only. Validated with the real tools
where they exist (`docker compose config`, `systemd-analyze verify`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
UNIT = ROOT / "config" / "mailbot.service"


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_compose_runs_postgres_and_mailbot_with_config_key_and_migrations() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "mailbot", "mailbot-worker"}
    mailbot = services["mailbot"]
    env = mailbot["environment"]
    assert env["MAILBOT_CONSOLE__LISTEN"].startswith("0.0.0.0:")
    assert env["MAILBOT_DATABASE__URL"].startswith("postgresql+psycopg://")
    assert "@postgres:5432/" in env["MAILBOT_DATABASE__URL"]
    mounts = {volume.split(":")[1]: volume for volume in mailbot["volumes"]}
    assert mounts[env["MAILBOT_CONFIG"]].endswith(":ro")
    assert mounts[env["MAILBOT_SECURITY__KEY_FILE"]].endswith(":ro")
    assert "mailbot db upgrade && exec mailbot run" in " ".join(mailbot["entrypoint"])
    assert mailbot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert mailbot["healthcheck"]["test"] == ["CMD", "mailbot", "health"]
    assert "8080" in mailbot["ports"][0]


def test_compose_runs_a_second_worker_on_the_same_database_and_mailbox() -> None:
    services = compose()["services"]
    first, second = services["mailbot"], services["mailbot-worker"]
    for key in ("MAILBOT_CONFIG", "MAILBOT_SECURITY__KEY_FILE", "MAILBOT_DATABASE__URL"):
        assert second["environment"][key] == first["environment"][key]
    assert second["environment"]["MAILBOT_CONSOLE__LISTEN"] == ""  # one console is enough
    assert "ports" not in second
    assert second["image"] == first["image"]
    assert second["entrypoint"] == first["entrypoint"]
    assert second["depends_on"]["postgres"]["condition"] == "service_healthy"
    # each its own data directory (heartbeat, status), the same config and key
    [first_data] = [v for v in first["volumes"] if v.endswith(":/var/lib/mailbot")]
    [second_data] = [v for v in second["volumes"] if v.endswith(":/var/lib/mailbot")]
    assert first_data != second_data
    assert set(first["volumes"]) - {first_data} == set(second["volumes"]) - {second_data}


def _docker_compose() -> bool:
    if shutil.which("docker") is None:
        return False
    probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return probe.returncode == 0


@pytest.mark.skipif(not _docker_compose(), reason="docker compose is not installed here")
def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    done = subprocess.run(["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "POSTGRES_PASSWORD": "example"})
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed here")
def test_systemd_analyze_verify_accepts_the_unit(tmp_path: Path) -> None:
    # verify checks that the commands exist: point them at this checkout's mailbot.
    program = Path(sys.executable).with_name("mailbot")
    unit = tmp_path / "mailbot.service"
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/opt/mailbot/bin/mailbot",
                                                             str(program)), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr  # unknown keys only warn


def test_the_unit_migrates_then_runs_as_its_own_user() -> None:
    text = UNIT.read_text(encoding="utf-8")
    assert "User=mailbot" in text
    assert text.index("ExecStartPre=/opt/mailbot/bin/mailbot db upgrade") < \
        text.index("ExecStart=/opt/mailbot/bin/mailbot run")


def test_the_image_listens_on_every_address() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "MAILBOT_CONSOLE__LISTEN=0.0.0.0:8080" in dockerfile
    assert "EXPOSE 8080" in dockerfile


def test_make_run_installs_the_runtime_only() -> None:
    run = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    assert "pip install --quiet -e ." in run and "[test]" not in run
    test = subprocess.run(["make", "-n", "-B", "test"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout
    assert "'.[test]'" in test


def test_the_readme_walks_through_running_it_for_real() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running it for real", 1)[1].split("\n## ", 1)[0]
    for step in ("mailbot keys generate --out", "mailbot check", "docker compose up",
                 "config/mailbot.service", "systemctl enable --now mailbot", "mailbot health",
                 "/metrics"):
        assert step in section, step
