"""Issue 12 (memory): large mails fetched from a real Dovecot, one answered and one that
cannot be parsed, are kept byte for byte in raw_mail (on SQLite written into and opened from
the blob in pieces): read back by another process and by a replay, and after a key rotation
(on SQLite re-sealed in the blob in place) by the new key alone, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from mailbot.service import quarantine, users
from mailbot.store import rotate as rotation
from mailbot.store.crypto import LARGE, Cipher, generate_key
from mailbot.store.engine import make_engine
from mailbot.store.uow import uow_factory
from tests.harness.app import make_settings
from tests.integration.test_bad_input import huge_mail
from tests.unit.console_support import PASSWORD

pytestmark = pytest.mark.dovecot

STAFF = "Fenna Visser"


def test_a_large_mail_from_dovecot_is_kept_byte_for_byte(
        tmp_path: Path, dovecot: Any, smtp_sink: Any, database_url: str,
        app_factory: Any) -> None:
    old, new = generate_key(), generate_key()
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url, security={"key": old},
                             mailbox={"max_size": 8 * 2**20})
    request = huge_mail(4)  # a request with a 3 MiB attachment
    headless = b"no header here\r\n" * (3 * LARGE // 16)  # cannot be parsed: quarantined
    dovecot.append(request)
    dovecot.append(headless)
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        first, second = uow.repo.inbound.list()
        assert (first.disposition, second.disposition) == ("request", "quarantined")
        ids = first.id, second.id
    answered = smtp_sink.wait_for_count(1)  # the request acknowledged
    assert {m.rcpt_tos for m in answered} == {("big@example.org",)}

    # Another process (a new engine) reads them back as they came.
    engine = make_engine(settings.database_url, Cipher([old]))
    try:
        with uow_factory(engine)() as uow:
            assert [uow.repo.inbound.get(i).raw for i in ids] == [request, headless]
    finally:
        engine.dispose()

    # A replay parses the kept bytes again: the same reason, nothing lost.
    users.add(app.service, STAFF, "approver", PASSWORD, by=None)
    replayed = quarantine.replay(app.service, ids[1], by=STAFF)
    assert replayed.error is not None and replayed.disposition == "quarantined"
    with app.uow() as uow:
        assert uow.repo.inbound.get(ids[1]).raw == headless

    # Sealed again under a new key: the new key alone opens them, the tokens are Fernet's.
    engine = make_engine(settings.database_url, Cipher([new, old]))
    try:
        rotation.rotate(engine, Cipher([new, old]), new, tmp_path / "rotate.json")
    finally:
        engine.dispose()
    engine = make_engine(settings.database_url, Cipher([new]))
    try:
        with uow_factory(engine)() as uow:
            assert [uow.repo.inbound.get(i).raw for i in ids] == [request, headless]
        with engine.connect() as connection:
            token = connection.scalar(text("SELECT raw FROM raw_mail WHERE id = :id"),
                                      {"id": ids[0]})
        assert Fernet(new).decrypt(bytes(token)) == request
    finally:
        engine.dispose()
