"""Bad input through the real path: quarantined with its raw bytes, never lost, never a crash."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mailbot.mailbox.source import KEPT_BYTES
from mailbot.store import views
from mailbot.store.models import InboundMail
from tests.harness.app import make_settings
from tests.harness.mails import acknowledgements, mail

pytestmark = pytest.mark.dovecot


def huge_mail(megabytes: int) -> bytes:
    payload = base64.encodebytes(os.urandom(megabytes * 1024 * 1024 * 3 // 4)).replace(
        b"\n", b"\r\n")
    return (b"From: Big Sender <big@example.org>\r\nTo: privacy@example.org\r\n"
            b"Subject: Mijn gegevens, zie bijlage\r\nMessage-ID: <huge@mail.example.org>\r\n"
            b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="X"\r\n\r\n'
            b"--X\r\nContent-Type: text/plain\r\n\r\nStuur me een overzicht van mijn gegevens.\r\n"
            b"--X\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64"
            b'\r\nContent-Disposition: attachment; filename="scan.bin"\r\n\r\n'
            + payload + b"--X--\r\n")


def test_bad_mail_is_quarantined_with_its_raw_bytes(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    big = huge_mail(30)
    garbage = bytes(range(1, 256)) * 8
    dovecot.append(big)
    dovecot.append(garbage)
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        rows = uow.repo.inbound.list()
        assert [r.disposition for r in rows] == ["quarantined", "quarantined"]
        assert "too large" in rows[0].error and "mailbox.max_size" in rows[0].error
        assert "stays in the mailbox" in rows[0].error  # staff are told where it is
        # Only the header and the start of the text were read and kept; the size is known.
        header = big.split(b"\r\n\r\n", 1)[0]
        assert rows[0].raw.startswith(header)
        assert len(rows[0].raw) <= len(header) + 4 + KEPT_BYTES
        assert rows[0].raw_size == len(big)
        assert rows[1].error
        assert rows[1].raw is not None and len(rows[1].raw) >= len(garbage)
    assert smtp_sink.messages == []
    for uid in dovecot.uids():
        assert "$MailbotSeen" in dovecot.flags(uid)  # still in the inbox, marked


def test_a_mail_over_the_limit_is_read_in_part_from_a_maildir_too(
    tmp_path: Path, smtp_sink, app_factory
) -> None:
    maildir = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    big = huge_mail(30)
    (maildir / "new" / "1.big.eml").write_bytes(big)
    settings = make_settings(tmp_path, mailbox_url=f"maildir://{maildir}",
                             smtp_url=smtp_sink.url)
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        [row] = uow.repo.inbound.list()
        assert row.disposition == "quarantined" and "too large" in row.error
        assert len(row.raw) <= 1024 + KEPT_BYTES and row.raw_size == len(big)
    assert (maildir / "new" / "1.big.eml").exists()  # left where it is
    app.daemon.run_once()  # and not recorded twice
    with app.uow() as uow:
        assert len(uow.repo.inbound.list()) == 1


def test_a_big_mail_under_the_limit_is_handled(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url,
                             mailbox={"max_size": 40 * 1024 * 1024})
    dovecot.append(huge_mail(30))
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        [request] = views.requests(uow.repo)
    assert request["kind"] == "access"
    assert len(acknowledgements(smtp_sink.wait_for_count(2))) == 1


def test_odd_but_readable_mail_is_answered(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    no_id = mail("Please send me a copy of my personal data.", subject="Access request",
                 sender="No Id <noid@example.org>", message_id=None)
    html_only = mail(html="<html><body><script>alert(1)</script><p>Graag wil ik "
                          "<b>inzage</b> in mijn persoonsgegevens.</p></body></html>",
                     subject="Vraag", sender="Html Only <html@example.org>")
    broken_charset = (b"From: =?x-unknown?Q?Ren=E9?= <rene@example.org>\r\n"
                      b"To: privacy@example.org\r\nSubject: =?utf-8?B?broken?=\r\n"
                      b"Message-ID: <charset@mail.example.org>\r\n"
                      b"Content-Type: text/plain; charset=x-unknown-charset\r\n\r\n"
                      b"Verwijder al mijn gegevens alstublieft. Caf\xe9 \xff\xfe\r\n")
    for raw in (no_id, html_only, broken_charset):
        dovecot.append(raw)
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        rows = uow.repo.inbound.list()
        assert [r.disposition for r in rows] == ["request"] * 3
        assert rows[0].message_id is None
        assert "<" not in rows[1].body_text and "alert" not in rows[1].body_text
        assert "inzage" in rows[1].body_text
        kinds = {r["sender"]: r["kind"] for r in views.requests(uow.repo)}
    assert kinds == {"noid@example.org": "access", "html@example.org": "access",
                     "rene@example.org": "erasure"}
    # Each gets an acknowledgement and a verification mail.
    assert len(acknowledgements(smtp_sink.wait_for_count(6))) == 3


def test_no_plaintext_mail_body_in_the_sqlite_file(
    tmp_path: Path, dovecot, smtp_sink, app_factory
) -> None:
    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    secret = "Mijn nieuwe adres is Tulpenstraat 42 in Zwolle, telefoon 0612345678."
    dovecot.append(mail(secret, subject="Adreswijziging Tulpenstraat"))
    app = app_factory(settings)
    app.daemon.run_once()
    smtp_sink.wait_for_count(2)
    with app.uow() as uow:
        assert "Tulpenstraat 42" in uow.repo.inbound.list()[0].body_text  # readable through mailbot
    app.close()
    files = [p for p in (settings.paths.data_dir).glob("mailbot.db*")]
    assert files
    data = b"".join(p.read_bytes() for p in files)
    for needle in ("Tulpenstraat", "0612345678", "Zwolle"):
        assert needle.encode() not in data, needle
    assert b"sanne.jansen@example.org" in data  # the sender is kept in clear, for lookups
    engine = create_engine(settings.database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM inbound_mail")).scalar_one() == 1
    engine.dispose()


def test_inbound_rows_keep_raw_and_hash(tmp_path: Path, dovecot, smtp_sink, app_factory) -> None:
    import hashlib

    settings = make_settings(tmp_path, mailbox_url=dovecot.url(), smtp_url=smtp_sink.url)
    raw = mail()
    dovecot.append(raw)
    app = app_factory(settings)
    app.daemon.run_once()
    with app.uow() as uow:
        row: InboundMail = uow.repo.inbound.list()[0]
        assert row.raw_sha256 == hashlib.sha256(row.raw).hexdigest()
        assert row.uidvalidity == dovecot.uidvalidity()
