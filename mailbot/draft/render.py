"""Render a reply: the template's first line is ``Subject: ...``, then a blank line, then
the body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from mailbot.draft.dates import long_date
from mailbot.draft.quoting import quoted_name
from mailbot.errors import TemplateError

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True, slots=True)
class RenderedMail:
    language: str
    subject: str
    body: str


def default_templates_dir() -> Path:
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_templates", package.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise TemplateError("no templates directory found: set paths.templates_dir")


_SENDER_NAMES = ("name", "sender_name")


class Renderer:
    def __init__(self, templates_dir: Path | None = None) -> None:
        root = templates_dir or default_templates_dir()
        self.mail_dir = root / "mail"
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(self.mail_dir)),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._languages: dict[str, frozenset[str]] = {}

    def languages_for(self, name: str) -> frozenset[str]:
        """The languages ``name`` is written in (looked up once per template name)."""
        found = self._languages.get(name)
        if found is None:
            found = frozenset(p.parent.name for p in self.mail_dir.glob(f"*/{name}.txt.j2"))
            self._languages[name] = found
        return found

    def load(self, *names: str) -> None:
        """Compile ``names`` in every language they are written in (10-15 ms each), so that
        the first mail that needs one does not wait for it."""
        for name in names:
            for language in sorted(self.languages_for(name)):
                self._env.get_template(f"{language}/{name}.txt.j2")

    def language_for(self, name: str, wanted: str | None) -> str:
        available = self.languages_for(name)
        return wanted if wanted in available else FALLBACK_LANGUAGE

    def render(self, name: str, language: str, context: dict[str, Any]) -> RenderedMail:
        """``name`` in ``language`` (or the fallback). A sender's display name in the context
        (``name``, ``sender_name``) is quoted short and cleaned (``draft.quoting``)."""
        language = self.language_for(name, language)
        context = {**context, **{key: quoted_name(context[key]) for key in _SENDER_NAMES
                                 if isinstance(context.get(key), str)}}
        try:
            template = self._env.get_template(f"{language}/{name}.txt.j2")
            text = template.render(**context, language=language,
                                   long_date=lambda d: long_date(d, language))
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template {language}/{name}.txt.j2 not found") from exc
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"template {language}/{name}.txt.j2: {exc.message}") from exc
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template {language}/{name}.txt.j2 line {exc.lineno}: "
                                f"{exc.message}") from exc
        head, sep, body = text.partition("\n\n")
        if not sep or not head.startswith("Subject:"):
            raise TemplateError(f"template {language}/{name}.txt.j2 must start with "
                                "'Subject: ...' and a blank line")
        return RenderedMail(language, head.removeprefix("Subject:").strip(), body.strip() + "\n")
