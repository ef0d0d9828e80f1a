"""`GET /metrics` scraped after a run: Prometheus text with what happened."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.harness.app import make_settings
from tests.harness.dovecot import free_port
from tests.harness.mails import auto_reply, mail, question
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot


@pytest.fixture
def running(tmp_path: Path, dovecot, smtp_sink, app_factory) -> Iterator:
    port = free_port()
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             mailbox={"poll_interval": 0.5},
                             console={"listen": f"127.0.0.1:{port}"})
    app = app_factory(settings)
    thread = threading.Thread(target=app.run_forever, daemon=True)
    thread.start()
    app.url = f"http://127.0.0.1:{port}"
    yield app
    app.daemon.stop.set()
    thread.join(timeout=15)
    assert not thread.is_alive()


def scrape(app) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = httpx2.get(f"{app.url}/metrics", timeout=5)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples}


def test_metrics_after_a_run(running, dovecot, smtp_sink) -> None:
    wait_for(lambda: _up(running), timeout=15, message="the console")
    smtp_sink.refuse()  # the first attempts fail (transient), then go through
    dovecot.append(mail("Ik wil inzage in mijn gegevens. Ik wil me ook afmelden voor de "
                        "nieuwsbrief.",
                        subject="Inzage en afmelden"))
    dovecot.append(question(1))
    dovecot.append(auto_reply())
    wait_for(lambda: scrape(running).get(("mailbot_outbox_failures_total",
                                          (("kind", "transient"),)), 0) >= 1,
             timeout=15, message="a failed delivery")
    smtp_sink.accept()
    smtp_sink.wait_for_count(4, timeout=20)  # 2 acknowledgements, confirmation, verification
    dovecot.restart()  # the daemon reconnects
    dovecot.append(question(2))
    smtp_sink.wait_for_count(5, timeout=20)

    metrics = wait_for(lambda: (m := scrape(running)).get(
        ("mailbot_outbox_backlog", ()), 1) == 0 and m, timeout=15, message="an empty outbox")
    assert metrics[("mailbot_mails_total", (("disposition", "request"),))] == 3
    assert metrics[("mailbot_mails_total", (("disposition", "auto_reply"),))] == 1
    assert metrics[("mailbot_requests", (("kind", "unsubscribe"), ("status", "done")))] == 1
    assert metrics[("mailbot_requests", (("kind", "other"), ("status", "triage")))] == 2
    assert metrics[("mailbot_requests_overdue", ())] == 0
    assert metrics[("mailbot_outbox_failed", ())] == 0
    assert metrics[("mailbot_imap_reconnects_total", ())] >= 1
    acknowledged = metrics[("mailbot_acknowledgement_latency_seconds_count", ())]
    assert acknowledged == 3
    assert metrics[("mailbot_acknowledgement_latency_seconds_bucket", (("le", "+Inf"),))] == 3


def _up(app) -> bool:
    try:
        return httpx2.get(f"{app.url}/metrics", timeout=2).status_code == 200
    except httpx2.TransportError:
        return False
