"""The reply templates: every one in every language compiles and renders to a subject line
and a body; the acknowledgement (sent without a person looking) renders strictly for every
request kind in every language."""

from __future__ import annotations

from datetime import date
from typing import Any

import jinja2

from mailbot.check.item import Item, failed, passed
from mailbot.config import Settings
from mailbot.domain.kinds import RequestKind
from mailbot.draft.render import Renderer
from mailbot.errors import MailbotError

FIX = "correct the template named (paths.templates_dir), or remove paths.templates_dir to " \
      "use the shipped ones"


def templates(settings: Settings) -> Item:
    name = "templates"
    try:
        renderer = Renderer(settings.paths.templates_dir)
    except MailbotError as exc:
        return failed(name, str(exc), FIX)
    files = sorted(renderer.mail_dir.glob("*/*.txt.j2"))
    if not files:
        return failed(name, f"no templates in {renderer.mail_dir}", FIX)
    probe = jinja2.Environment(loader=jinja2.FileSystemLoader(str(renderer.mail_dir)),
                               undefined=jinja2.ChainableUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True)
    for file in files:
        relative = file.relative_to(renderer.mail_dir).as_posix()
        problem = _lenient(probe, relative)
        if problem:
            return failed(name, problem, FIX)
    languages = sorted({file.parent.name for file in files})
    for language in languages:
        for kind in RequestKind:
            try:
                renderer.render("acknowledgement", language, _acknowledgement(settings, kind))
            except MailbotError as exc:
                return failed(name, f"the acknowledgement of kind {kind}: {exc}", FIX)
    return passed(name, f"{len(files)} templates in {', '.join(languages)} render; "
                  f"the acknowledgement for every kind")


def _lenient(probe: jinja2.Environment, relative: str) -> str | None:
    try:
        template = probe.get_template(relative)
    except jinja2.TemplateSyntaxError as exc:
        return f"{relative} line {exc.lineno}: {exc.message}"
    try:
        text = template.render(long_date=lambda _d: "1 January 2026")
    except jinja2.UndefinedError:
        return None  # needs real values to go further; the syntax is sound
    except Exception as exc:  # a template is code: whatever it raises is its fault
        return f"{relative}: {exc}"
    if not text.lstrip().startswith("Subject:") or "\n\n" not in text:
        return f"{relative} must start with 'Subject: ...' and a blank line"
    return None


def _acknowledgement(settings: Settings, kind: RequestKind) -> dict[str, Any]:
    return {"name": "Sanne Jansen", "subject": "Mijn gegevens", "received": date(2026, 1, 5),
            "due": date(2026, 2, 5),
            "requests": [{"reference": "MB-2026-00001", "kind": str(kind)}],
            "any_rights": kind != RequestKind.OTHER,
            "organisation": settings.organisation.name,
            "address": settings.organisation.address}
