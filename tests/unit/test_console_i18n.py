"""Every console string exists in Dutch and in English, with the same placeholders."""

from __future__ import annotations

import re
import string
from pathlib import Path

from mailbot.console.auth import Role
from mailbot.console.i18n import LANGUAGES, Translator, catalog, choose
from mailbot.domain.kinds import RequestKind
from mailbot.domain.states import DraftStatus, RequestStatus

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [*ROOT.glob("templates/console/*.html"), *ROOT.glob("mailbot/console/**/*.py")]
USED = re.compile(r"""\bt\(\s*["']([a-z_]+(?:\.[a-z_]+)+)["']""")
REFUSED = re.compile(r"""Refused\(\d+, "([a-z_.]+)\"""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_dutch_and_english_have_the_same_keys_and_placeholders() -> None:
    nl, en = catalog("nl"), catalog("en")
    assert set(nl) == set(en)
    for key in en:
        assert nl[key].strip() and en[key].strip(), key
        assert placeholders(nl[key]) == placeholders(en[key]), key


def test_every_key_the_pages_use_exists() -> None:
    used: set[str] = set()
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        used |= set(USED.findall(text)) | set(REFUSED.findall(text))
    assert len(used) > 100
    missing = used - set(catalog("en"))
    assert not missing


def test_every_value_shown_by_name_has_a_name_in_both_languages() -> None:
    groups = {
        "kind": [str(k) for k in RequestKind],
        "status": [str(s) for s in RequestStatus],
        "role": [str(r) for r in Role],
        "draft": [str(s) for s in DraftStatus],
        "mark": ["overdue", "week", "triage"],
        "method": ["dmarc", "code", "link"],
    }
    for language in LANGUAGES:
        texts = catalog(language)
        for group, values in groups.items():
            for value in values:
                assert f"{group}.{value}" in texts, (language, group, value)


def test_the_done_messages_the_routes_redirect_with_exist() -> None:
    done: set[str] = set()
    for source in ROOT.glob("mailbot/console/routes/*.py"):
        text = source.read_text(encoding="utf-8")
        done |= set(re.findall(r'(?:done|action)="([a-z_]+)"', text))
        done |= set(re.findall(r'_back\(call, [\w.]+, "([a-z_]+)"\)', text))
    assert {"approved", "edited", "rejected", "note", "kind", "dismissed",
            "client_saved"} <= done
    for key in done:
        assert f"done.{key}" in catalog("nl") and f"done.{key}" in catalog("en"), key


def test_choosing_a_language() -> None:
    assert choose(None, None, accept_language="nl-BE,nl;q=0.9,en;q=0.8", default="en") == "nl"
    assert choose(None, "en", accept_language="nl", default="nl") == "en"
    assert choose("nl", "en", accept_language="en", default="en") == "nl"
    assert choose(None, "de", accept_language="fr-FR, de", default="de") == "nl"
    assert choose(None, None, accept_language=None, default="en") == "en"
    t = Translator("en")
    assert t("login.slow_down", seconds=3).startswith("Too many failed attempts")
    assert t.label("kind", "erasure") == "Erasure" and t.label("kind", "novel") == "novel"


def test_every_event_the_code_records_has_a_name_in_both_languages() -> None:
    recorded: set[str] = set()
    for source in ROOT.glob("mailbot/**/*.py"):
        text = source.read_text(encoding="utf-8")
        recorded |= set(re.findall(r'(?<!def )\b_?event\([^(){}"]*"([a-z_]+)"', text))
        recorded |= set(re.findall(r'action="([a-z_]+)"', text))
        if source.name == "users.py" and source.parent.name == "service":
            recorded |= set(re.findall(r'"(user_[a-z_]+)"(?: if| else|, )', text))
    recorded |= {f"verification_{s}" for s in ("expired", "failed")}  # made by f-string
    assert {"changes_found", "search_again", "closed", "assigned", "optout_added"} <= recorded
    for language in LANGUAGES:
        missing = {a for a in recorded if f"event.{a}" not in catalog(language)}
        assert not missing, (language, missing)
