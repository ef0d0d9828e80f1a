"""Settings and a wired mailbot for tests, pointed at the real servers of the harness."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from mailbot.config import Settings, load_settings
from mailbot.store.crypto import generate_key

ORG_ADDRESS = "privacy@example.org"


def make_settings(tmp_path: Path, *, mailbox_url: str, smtp_url: str,
                  database_url: str | None = None, **sections: Any) -> Settings:
    values: dict[str, dict[str, Any]] = {
        "organisation": {"name": "Voorbeeld B.V.", "address": ORG_ADDRESS},
        "mailbox": {"url": mailbox_url, "poll_interval": 5, "timeout": 10,
                    "reconnect_min_delay": 0.1, "reconnect_max_delay": 1},
        "smtp": {"url": smtp_url, "timeout": 5, "retry_min_delay": 0.2,
                 "retry_max_delay": 1},
        "security": {"key": generate_key()},
        "paths": {"data_dir": str(tmp_path / "var")},
        "database": {"url": database_url} if database_url else {},
    }
    for section, overrides in sections.items():
        if isinstance(overrides, dict):
            values.setdefault(section, {}).update(overrides)
        else:
            values[section] = overrides
    return load_settings(None, **values)


def toml_for(settings: Settings) -> str:
    """The settings as a config file, for tests that run mailbot as a separate process."""
    lines = []
    for section in ("organisation", "mailbox", "smtp", "database", "security", "acknowledge",
                    "paths"):
        lines.append(f"[{section}]")
        model = getattr(settings, section)
        for key in model.model_dump(exclude_none=True):
            lines.append(f"{key} = {_toml_value(getattr(model, key))}")
    return "\n".join(lines) + "\n"


def _toml_value(value: Any) -> str:
    if hasattr(value, "get_secret_value"):
        value = value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, tuple | list):
        return f"[{', '.join(repr(str(v)) for v in value)}]"
    if isinstance(value, BaseModel):  # a sub-section (e.g. mailbox.oauth2): inline table
        items = [f"{k} = {_toml_value(getattr(value, k))}"
                 for k in value.model_dump(exclude_none=True)]
        return "{ " + ", ".join(items) + " }"
    return f'"{value}"'


@pytest.fixture
def app_factory() -> Iterator[Any]:
    from mailbot.bootstrap import App, bootstrap  # here: the plugin must load without it

    apps: list[App] = []

    def make(settings: Settings, **kwargs: Any) -> App:
        app = bootstrap(settings, **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()
