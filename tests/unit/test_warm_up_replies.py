"""A worker's warm-up compiles the replies a request mail may get at once (its
acknowledgement, a verification mail, an opt-out's confirmation) in every language, so that
the first mails after a start do not wait 10-15 ms for each template's compilation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest

from mailbot.bootstrap import bootstrap
from tests.harness.app import make_settings

REPLIES = ("acknowledgement", "verification", "unsubscribe_confirmation")


def test_the_replies_of_the_first_mails_are_compiled_by_the_warm_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = bootstrap(make_settings(tmp_path, mailbox_url="maildir:///nonexistent",
                                  smtp_url="smtp://127.0.0.1:1"))
    try:
        app.daemon.warm_up()
        compiled: list[str | None] = []
        real = jinja2.Environment.compile

        def recording(self: jinja2.Environment, source: Any, name: str | None = None,
                      *args: Any, **kwargs: Any) -> Any:
            compiled.append(name)
            return real(self, source, name, *args, **kwargs)

        monkeypatch.setattr(jinja2.Environment, "compile", recording)
        environment = app.services.renderer._env
        for name in REPLIES:
            assert app.services.renderer.languages_for(name) == {"nl", "en", "de", "fr"}
            for language in ("nl", "en", "de", "fr"):
                environment.get_template(f"{language}/{name}.txt.j2")
        assert compiled == []
        environment.get_template("en/refusal.txt.j2")  # one the warm-up leaves
        assert compiled == ["en/refusal.txt.j2"]
    finally:
        app.close()
