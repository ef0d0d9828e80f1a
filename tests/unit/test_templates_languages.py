"""Every reply exists in Dutch, English, German and French, and renders in each through the
Renderer with the context its handler gives it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from mailbot.draft.render import Renderer

LANGUAGES = ("nl", "en", "de", "fr")
MAIL_DIR = Path(__file__).resolve().parents[2] / "templates" / "mail"
ORG = {"organisation": "Voorbeeld B.V.", "address": "privacy@example.org"}
REQUESTS = [{"reference": "MB-2026-00007", "kind": "access"},
            {"reference": "MB-2026-00008", "kind": "unsubscribe"}]
FIELDS = [{"key": "name", "label": "Name", "configured": False, "value": "Sanne Jansen"},
          {"key": "last_order", "label": "Last order", "configured": False,
           "value": "2026-10-02"}]
SOURCE = {"name": "CRM", "own": False, "records": [FIELDS],
          "purposes": ["customer administration", "content_mailings"],
          "categories": ["name", "address"], "recipients": ["accountant"],
          "no_recipients": False, "no_transfers": False, "retention": "7 years",
          "origin": "you",
          "transfers": [{"country": "United States", "recipient": "Mailer Inc.",
                         "safeguards": "standard contractual clauses"}]}
OWN = {"name": "Privacy mailbox", "own": True, "no_recipients": True, "no_transfers": True,
       "records": [[{"key": "opt_out", "label": "Opt out", "configured": False,
                     "value": "content_mailings"}]],
       "purposes": [], "categories": [], "recipients": [], "transfers": [],
       "retention": "", "origin": ""}
ACCESS = {"reference": "MB-2026-00007", "name": "", "email": "sanne.jansen@example.org",
          "received": date(2026, 1, 31), "pending": ["Call list"],
          "clients": [{"name": "Klant B.V.", "forwarded": True}]}
REGISTER = {"reference": "MB-2026-00009", "order": "Webshop", "client": "Klant B.V.",
            "change": "amended", "version": 2, "valid_from": date(2026, 2, 1),
            "valid_to": None, "rows": [{"name": "Purpose", "value": "order fulfilment"}],
            "missing": ["Retention"]}
STAFF = {"reference": "MB-2026-00007", "kind": "access", "status": "awaiting_approval",
         "received": date(2026, 1, 31), "due": date(2026, 2, 28),
         "target": date(2026, 2, 21), "extended_months": 1,
         "waiting": [{"id": 3, "purpose": "reply"}]}
ROW = {"reference": "MB-2026-00007", "kind": "erasure", "status": "acknowledged",
       "received": date(2026, 1, 31), "target": date(2026, 2, 21), "due": date(2026, 2, 28)}
VERIFY = {"requests": REQUESTS, "name": "Sanne Jansen", "received": date(2026, 1, 31),
          "code": "K7M-2QX", "link": "https://privacy.example.org/v/abc",
          "expires": date(2026, 2, 7), "expires_time": "10:00"}

CONTEXTS: dict[str, dict[str, Any]] = {
    "acknowledgement": {"name": "Sanne Jansen", "subject": "Inzage",
                        "received": date(2026, 1, 31), "due": date(2026, 2, 28),
                        "requests": REQUESTS, "any_rights": True},
    "access_none": {**ACCESS, "clients": []},
    "access_overview": {**ACCESS, "sources": [SOURCE, OWN], "profiling": ""},
    "access_referral": ACCESS,
    "correction_confirmation": {
        "reference": "MB-2026-00007", "name": "Sanne Jansen", "received": date(2026, 1, 31),
        "email_change": True, "notified": ["accountant"],
        "forwards": [{"status": "done", "client": "Klant B.V."}],
        "changes": [{"field": "street", "value": "Nieuwe Gracht 1", "status": "done"},
                    {"field": "phone", "value": "06 12345678", "status": "waiting"},
                    {"field": "city", "value": "Utrecht", "status": "failed"},
                    {"field": "text", "value": "ik heet nu De Vries", "status": "waiting"}]},
    "erasure_confirmation": {
        "reference": "MB-2026-00007", "received": date(2026, 1, 31), "child": True,
        "for_child": True, "own_too": True, "parent_erased": ["CRM"], "priority": True,
        "erased": ["CRM", "mailbot's own records"],
        "own_erased": True, "mailbox_deleted": True,
        "restricted": ["7 years under tax law"],
        "forwards": [{"status": "done", "client": ""}], "notified": ["accountant"],
        "not_done": True, "optouts": True},
    "extension_notice": {"reference": "MB-2026-00007", "name": "", "kind": "access",
                         "received": date(2026, 1, 31), "original_due": date(2026, 2, 28),
                         "new_due": date(2026, 4, 28), "months": 2,
                         "reason": "Many systems to search."},
    "forward_to_client": {"reference": "MB-2026-00007", "client": "Klant B.V.",
                          "kind": "correction",
                          "changes": [{"field": "street", "value": "Nieuwe Gracht 1"}],
                          "sender": "noor.devries@example.org", "sender_name": "Noor de Vries",
                          "subject": "Inzage", "received": date(2026, 1, 31),
                          "quoted": "> Stuur mij mijn gegevens.",
                          "sources": [{"name": "Webshop", "rows": 2}]},
    "free_reply": {"subject": "Re: Inzage", "text": "Zie hieronder."},
    "recipient_notice": {"reference": "MB-2026-00007", "recipient": "accountant",
                         "kind": "correction", "email": "sanne.jansen@example.org",
                         "changes": [{"field": "street", "value": "Nieuwe Gracht 1"}]},
    "refusal": {"reference": "MB-2026-00007", "name": "Sanne Jansen", "kind": "erasure",
                "received": date(2026, 1, 31), "reason": "A legal duty to keep."},
    "register_missing": {**REGISTER, "order_label": "Order"},
    "register_receipt": REGISTER,
    "register_received": {**REGISTER, "change": "ended", "valid_to": date(2026, 3, 1)},
    "staff_digest": {"day": date(2026, 2, 2), "since": datetime(2026, 2, 1, 8, 0),
                     "counts": {"overdue": 1, "due_soon": 1, "approval": 0,
                                "verification": 0, "triage": 0, "new": 1},
                     "sections": {"overdue": [ROW], "due_soon": [ROW], "approval": [],
                                  "verification": [], "triage": [], "new": [ROW]}},
    "staff_disputed": {"requests": REQUESTS, "finished": [], "received": date(2026, 1, 31),
                       "cue": "I never asked for this"},
    "staff_escalation": {**STAFF, "days_overdue": 2},
    "staff_withdrawn": {"references": ["MB-2026-00007"],
                        "withdrawn": [{"reference": "MB-2026-00007", "what": "reply",
                                       "recipient": "p@example.org"}],
                        "left": [{"reference": "MB-2026-00007", "what": "acknowledgement",
                                  "recipient": "p@example.org", "sent": "2026-01-31"}]},
    "staff_oauth_refused": {"account": "mailbox", "user": "privacy@example.org",
                            "provider": "microsoft", "client_id": "app-1",
                            "error": "invalid_grant", "fix": "grant consent again"},
    "staff_reminder": {**STAFF, "point": "due", "target_days": 5, "days": 2,
                       "working_days_left": 3, "can_extend": True,
                       "first_due": date(2026, 2, 28)},
    "unsubscribe_confirmation": {"reference": "MB-2026-00008", "name": "",
                                 "recorded": date(2026, 1, 31), "general": False,
                                 "purposes": ["content_mailings", "statistics"],
                                 "stopped": ["content_mailings"], "by_hand": ["statistics"],
                                 "phone_given": True, "sources_done": True,
                                 "sources_waiting": False},
    "verification": {**VERIFY, "recipient": "sanne.jansen@example.org"},
    "verification_failed": {**VERIFY, "reason": "attempts"},
    "verification_new_address": {**VERIFY, "new": "sanne@example.net"},
    "verification_reminder": {**VERIFY, "asked": date(2026, 1, 31),
                              "subject": "Bevestig uw e-mailadres", "closes": True},
}
CLOSING = {"nl": "Met vriendelijke groet,", "en": "Kind regards,",
           "de": "Mit freundlichen Grüßen", "fr": "Cordialement,"}
NAMELESS = {"nl": "Geachte heer/mevrouw,", "en": "Hello,",
            "de": "Sehr geehrte Damen und Herren,", "fr": "Madame, Monsieur,"}
# Words of one language that must not turn up in a letter in another.
FOREIGN = {"nl": ("Dear ", "Kind regards", " the ", "Beste afzender"),
           "en": ("Beste ", " het ", " und ", " les "),
           "de": ("Dear ", " the ", " het ", "Guten Tag,"),
           "fr": ("Dear ", " the ", " het ", " und ", "Bonjour,")}


def names(language: str) -> set[str]:
    return {p.name.removesuffix(".txt.j2") for p in (MAIL_DIR / language).glob("*.txt.j2")}


def test_every_language_has_every_template_and_each_is_tested() -> None:
    assert names("en") == set(CONTEXTS)
    for language in LANGUAGES:
        assert names(language) == names("en"), language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_template_renders_in_every_language(name: str, language: str) -> None:
    mail = Renderer().render(name, language, {**ORG, **CONTEXTS[name]})
    assert mail.language == language
    assert mail.subject and "{{" not in mail.body and "{%" not in mail.body
    text = f"{mail.subject}\n{mail.body}"
    for word in FOREIGN[language]:
        assert word not in text, (name, word)
    if name not in ("free_reply",) and not name.startswith("staff_"):
        assert CLOSING[language] in mail.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_writer_without_a_name_is_addressed_as_a_native_company_does(language: str) -> None:
    mail = Renderer().render("acknowledgement", language,
                             {**ORG, **CONTEXTS["acknowledgement"], "name": ""})
    assert mail.body.startswith(NAMELESS[language])


def test_dutch_words_a_dutch_company_uses() -> None:
    overview = Renderer().render("access_overview", "nl",
                                 {**ORG, **CONTEXTS["access_overview"]}).body
    for label in ("  Ontvangers: accountant", "  Herkomst: you", "  Bewaartermijn: 7 years",
                  "  Naam: Sanne Jansen", "  Laatste bestelling: 2026-10-02",
                  "  Bezwaar tegen: nieuwsbrieven en andere mailings",
                  "  Doelen: customer administration; nieuwsbrieven en andere mailings",
                  "    - United States (Mailer Inc.): standard contractual clauses",
                  "  Ontvangers: niemand buiten onze organisatie",
                  "  Doorgifte buiten de EU: geen"):
        assert label in overview.splitlines(), label
    assert "content_mailings" not in overview
    erasure = Renderer().render("erasure_confirmation", "nl",
                                {**ORG, **CONTEXTS["erasure_confirmation"]}).body
    assert "de datums" in erasure and "afmeldlijst" in erasure
    assert "de data " not in erasure and "blokkeerlijst" not in erasure
    assert "Beste accountant" not in Renderer().render(
        "recipient_notice", "nl", {**ORG, **CONTEXTS["recipient_notice"]}).body
    unsubscribe = Renderer().render("unsubscribe_confirmation", "nl",
                                    {**ORG, **CONTEXTS["unsubscribe_confirmation"]}).body
    assert "afmeldlijst" in unsubscribe and "blokkeerlijst" not in unsubscribe


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_hear_which_disputed_requests_were_done_already_in_every_language(
        language: str) -> None:
    done = {"reference": "MB-2026-00009", "kind": "erasure"}
    only_done = Renderer().render("staff_disputed", language, {
        **ORG, **CONTEXTS["staff_disputed"], "requests": [], "finished": [done]})
    both = Renderer().render("staff_disputed", language, {
        **ORG, **CONTEXTS["staff_disputed"], "finished": [done]})
    assert "MB-2026-00009" in only_done.subject and "MB-2026-00009" in only_done.body
    assert "requests verify" not in only_done.body  # nothing left to verify
    assert "MB-2026-00007" in both.body and "MB-2026-00009" in both.body
    assert "requests verify MB-2026-00007" in both.body
    sections = [line for line in both.body.splitlines() if line.endswith(":")]
    assert len(sections) == 2, sections  # stopped ones, and those done already
