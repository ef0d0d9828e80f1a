"""Each OAuth2 provider with its own library (msal, google-auth, a plain token request)
pointed at the test token server: tokens granted, refusals and outages told apart."""

from __future__ import annotations

import datetime
from datetime import UTC, timedelta

import pytest

from mailbot.config import OAuth2
from mailbot.errors import GrantRefused, TokenUnavailable
from mailbot.oauth.providers import provider_for
from mailbot.oauth.tokens import Account, TokenSource
from tests.harness.oauth import (
    JWT_BEARER,
    TENANT,
    TokenServer,
    app_certificate,
    rsa_key,
    service_account_file,
)

USER = "privacy@example.org"


def now() -> datetime.datetime:
    return datetime.datetime.now(UTC)


def microsoft(token_server: TokenServer, tls_certificate, **more) -> OAuth2:
    return OAuth2(provider="microsoft", tenant=TENANT, authority=token_server.authority,
                  client_id="00000000-aaaa-bbbb-cccc-000000000001",
                  ca_file=tls_certificate.cert_file, **more)


def fetch(settings: OAuth2, user: str = USER):
    return provider_for(settings, "mailbox.oauth2", user=user, clock=now).fetch(None)


# -- Microsoft 365 (msal) ------------------------------------------------------------------

def test_msal_client_secret_gets_a_token_for_the_mailbox(token_server, tls_certificate):
    settings = microsoft(token_server, tls_certificate, client_secret="s3cret")
    token_server.register(settings.client_id, USER, secret="s3cret")

    grant = fetch(settings)

    assert token_server.check_bearer(USER, grant.access_token)
    assert grant.expires_at > now() + timedelta(minutes=50)
    assert [i.grant_type for i in token_server.issued] == ["client_credentials"]


def test_msal_certificate_signs_the_client_assertion(token_server, tls_certificate, tmp_path):
    pem, key = app_certificate(tmp_path)
    settings = microsoft(token_server, tls_certificate, certificate=pem)
    token_server.register(settings.client_id, USER, public_key=key.public_key())

    grant = fetch(settings)

    assert token_server.check_bearer(USER, grant.access_token)


def test_msal_a_certificate_the_app_does_not_have_is_refused(token_server, tls_certificate,
                                                             tmp_path):
    pem, _key = app_certificate(tmp_path)
    settings = microsoft(token_server, tls_certificate, certificate=pem)
    token_server.register(settings.client_id, USER, public_key=rsa_key().public_key())

    with pytest.raises(GrantRefused, match="invalid_client") as refused:
        fetch(settings)
    assert refused.value.code == "invalid_client"


def test_msal_revoked_consent_is_a_refused_grant(token_server, tls_certificate):
    settings = microsoft(token_server, tls_certificate, client_secret="s3cret")
    token_server.register(settings.client_id, USER, secret="s3cret")
    token_server.revoke(settings.client_id)

    with pytest.raises(GrantRefused, match="invalid_grant: AADSTS65001") as refused:
        fetch(settings)
    assert refused.value.code == "invalid_grant"


# -- Gmail (google-auth) -------------------------------------------------------------------

def test_google_service_account_acts_for_the_mailbox(token_server, tls_certificate, tmp_path):
    path, email, key = service_account_file(tmp_path, token_server.token_url)
    token_server.register(email, USER, public_key=key.public_key())
    settings = OAuth2(provider="google", service_account_file=path,
                      ca_file=tls_certificate.cert_file)

    grant = fetch(settings)

    assert token_server.check_bearer(USER, grant.access_token)
    assert [i.grant_type for i in token_server.issued] == [JWT_BEARER]
    assert grant.expires_at > now() + timedelta(minutes=50)


def test_google_service_account_without_delegation_for_that_user_is_refused(
        token_server, tls_certificate, tmp_path):
    path, email, key = service_account_file(tmp_path, token_server.token_url)
    token_server.register(email, "someone-else@example.org", public_key=key.public_key())
    settings = OAuth2(provider="google", service_account_file=path,
                      ca_file=tls_certificate.cert_file)

    with pytest.raises(GrantRefused, match="unauthorized_client"):
        fetch(settings)


def test_google_stored_refresh_token_and_its_rotation(token_server, tls_certificate,
                                                      tmp_path):
    token_server.rotate = True
    token_server.register("123-abc.apps.googleusercontent.com", USER, secret="gsecret")
    seed = tmp_path / "refresh-token"
    seed.write_text(token_server.refresh_token_for("123-abc.apps.googleusercontent.com"))
    settings = OAuth2(provider="google", refresh_token_file=seed, token_url=token_server.token_url,
                      client_id="123-abc.apps.googleusercontent.com", client_secret="gsecret",
                      ca_file=tls_certificate.cert_file)
    provider = provider_for(settings, "mailbox.oauth2", user=USER, clock=now)

    grant = provider.fetch(seed.read_text())

    assert token_server.check_bearer(USER, grant.access_token)
    assert grant.refresh_token in token_server.live_refresh_tokens(
        "123-abc.apps.googleusercontent.com")
    with pytest.raises(GrantRefused, match="invalid_grant"):
        provider.fetch(seed.read_text())  # retired by the rotation


# -- any endpoint, and outages -------------------------------------------------------------

@pytest.mark.parametrize("provider", ["generic", "microsoft", "google"])
def test_an_endpoint_that_cannot_be_reached_is_unavailable_not_refused(
        provider, token_server, tls_certificate, tmp_path):
    token_server.stop()
    if provider == "generic":
        settings = OAuth2(provider="generic", token_url=token_server.token_url, client_id="c",
                          client_secret="s", ca_file=tls_certificate.cert_file, timeout=2)
    elif provider == "microsoft":
        settings = microsoft(token_server, tls_certificate, client_secret="s", timeout=2)
    else:
        path, _email, _key = service_account_file(tmp_path, token_server.token_url)
        settings = OAuth2(provider="google", service_account_file=path,
                          ca_file=tls_certificate.cert_file, timeout=2)

    with pytest.raises(TokenUnavailable, match="cannot be reached"):
        fetch(settings)


def test_an_untrusted_endpoint_certificate_is_unavailable(token_server):
    settings = OAuth2(provider="generic", token_url=token_server.token_url, client_id="c",
                      client_secret="s")
    with pytest.raises(TokenUnavailable, match="CERTIFICATE_VERIFY_FAILED"):
        fetch(settings)


def test_after_a_refusal_the_endpoint_is_asked_again_only_after_a_pause(
        token_server, tls_certificate):
    token_server.register("c", USER, secret="s")
    token_server.revoke("c")
    settings = OAuth2(provider="generic", token_url=token_server.token_url, client_id="c",
                      client_secret="s", ca_file=tls_certificate.cert_file)
    clock = [now()]
    source = TokenSource(Account("mailbox", "mailbox.oauth2", settings, USER),
                         provider_for(settings, "mailbox.oauth2", user=USER,
                                      clock=lambda: clock[0]),
                         clock=lambda: clock[0])
    with pytest.raises(GrantRefused):
        source.access_token()
    token_server.restore("c")
    with pytest.raises(GrantRefused):
        source.access_token()  # within the pause: the same answer, no request
    assert token_server.issued == []
    clock[0] += timedelta(seconds=2)
    assert token_server.check_bearer(USER, source.access_token())
    assert not source.refused
