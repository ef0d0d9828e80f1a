"""OAuth2 (XOAUTH2) end to end: Dovecot's oauth2 passdb and an aiosmtpd server with AUTH
XOAUTH2 both check the tokens that the test token server issued to mailbot."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from mailbot.cli import cli
from mailbot.errors import MailboxUnavailable
from mailbot.oauth.status import token_status
from mailbot.store import views
from tests.harness.app import make_settings, toml_for
from tests.harness.mails import question
from tests.harness.oauth import TENANT, TokenServer, app_certificate, service_account_file
from tests.harness.wait import wait_for

pytestmark = pytest.mark.dovecot
STAFF = "staff@example.org"


@pytest.fixture
def mailbox(oauth_dovecot):
    return oauth_dovecot.mailbox()


@pytest.fixture
def smtp(smtp_sink_factory, token_server: TokenServer):
    return smtp_sink_factory(xoauth2=token_server.check_bearer)


def oauth2(token_server: TokenServer, tls_certificate, client_id: str, **more) -> dict:
    values = {"provider": "generic", "token_url": token_server.token_url,
              "client_id": client_id, "ca_file": str(tls_certificate.cert_file)}
    return values | more


def settings_for(tmp_path: Path, mailbox, smtp, mailbox_oauth: dict, *,
                 smtp_oauth: dict | None = None, database_url: str | None = None,
                 poll_interval: float = 5):
    return make_settings(
        tmp_path, mailbox_url=f"imap://{mailbox.host}:{mailbox.port}/INBOX",
        smtp_url=smtp.url, database_url=database_url,
        mailbox={"auth": "oauth2", "oauth2": {"user": mailbox.user} | mailbox_oauth,
                 "poll_interval": poll_interval},
        smtp={"auth": "oauth2", **({"oauth2": smtp_oauth} if smtp_oauth else {})},
        deadlines={"staff_address": STAFF, "digest_time": "off"})


def acknowledgements(smtp) -> list:
    return [m for m in smtp.messages if m.rcpt_tos[0] != STAFF]


def raw_column(url: str, column: str) -> bytes:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bytes(connection.execute(
                text(f"SELECT {column} FROM oauth_token WHERE account = 'mailbox'")).scalar_one())
    finally:
        engine.dispose()


def test_mail_is_fetched_and_acknowledged_over_xoauth2_logins(
        tmp_path, mailbox, smtp, token_server, tls_certificate, app_factory, database_url):
    token_server.register("mailbot-app", mailbox.user, secret="app-secret-1")
    settings = settings_for(tmp_path, mailbox, smtp, oauth2(
        token_server, tls_certificate, "mailbot-app", client_secret="app-secret-1"),
        database_url=database_url)
    app = app_factory(settings)
    uid = mailbox.append(question(1, tag="oauth"))

    assert app.daemon.run_once() == 1

    [ack] = smtp.wait_for_count(1)
    assert ack.rcpt_tos == ("oauth1@example.org",)
    assert ack.login == mailbox.user
    assert smtp.bearer_logins == [(mailbox.user, True)]
    assert "$MailbotSeen" in mailbox.flags(uid)
    log = mailbox.server.log_since()
    assert f"Login: user=<{mailbox.user}>, method=XOAUTH2" in log
    # One token served both logins: IMAP and SMTP share the mailbox's grant.
    assert [i.grant_type for i in token_server.issued] == ["client_credentials"]
    token = token_server.issued[0].access_token
    [status] = token_status(settings, app.uow)
    assert (status.account, status.ok, status.status) == ("mailbox", True, "ok")
    assert token.encode() not in raw_column(settings.database_url, "access_token")


def test_a_token_near_its_end_is_renewed_before_use_and_the_rotated_refresh_token_kept(
        tmp_path, mailbox, smtp, token_server, tls_certificate, app_factory):
    token_server.rotate = True
    token_server.register("mailbot-user", mailbox.user, secret="app-secret-2")
    seed = tmp_path / "refresh-token"
    seed.write_text(token_server.refresh_token_for("mailbot-user") + "\n")
    now = [datetime.now(UTC)]
    settings = settings_for(tmp_path, mailbox, smtp, oauth2(
        token_server, tls_certificate, "mailbot-user", client_secret="app-secret-2",
        refresh_token_file=str(seed), refresh_margin=300))
    app = app_factory(settings, clock=lambda: now[0])
    mailbox.append(question(1, tag="early"))
    app.daemon.run_once()
    smtp.wait_for_count(1)
    [first] = token_server.issued
    [rotated] = token_server.live_refresh_tokens("mailbot-user")
    assert rotated.encode() not in raw_column(settings.database_url, "refresh_token")

    # 59 minutes on, the one-hour token is within the margin; the server has ended it too.
    now[0] += timedelta(minutes=59)
    token_server.expire_access_tokens()
    mailbox.append(question(2, tag="early"))
    app.daemon.run_once()

    smtp.wait_for_count(2)
    assert [m.rcpt_tos[0] for m in smtp.messages] == ["early1@example.org", "early2@example.org"]
    second = token_server.issued[1]
    assert second.grant_type == "refresh_token" and second.access_token != first.access_token
    # Renewed before use: no login was refused on the way.
    assert all(ok for _user, ok in smtp.bearer_logins)
    assert "oauth2 failed" not in mailbox.server.log_since()
    # The configured refresh token was retired by the rotation: the second grant used the
    # rotated one, which mailbot had kept; and so does another mailbot on the same database.
    assert seed.read_text().strip() not in token_server.live_refresh_tokens("mailbot-user")
    now[0] += timedelta(minutes=59)
    other = app_factory(settings, clock=lambda: now[0])
    assert other.credentials.mailbox.tokens.access_token() == token_server.issued[2].access_token


def test_a_token_the_server_ended_early_is_replaced(
        tmp_path, mailbox, smtp, token_server, tls_certificate, app_factory):
    token_server.register("mailbot-app", mailbox.user, secret="s")
    settings = settings_for(tmp_path, mailbox, smtp, oauth2(
        token_server, tls_certificate, "mailbot-app", client_secret="s"))
    app = app_factory(settings)
    app.daemon.run_once()
    token_server.expire_access_tokens()
    mailbox.append(question(1, tag="ended"))

    assert app.daemon.run_once() == 1

    smtp.wait_for_count(1)
    assert len(token_server.issued) == 2
    assert smtp.bearer_logins == [(mailbox.user, True)]


@pytest.fixture
def running_with_two_grants(tmp_path, mailbox, smtp, token_server, tls_certificate,
                            app_factory) -> Iterator:
    """The daemon, its mailbox and SMTP logins on separate apps; tokens live 3 s."""
    token_server.lifetime = 3
    token_server.register("mailbot-imap", mailbox.user, secret="imap-secret")
    token_server.register("mailbot-smtp", mailbox.user, secret="smtp-secret")
    settings = settings_for(
        tmp_path, mailbox, smtp,
        oauth2(token_server, tls_certificate, "mailbot-imap", client_secret="imap-secret",
               refresh_margin=1),
        smtp_oauth=oauth2(token_server, tls_certificate, "mailbot-smtp",
                          client_secret="smtp-secret", user=mailbox.user, refresh_margin=1),
        poll_interval=2)
    app = app_factory(settings)
    thread = threading.Thread(target=app.daemon.run_forever, daemon=True)
    thread.start()
    yield app
    app.daemon.stop.set()
    thread.join(timeout=15)
    assert not thread.is_alive()


def test_a_revoked_grant_is_reported_in_one_log_line_a_staff_mail_and_health(
        running_with_two_grants, mailbox, smtp, token_server, caplog, tmp_path):
    app = running_with_two_grants
    caplog.set_level(logging.INFO)
    mailbox.append(question(1, tag="before"))
    smtp.wait_for_count(1, timeout=15)
    # The three-second tokens are renewed while the daemon waits.
    wait_for(lambda: sum(i.client_id == "mailbot-imap" for i in token_server.issued) >= 3,
             timeout=15, message="the mailbox token to be renewed twice")

    token_server.revoke("mailbot-imap")

    staff = wait_for(lambda: [m for m in smtp.messages if m.rcpt_tos[0] == STAFF],
                     timeout=20, message="the staff mail")
    [mail] = staff
    assert mail.message["Subject"].startswith(
        "ACTIE NODIG: mailbot kan niet inloggen op de mailbox")
    body = mail.message.get_content()
    assert "invalid_grant" in body and "mailbot-imap" in body and "consent" in body
    wait_for(lambda: not token_status(app.settings, app.uow)[0].ok, timeout=5,
             message="the refused standing")
    [mailbox_status, smtp_status] = token_status(app.settings, app.uow)
    assert (mailbox_status.account, mailbox_status.status) == ("mailbox", "refused")
    assert "invalid_grant" in (mailbox_status.error or "")
    assert smtp_status.ok

    # The daemon keeps going: mail arriving now is read over the live session and answered,
    # and when the session ends, it reconnects with backoff and says why.
    mailbox.append(question(2, tag="after"))
    wait_for(lambda: len(acknowledgements(smtp)) == 2, timeout=15, message="the second ack")
    mailbox.server.restart()
    wait_for(lambda: any("trying again" in r.getMessage() and "OAuth2" in r.getMessage()
                         for r in caplog.records), timeout=20, message="the backoff line")
    refusals = [r for r in caplog.records
                if r.levelno == logging.ERROR and "OAuth2 grant refused" in r.getMessage()]
    assert len(refusals) == 1
    line = refusals[0].getMessage()
    assert "\n" not in line and "mailbox" in line and "invalid_grant" in line
    assert "restore client mailbot-imap's grant" in line and "mailbox.oauth2" in line
    assert len([m for m in smtp.messages if m.rcpt_tos[0] == STAFF]) == 1

    config = tmp_path / "mailbot.toml"
    config.write_text(toml_for(app.settings) + f'\n[deadlines]\nstaff_address = "{STAFF}"\n')
    health = CliRunner().invoke(cli, ["--config", str(config), "health"])
    assert health.exit_code == 1
    assert "oauth2 mailbox (generic): grant refused" in health.output
    status = CliRunner().invoke(cli, ["--config", str(config), "oauth", "status"])
    assert status.exit_code == 1 and "✗ oauth2 mailbox" in status.output

    # Consent given again: the daemon's next try succeeds and the standing is ok again.
    token_server.restore("mailbot-imap")
    wait_for(lambda: all(s.ok for s in token_status(app.settings, app.uow)), timeout=30,
             message="the grant to work again")
    mailbox.append(question(3, tag="again"))
    wait_for(lambda: len(acknowledgements(smtp)) == 3, timeout=30, message="the third ack")


def test_run_once_with_a_refused_grant_fails_naming_it(
        tmp_path, mailbox, smtp, token_server, tls_certificate, app_factory, caplog):
    token_server.register("mailbot-app", mailbox.user, secret="right")
    settings = settings_for(tmp_path, mailbox, smtp, oauth2(
        token_server, tls_certificate, "mailbot-app", client_secret="wrong"))
    app = app_factory(settings)

    with pytest.raises(MailboxUnavailable, match="invalid_client"):
        app.daemon.run_once()
    # The staff mail waits for SMTP, whose login is the same refused grant.
    with app.uow() as uow:
        [staff] = views.outbox(uow.repo)
    assert staff["recipient"] == STAFF and staff["status"] == "pending"
    assert [r.levelname for r in caplog.records if "OAuth2 grant refused" in r.getMessage()] \
        == ["ERROR"]


@pytest.mark.parametrize("provider", ["microsoft", "google"])
def test_the_providers_libraries_serve_both_logins(
        provider, tmp_path, mailbox, smtp, token_server, tls_certificate, app_factory):
    if provider == "microsoft":  # msal, client credentials with a certificate
        pem, key = app_certificate(tmp_path)
        token_server.register("11111111-2222-3333-4444-555555555555", mailbox.user,
                              public_key=key.public_key())
        config = {"provider": "microsoft", "tenant": TENANT, "authority": token_server.authority,
                  "client_id": "11111111-2222-3333-4444-555555555555", "certificate": str(pem)}
    else:  # google-auth, a service account with domain-wide delegation
        path, email, key = service_account_file(tmp_path, token_server.token_url)
        token_server.register(email, mailbox.user, public_key=key.public_key())
        config = {"provider": "google", "service_account_file": str(path)}
    settings = settings_for(tmp_path, mailbox, smtp,
                            config | {"ca_file": str(tls_certificate.cert_file)})
    app = app_factory(settings)
    mailbox.append(question(1, tag=provider))

    assert app.daemon.run_once() == 1

    [ack] = smtp.wait_for_count(1)
    assert ack.rcpt_tos == (f"{provider}1@example.org",)
    assert smtp.bearer_logins == [(mailbox.user, True)]
    assert f"user=<{mailbox.user}>, method=XOAUTH2" in mailbox.server.log_since()
    assert len(token_server.issued) == 1
