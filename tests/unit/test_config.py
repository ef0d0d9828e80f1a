import re
import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from mailbot.config import MoreMailbox, OAuth2, Settings, load_settings
from mailbot.config import Source as SourceSettings
from mailbot.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "mailbot.example.toml"
REQUIRED = {
    "organisation": {"name": "Voorbeeld B.V.", "address": "privacy@example.org"},
    "mailbox": {"url": "imap://bot:pw@mail.example.org:143/INBOX"},
    "smtp": {"url": "smtp://mail.example.org:25"},
}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("MAILBOT_"):
            monkeypatch.delenv(name)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mailbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_is_valid_and_documents_every_key() -> None:
    settings = load_settings(EXAMPLE)
    assert settings.organisation.address == "privacy@example.org"
    text = EXAMPLE.read_text(encoding="utf-8")
    for section, field in Settings.model_fields.items():
        model = field.annotation
        if section == "sources":
            assert "[[sources]]" in text
            model = SourceSettings
        elif section == "mailboxes":  # each table: [mailbox]'s keys, a name, an address
            assert "# [[mailboxes]]" in text
            model = MoreMailbox
        else:
            assert f"[{section}]" in text, section
        assert isinstance(model, type) and issubclass(model, BaseModel)
        for key in model.model_fields:
            if key == "oauth2":  # a sub-section: its header and every key of it
                assert f"# [{section}.oauth2]" in text or f"# {key} = " in text, section
                for inner in OAuth2.model_fields:
                    assert re.search(rf"^#? ?{inner} = ", text, re.MULTILINE), f"oauth2.{inner}"
                continue
            assert re.search(rf"^#? ?{key} = ", text, re.MULTILINE), f"{section}.{key}"


def test_env_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILBOT_MAILBOX__URL", "maildir:///srv/mail/privacy")
    monkeypatch.setenv("MAILBOT_SMTP__TIMEOUT", "7.5")
    settings = load_settings(EXAMPLE)
    assert settings.mailbox.url == "maildir:///srv/mail/privacy"
    assert settings.smtp.timeout == 7.5
    assert settings.organisation.name == "Voorbeeld B.V."


def test_config_file_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[organisation]\nname = "X"\naddress = "p@example.org"\n'
                           '[mailbox]\nurl = "maildir:///tmp/m"\n[smtp]\nurl = "smtp://h"\n')
    monkeypatch.setenv("MAILBOT_CONFIG", str(path))
    assert load_settings(None).organisation.name == "X"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[organisation]\nname = "X"\n', "config error: organisation.address: missing"),
        ('[organisation]\nname = "X"\naddress = "p@example.org"\nnmae = 1\n',
         "config error: organisation.nmae: unknown key"),
        ("[mailbx]\n", "config error: mailbx: unknown key"),
        ('[mailbox]\nurl = "ftp://h/x"\n', "config error: mailbox.url: must start with"),
        ('[smtp]\nurl = "smtp://h"\ntimeout = "soon"\n', "config error: smtp.timeout:"),
        ('[organisation]\naddress = "not an address"\n',
         "config error: organisation.address: not an e-mail address"),
        ('[organisation]\ntimezone = "Mars/Olympus"\n',
         "config error: organisation.timezone: unknown time zone"),
        ('[mailbox]\nidle_renew = 3600\n', "config error: mailbox.idle_renew:"),
        ("[smtp\n", "not valid TOML"),
    ],
)
def test_a_bad_key_stops_with_one_line_naming_it(tmp_path: Path, text: str, message: str) -> None:
    base = {k: dict(v) for k, v in REQUIRED.items()}
    data = tomllib.loads(text) if not text.startswith("[smtp\n") else {}
    if data:
        for section, values in data.items():
            base.setdefault(section, {}).update(values)
            if section in ("organisation",) and "address" not in values \
                    and "missing" in message:
                base[section].pop("address")
        path = write(tmp_path, _to_toml(base))
    else:
        path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_env_error_names_the_env_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILBOT_ACKNOWLEDGE__RATE_LIMIT_COUNT", "many")
    with pytest.raises(ConfigError, match=r"acknowledge\.rate_limit_count.*"
                                          "MAILBOT_ACKNOWLEDGE__RATE_LIMIT_COUNT"):
        load_settings(None, **REQUIRED)


def test_database_defaults_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings(None, **REQUIRED, paths={"data_dir": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'mailbot.db'}"
    assert settings.from_address == "privacy@example.org"


def _to_toml(data: dict[str, dict[str, object]]) -> str:
    out = []
    for section, values in data.items():
        out.append(f"[{section}]")
        for key, value in values.items():
            out.append(f"{key} = {value!r}" if not isinstance(value, str) else f'{key} = "{value}"')
    return "\n".join(out) + "\n"
