"""The status file during a burst of deliveries: the first written at once, the rest at
most every WRITE_EVERY seconds and the last when the round ends; a delivery after a failure
written at once, so `mailbot health` never reports a recovered server as down."""

from __future__ import annotations

from pathlib import Path

from mailbot.status import Status, read_status


def smtp(path: Path) -> dict:
    return (read_status(path) or {}).get("smtp", {})


def test_a_burst_writes_the_first_then_the_last_at_the_flush(tmp_path: Path) -> None:
    path = tmp_path / "status.json"
    status = Status(path)
    status.started()
    status.smtp_delivered()
    first = smtp(path)["ok_at"]
    for _ in range(20):
        status.smtp_delivered()
    assert smtp(path)["ok_at"] == first  # throttled: within WRITE_EVERY of the first
    status.flush()
    assert smtp(path)["ok_at"] >= first
    assert smtp(path)["ok_at"] == status_ok_at(status, path)


def status_ok_at(status: Status, path: Path) -> float:
    status.flush()  # nothing pending: the file stays as it is
    return smtp(path)["ok_at"]


def test_a_delivery_after_a_failure_is_written_at_once(tmp_path: Path) -> None:
    path = tmp_path / "status.json"
    status = Status(path)
    status.started()
    status.smtp_delivered()
    status.smtp_failed("server down", down=True)
    assert smtp(path)["down"] is True
    status.smtp_delivered()
    written = smtp(path)
    assert written["down"] is False and written["error"] is None
    assert written["ok_at"] >= written["failed_at"]
