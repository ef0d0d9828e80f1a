"""Identity verification through real parts: Dovecot → mailbot → database → SMTP sink, and
the one-time link through the web app."""

from __future__ import annotations

import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from mailbot.console.verify_link import verification_app
from mailbot.store import views
from tests.harness.app import make_settings
from tests.harness.mails import mail

pytestmark = pytest.mark.dovecot

SANNE = "sanne.jansen@example.org"
ACCESS = "Welke persoonsgegevens hebben jullie van mij? Stuur me een overzicht."
TRUSTED_PASS = "mx.example.org; dmarc=pass (p=reject) header.from=example.org"


@pytest.fixture
def app(tmp_path: Path, dovecot, smtp_sink, database_url: str, app_factory) -> Any:
    settings = make_settings(
        tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url,
        verification={"trusted_authserv_ids": ["mx.example.org"], "max_attempts": 3,
                      "link_base_url": "https://mailbot.example.org"})
    return app_factory(settings)


def received(smtp_sink) -> list[EmailMessage]:
    return [message_from_bytes(m.data, policy=policy.default) for m in smtp_sink.messages]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def code_of(message: EmailMessage) -> str:
    found = re.search(r"^ {4}(\d{8})$", text_of(message), re.MULTILINE)
    assert found, text_of(message)
    return found[1]


def link_path(message: EmailMessage) -> str:
    found = re.search(r"https://mailbot\.example\.org(/verify/[A-Za-z0-9_-]+)",
                      text_of(message))
    assert found, text_of(message)
    return found[1]


def reply_to(message: EmailMessage, text: str, *, sender: str = f"Sanne Jansen <{SANNE}>"
             ) -> bytes:
    return mail(text, sender=sender, subject="Re: " + message["Subject"],
                headers={"In-Reply-To": message["Message-ID"].strip(),
                         "References": message["Message-ID"].strip()})


def spoofed_request(app: Any, dovecot, smtp_sink) -> tuple[int, EmailMessage]:
    """An access request whose DMARC pass comes from a server we do not trust."""
    dovecot.append(mail(ACCESS, headers={
        "Authentication-Results": "mx.attacker.test; dmarc=pass header.from=example.org"}))
    assert app.daemon.run_once() == 1
    assert [list(m.rcpt_tos) for m in smtp_sink.wait_for_count(2)] == [[SANNE], [SANNE]]
    with app.uow() as uow:
        [request] = views.requests(uow.repo)
    return request["id"], received(smtp_sink)[1]


def state(app: Any, request_id: int) -> dict[str, Any]:
    with app.uow() as uow:
        request = uow.repo.requests.get(request_id)
        return {"status": request.status, "verified_at": request.verified_at,
                "method": request.verification_method,
                "drafts": views.drafts(uow.repo), "outbox": views.outbox(uow.repo),
                "inbound": views.inbound(uow.repo),
                "events": [e.action for e in uow.repo.events.of(request_id=request_id)]}


@pytest.mark.parametrize("authentication", [
    "mx.attacker.test; dmarc=pass header.from=example.org",
    "mx.example.org; dmarc=fail (p=reject) header.from=example.org",
    None,
], ids=["untrusted-pass", "trusted-fail", "no-header"])
def test_a_spoofed_request_gets_only_a_verification_mail(app: Any, dovecot, smtp_sink,
                                                         authentication: str | None) -> None:
    headers = {"Authentication-Results": authentication} if authentication else {}
    dovecot.append(mail(ACCESS, headers={**headers, "Reply-To": "mallory@attacker.test"}))
    app.daemon.run_once()

    assert [list(m.rcpt_tos) for m in smtp_sink.wait_for_count(2)] == [[SANNE], [SANNE]]
    messages = received(smtp_sink)
    ack, verification = messages
    assert "ontvangen" in ack["Subject"]
    assert "Bevestig uw e-mailadres" in verification["Subject"]
    assert code_of(verification) and link_path(verification)
    with app.uow() as uow:
        [request] = views.requests(uow.repo)
    now = state(app, request["id"])
    assert now["status"] == "awaiting_verification"
    assert now["verified_at"] is None
    assert not [d for d in now["drafts"] if d["personal_data"] and d["status"] == "queued"]
    assert [d["purpose"] for d in now["drafts"]] == ["verification"]
    assert "verification_sent" in now["events"]


