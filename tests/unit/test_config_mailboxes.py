"""``[[mailboxes]]``: several mailboxes beside ``[mailbox]``, each named, with its own
address for replies; mistakes are refused with the key that holds them."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.config import Settings, load_settings
from mailbot.errors import ConfigError

BASE = """
[organisation]
name = "Voorbeeld B.V."
address = "privacy@example.org"

[mailbox]
url = "imap://privacy:secret@mail.example.org/INBOX"

[smtp]
url = "smtp://mail.example.org"
"""


def settings_from(tmp_path: Path, more: str) -> Settings:
    config = tmp_path / "mailbot.toml"
    config.write_text(BASE + more, encoding="utf-8")
    return load_settings(config)


def test_more_mailboxes_are_named_and_answer_from_their_own_address(tmp_path: Path) -> None:
    settings = settings_from(tmp_path, """
[[mailboxes]]
name = "sales"
url = "imap://sales:secret@mail.example.org/INBOX"
address = "Sales-Privacy@Example.org"

[[mailboxes]]
name = "brand-b"
url = "maildir:///srv/mail/brand-b"
""")
    assert [name for name, _ in settings.all_mailboxes()] == ["mailbox", "sales", "brand-b"]
    assert settings.mailboxes[0].address == "sales-privacy@example.org"
    assert settings.mailboxes[1].address is None
    assert settings.own_addresses == {"privacy@example.org", "sales-privacy@example.org"}


@pytest.mark.parametrize(("more", "said"), [
    ('[[mailboxes]]\nname = "sales"\nurl = "imap://privacy:secret@mail.example.org/INBOX"\n',
     "imap://privacy:***@mail.example.org/INBOX is configured twice"),
    ('[[mailboxes]]\nname = "a"\nurl = "maildir:///srv/a"\n'
     '[[mailboxes]]\nname = "a"\nurl = "maildir:///srv/b"\n', "the name 'a' is given twice"),
    ('[[mailboxes]]\nname = "mailbox"\nurl = "maildir:///srv/a"\n',
     'the name "mailbox" is the [mailbox] section'),
    ('[[mailboxes]]\nname = "Sales Team"\nurl = "maildir:///srv/a"\n', "mailboxes.0.name"),
    ('[[mailboxes]]\nurl = "maildir:///srv/a"\n', "mailboxes.0.name"),
    ('[[mailboxes]]\nname = "a"\nurl = "pop3://mail.example.org"\n', "mailboxes.0.url"),
    ('[[mailboxes]]\nname = "a"\nurl = "maildir:///srv/a"\naddress = "nobody"\n',
     "not an e-mail address"),
    ('[[mailboxes]]\nname = "a"\nurl = "imap://mail.example.org/INBOX"\nauth = "oauth2"\n'
     'oauth2 = { provider = "generic", token_url = "https://login.example.org/token", '
     'client_id = "x", client_secret = "s", user = "a@example.org" }\n',
     "supported on [mailbox] only"),
])
def test_a_mistake_in_the_mailboxes_is_refused_with_its_key(tmp_path: Path, more: str,
                                                             said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_from(tmp_path, more)
    assert said in str(caught.value)
    assert "secret" not in str(caught.value)
