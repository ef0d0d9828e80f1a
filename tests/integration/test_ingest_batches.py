"""Recorded mail handled a batch at a time (SQLite and PostgreSQL) with fewer flushes: the
dedup key is given without writing what is pending first, and a key given earlier in the same
transaction still finds its mail, so a mail sent twice within one batch is a duplicate and
the batch stays one transaction."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from mailbot.domain.kinds import Disposition
from mailbot.mailbox import FetchedMessage
from tests.harness.app import make_settings
from tests.harness.mails import mail, question


def fetched(raw: bytes, uid: int) -> FetchedMessage:
    return FetchedMessage(raw=raw, mailbox="INBOX", uidvalidity=1, uid=str(uid),
                          internaldate=datetime.now(UTC), size=len(raw))


@pytest.fixture
def app(tmp_path: Path, app_factory: Any, database_url: str) -> Any:
    return app_factory(make_settings(tmp_path, mailbox_url="maildir:///nonexistent",
                                     smtp_url="smtp://127.0.0.1:1", database_url=database_url,
                                     acknowledge={"rate_limit_count": 1000}))


def dispositions(app: Any) -> list[tuple[str, int | None]]:
    with app.uow() as uow:
        return [(str(m.disposition), m.duplicate_of_id)
                for m in uow.repo.inbound.list()]


def test_a_mail_twice_in_one_batch_is_a_duplicate_and_the_batch_one_transaction(
        app: Any, caplog: pytest.LogCaptureFixture) -> None:
    away = mail("Ik ben afwezig tot en met 30 november.", subject="Automatisch antwoord",
                headers={"Auto-Submitted": "auto-replied"}, message_id="<away-1@example.org>")
    # the first one again, and an auto-reply twice: nothing is flushed between those two
    mails = [question(1), question(2), question(1), away, away, question(3)]
    assert app.ingestor.record([fetched(raw, n) for n, raw in enumerate(mails, 1)]) == 6
    with caplog.at_level(logging.INFO, logger="mailbot.ingest"):
        assert app.ingestor.process(20) == 6
    assert "one at a time" not in caplog.text  # no conflict undid the batch
    with app.uow() as uow:
        ids = [m.id for m in uow.repo.inbound.list()]
    assert dispositions(app) == [("request", None), ("request", None), ("duplicate", ids[0]),
                                 ("auto_reply", None), ("duplicate", ids[3]),
                                 ("request", None)]


def test_the_dedup_key_is_given_without_a_flush_and_forgotten_with_a_rollback(
        app: Any) -> None:
    app.ingestor.record([fetched(question(n), n) for n in (1, 2)])
    flushes: list[int] = []

    def flushed(*_: object) -> None:
        flushes.append(1)

    with app.uow() as uow:
        one, two = uow.repo.inbound.claim_pending(2)
        one.subject = "pending"  # a change not written yet
        event.listen(Session, "after_flush", flushed)
        try:
            assert uow.repo.inbound.claim_dedup_key(one, "k" * 64) is None
            assert one.dedup_key == "k" * 64
            # given in this transaction and not written yet: still one's
            assert uow.repo.inbound.claim_dedup_key(two, "k" * 64) == one.id
            assert uow.repo.inbound.claim_dedup_key(one, "k" * 64) is None  # its own key
        finally:
            event.remove(Session, "after_flush", flushed)
        assert flushes == []
        uow.rollback()
        one, two = uow.repo.inbound.claim_pending(2)
        assert uow.repo.inbound.claim_dedup_key(two, "k" * 64) is None  # never written
        uow.commit()
    with app.uow() as uow:
        mail = uow.repo.inbound.get(two.id)
        assert mail is not None and mail.dedup_key == "k" * 64
        assert mail.disposition == Disposition.PENDING
        # committed: found in the database from now on
        assert uow.repo.inbound.claim_dedup_key(uow.repo.inbound.get(one.id), "k" * 64) \
            == two.id
