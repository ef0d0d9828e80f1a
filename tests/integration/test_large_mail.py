"""A mail with a large attachment through real parts (Dovecot, the SMTP sink, SQLite and
PostgreSQL): recorded in its own row, read back byte for byte (on SQLite from the blob in
pieces), answered, and still readable after the key is changed."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from mailbot.bootstrap import App
from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import make_engine
from mailbot.store.models import InboundMail, RawMail, Request
from mailbot.store.rotate import rotate
from mailbot.store.uow import uow_factory
from tests.harness.app import make_settings

pytestmark = pytest.mark.dovecot


def attachment_mail(megabytes: float) -> bytes:
    payload = base64.encodebytes(os.urandom(int(megabytes * 2**20)))
    return (b"From: Grote Bijlage <groot@example.org>\r\nTo: privacy@example.org\r\n"
            b"Subject: Inzage\r\nMessage-ID: <large-test@example.org>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="X"\r\n\r\n--X\r\n'
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
            b"Stuur me een overzicht van mijn gegevens.\r\n"
            b"--X\r\nContent-Type: application/pdf; name=scan.pdf\r\n"
            b"Content-Disposition: attachment; filename=scan.pdf\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n"
            + payload.replace(b"\n", b"\r\n") + b"--X--\r\n")


def test_a_large_mail_is_kept_whole_and_answered(tmp_path: Path, dovecot, smtp_sink,
                                                  database_url: str, app_factory) -> None:
    key = generate_key()
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             database_url=database_url, security={"key": key})
    app: App = app_factory(settings)
    raw = attachment_mail(3)
    dovecot.append(raw)

    app.daemon.run_once()

    smtp_sink.wait_for_count(1)  # the acknowledgement
    with app.uow() as uow:
        (mail,) = uow.session.scalars(select(InboundMail)).all()
        assert mail.raw == raw and mail.raw_size == len(raw)
        assert uow.session.scalars(select(Request.kind)).all() == ["access"]
        mail_id = mail.id

    new = generate_key()
    engine = make_engine(database_url, Cipher([new, key]))
    try:
        rotate(engine, Cipher([new, key]), new, tmp_path / "rotation.json")
    finally:
        engine.dispose()
    engine = make_engine(database_url, Cipher([new]))  # the old key is gone
    try:
        with uow_factory(engine)() as uow:
            again = uow.session.get(InboundMail, mail_id)
            assert again is not None and again.raw == raw
            again.forget_content()  # erasure: the raw row goes with it
            uow.commit()
        with uow_factory(engine)() as uow:
            assert uow.session.get(RawMail, mail_id) is None
            assert uow.session.get(InboundMail, mail_id).raw is None
    finally:
        engine.dispose()