def test_a_trusted_dmarc_pass_needs_no_code(app: Any, dovecot, smtp_sink) -> None:
    dovecot.append(mail(ACCESS, headers={"Authentication-Results": TRUSTED_PASS}))
    app.daemon.run_once()
    with app.uow() as uow:
        [request] = views.requests(uow.repo)
    now = state(app, request["id"])
    assert (now["status"], now["method"]) == ("awaiting_approval", "dmarc")
    assert len(smtp_sink.messages) == 1  # the acknowledgement; the data waits for staff
    assert not [d for d in now["drafts"] if d["purpose"] == "verification"]


def test_replying_with_the_code_lets_the_request_proceed(app: Any, dovecot, smtp_sink) -> None:
    request_id, verification = spoofed_request(app, dovecot, smtp_sink)
    quoted = "\n".join("> " + line for line in text_of(verification).splitlines())
    dovecot.append(reply_to(verification, "Dat was ik inderdaad.\n\n" + quoted))
    assert app.daemon.run_once() == 1

    now = state(app, request_id)
    assert now["verified_at"] is not None and now["method"] == "code"
    assert now["status"] == "awaiting_approval"  # the access overview waits for staff
    assert [m["disposition"] for m in now["inbound"]] == ["request", "verification"]
    assert len(now["outbox"]) == 2  # no acknowledgement for the reply, no data unapproved
    assert len(smtp_sink.messages) == 2
    with app.uow() as uow:
        assert len(views.requests(uow.repo)) == 1  # the reply is no new request


def test_the_code_from_another_address_does_not_verify(app: Any, dovecot, smtp_sink) -> None:
    request_id, verification = spoofed_request(app, dovecot, smtp_sink)
    dovecot.append(reply_to(verification, f"Code: {code_of(verification)}",
                            sender="Mallory <mallory@attacker.test>"))
    app.daemon.run_once()

    now = state(app, request_id)
    assert (now["status"], now["verified_at"]) == ("awaiting_verification", None)
    assert "verification_wrong_sender" in now["events"]
    assert [m["disposition"] for m in now["inbound"]] == ["request", "verification"]
    assert len(smtp_sink.messages) == 2


def test_wrong_codes_fail_the_verification_once(app: Any, dovecot, smtp_sink) -> None:
    request_id, verification = spoofed_request(app, dovecot, smtp_sink)
    wrong = f"{(int(code_of(verification)) + 1) % 10 ** 8:08d}"
    for _ in range(4):  # max_attempts is 3; the fourth comes after the failure
        dovecot.append(reply_to(verification, f"De code is {wrong}."))
    app.daemon.run_once()

    now = state(app, request_id)
    assert now["status"] == "awaiting_verification" and now["verified_at"] is None
    assert now["events"].count("verification_code_wrong") == 3
    assert now["events"].count("verification_failed") == 1
    messages = received(smtp_sink)
    assert len(messages) == 3
    failed = messages[2]
    assert failed["To"] == SANNE and "niet gelukt" in failed["Subject"]
    assert "een medewerker bekijkt het" in text_of(failed)
    dovecot.append(reply_to(verification, code_of(verification)))  # too late now
    app.daemon.run_once()
    assert state(app, request_id)["verified_at"] is None
    assert len(smtp_sink.messages) == 3


def test_the_link_shows_a_form_and_verifies_once(app: Any, dovecot, smtp_sink) -> None:
    request_id, verification = spoofed_request(app, dovecot, smtp_sink)
    path = link_path(verification)
    client = TestClient(verification_app(app.uow, app.context))

    page = client.get(path)
    assert page.status_code == 200
    assert '<form method="post">' in page.text and "Bevestigen" in page.text
    assert "Confirm your e-mail address" in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert state(app, request_id)["verified_at"] is None  # a GET changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "Uw e-mailadres is bevestigd" in done.text and "confirmed" in done.text
    now = state(app, request_id)
    assert (now["method"], now["status"]) == ("link", "awaiting_approval")

    again = client.post(path)
    assert again.status_code == 410
    assert "al gebruikt" in again.text and "used already" in again.text
    assert client.get(path).status_code == 410
    unknown = client.post("/verify/" + "A" * 43)
    assert unknown.status_code == 404 and "niet geldig" in unknown.text
    assert len(smtp_sink.messages) == 2

