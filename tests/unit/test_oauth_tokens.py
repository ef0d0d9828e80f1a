"""OAuth2 settings, accounts and the token source's bookkeeping (renewal margin, a new
refresh token in the file, refusals recorded once) against a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mailbot.config import load_settings
from mailbot.draft.render import Renderer
from mailbot.errors import ConfigError, GrantRefused
from mailbot.oauth.keeper import DatabaseKeeper
from mailbot.oauth.providers import Grant
from mailbot.oauth.status import token_problems, token_status
from mailbot.oauth.tokens import TokenSource, TokenSources
from mailbot.store import views

BASE = {"organisation": {"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
        "smtp": {"url": "smtp://mail.example.org"}}


def settings(mailbox_oauth: dict | None = None, smtp: dict | None = None, **mailbox):
    values = dict(BASE)
    values["mailbox"] = {"url": "imaps://mail.example.org/INBOX", **mailbox}
    if mailbox_oauth is not None:
        values["mailbox"] |= {"auth": "oauth2", "oauth2": mailbox_oauth}
    if smtp is not None:
        values["smtp"] = {"url": "smtp://mail.example.org"} | smtp
    values["deadlines"] = {"staff_address": "staff@example.org"}
    return load_settings(None, **values)


@pytest.mark.parametrize(("oauth2", "message"), [
    ({"provider": "microsoft", "client_id": "c", "client_secret": "s"}, "needs tenant"),
    ({"provider": "microsoft", "tenant": "t", "client_id": "c"}, "needs client_secret"),
    ({"provider": "google"}, "needs service_account_file"),
    ({"provider": "google", "refresh_token_file": "/f"}, "needs client_id and client_secret"),
    ({"provider": "generic", "client_id": "c", "client_secret": "s"}, "needs token_url"),
    ({"provider": "generic", "token_url": "https://t.example.org", "client_id": "c"},
     "needs client_secret"),
    ({"provider": "yahoo"}, "mailbox.oauth2.provider"),
])
def test_incomplete_oauth2_settings_name_the_key(oauth2, message) -> None:
    with pytest.raises(ConfigError, match=message) as error:
        settings(oauth2)
    assert "mailbox.oauth2" in str(error.value)


def test_smtp_oauth2_without_any_grant_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"smtp.auth: \"oauth2\" needs \[smtp.oauth2\]"):
        settings(smtp={"auth": "oauth2"})


def test_smtp_shares_the_mailbox_grant_and_its_user() -> None:
    sources = TokenSources(settings(
        {"provider": "generic", "token_url": "https://t.example.org/token", "client_id": "c",
         "client_secret": "s"}, smtp={"auth": "oauth2"}, username="privacy@example.org"),
        clock=lambda: datetime.now(UTC))
    assert sources.mailbox is not None and sources.smtp is not None
    assert sources.smtp.tokens is sources.mailbox.tokens
    assert sources.smtp.user == "privacy@example.org"
    assert list(sources.sources) == ["mailbox"]


def test_an_oauth2_login_needs_a_user() -> None:
    with pytest.raises(ConfigError, match=r"mailbox\.oauth2\.user: missing"):
        TokenSources(settings({"provider": "generic", "token_url": "https://t.example.org",
                               "client_id": "c", "client_secret": "s"}),
                     clock=lambda: datetime.now(UTC))


class Endpoint:
    """mailbot's Provider interface answered from a script (the libraries are tested
    against the test token server in tests/integration/test_oauth_providers.py)."""

    name = "generic"
    uses_refresh_token = True

    def __init__(self, clock) -> None:
        self.clock = clock
        self.asked: list[str | None] = []
        self.refuse = False
        self.number = 0

    def fetch(self, refresh_token: str | None) -> Grant:
        self.asked.append(refresh_token)
        if self.refuse:
            raise GrantRefused("token endpoint answered invalid_grant: revoked", "invalid_grant")
        self.number += 1
        return Grant(f"at-{self.number}", self.clock() + timedelta(hours=1),
                     f"rt-{self.number}")


@pytest.fixture
def world(tmp_path: Path, store):
    seed = tmp_path / "refresh-token"
    seed.write_text("rt-seed\n")
    config = settings({"provider": "generic", "token_url": "https://t.example.org/token",
                       "client_id": "c", "refresh_token_file": str(seed), "user": "u@example.org"})
    now = [datetime(2026, 12, 5, 9, 0, tzinfo=UTC)]
    clock = lambda: now[0]  # noqa: E731
    keeper = DatabaseKeeper(store, config, Renderer(None), clock)
    endpoint = Endpoint(clock)

    def source() -> TokenSource:
        account = TokenSources(config, clock=clock).mailbox.tokens.account
        return TokenSource(account, endpoint, clock=clock, keeper=keeper)

    return config, now, seed, endpoint, source


def test_renewed_within_the_margin_rotations_kept_and_a_new_file_token_noticed(
        world, store) -> None:
    _config, now, seed, endpoint, source = world
    first = source()
    assert first.access_token() == "at-1"
    now[0] += timedelta(minutes=50)
    assert first.access_token() == "at-1"  # 10 minutes left, margin 5
    now[0] += timedelta(minutes=6)
    assert first.access_token() == "at-2"
    assert endpoint.asked == ["rt-seed", "rt-1"]  # the rotated one, kept
    # Another process (a new source) takes the saved token, then the saved refresh token.
    assert source().access_token() == "at-2"
    now[0] += timedelta(minutes=56)
    assert source().access_token() == "at-3" and endpoint.asked[-1] == "rt-2"
    # A person puts a new refresh token in the file: the chain starts again from it.
    seed.write_text("rt-new\n")
    assert source().access_token() == "at-4" and endpoint.asked[-1] == "rt-new"


def test_a_refusal_is_recorded_and_told_to_staff_once(world, store) -> None:
    config, now, _seed, endpoint, source = world
    tokens = source()
    endpoint.refuse = True
    for _ in range(3):
        with pytest.raises(GrantRefused):
            tokens.access_token()
        now[0] += timedelta(minutes=10)
    [status] = token_status(config, store)
    assert (status.ok, status.status) == (False, "refused")
    assert "invalid_grant" in status.error and "refresh-token" in status.error
    assert token_problems(config, store) == [status.line]
    with store() as uow:
        staff = views.outbox(uow.repo)
    assert [m["recipient"] for m in staff] == ["staff@example.org"]

    endpoint.refuse = False
    now[0] += timedelta(minutes=10)
    assert tokens.access_token() == "at-1"
    assert token_problems(config, store) == []
