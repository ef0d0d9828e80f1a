from __future__ import annotations

import pytest

from mailbot.config import Mailbox
from mailbot.errors import ConfigError
from mailbot.mailbox.factory import imap_target, open_source
from mailbot.mailbox.imap import ImapSource
from mailbot.mailbox.maildir import MaildirSource


def test_imap_url_defaults() -> None:
    target = imap_target(Mailbox(url="imap://privacy:pw@mail.example.org"))

    assert (target.host, target.port, target.tls, target.folder) == (
        "mail.example.org",
        143,
        False,
        "INBOX",
    )
    assert (target.username, target.password) == ("privacy", "pw")
    assert target.name == "imap://privacy@mail.example.org:143/INBOX"


def test_imaps_url_with_folder_and_encoded_credentials() -> None:
    url = "imaps://privacy%40example.org:p%2Fw@mail.example.org/Privacy%20Requests"

    target = imap_target(Mailbox(url=url))

    assert (target.port, target.tls, target.folder) == (993, True, "Privacy Requests")
    assert (target.username, target.password) == ("privacy@example.org", "p/w")
    assert target.name == ("imaps://privacy%40example.org@mail.example.org:993/Privacy%20Requests")


def test_keys_win_over_url_credentials() -> None:
    settings = Mailbox(
        url="imap://old:old@mail.example.org:1143/INBOX", username="new", password="secret"
    )

    target = imap_target(settings)

    assert (target.username, target.password, target.port) == ("new", "secret", 1143)


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("imap://mail.example.org/INBOX", "mailbox.username"),
        ("imap://privacy@mail.example.org/INBOX", "mailbox.password"),
    ],
)
def test_missing_credentials_name_the_key(url: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        imap_target(Mailbox(url=url))


def test_factory_picks_the_source_by_scheme(tmp_path) -> None:
    assert isinstance(open_source(Mailbox(url="imap://u:p@localhost/INBOX")), ImapSource)
    assert isinstance(open_source(Mailbox(url=f"maildir://{tmp_path}")), MaildirSource)
