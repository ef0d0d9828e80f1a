"""Special categories of personal data in a mail (art. 9, 10 and 87 GDPR): found when the
mail is recorded, flagged to staff, and kept out of what mailbot writes (replies, forwards,
access overviews) unless staff chose to include them."""

from __future__ import annotations

from typing import Any

from mailbot.classify.special import detect
from mailbot.store.models import InboundMail

CATEGORY_ORDER = ("health", "religion", "political", "ethnicity", "sexual", "trade_union",
                  "genetic_biometric", "criminal", "national_id")


def scan(mail: InboundMail, language: str | None) -> dict[str, Any] | None:
    """What ``mail`` holds of the special categories, with its minimised subject and text;
    None when nothing was found."""
    lang = language or "en"
    subject = detect(mail.subject or "")
    body = detect(mail.body_text or "")
    if not (subject.flagged or body.flagged):
        return None
    found = {c.value for c in (*subject.categories, *body.categories)}
    return {
        "categories": [c for c in CATEGORY_ORDER if c in found],
        "findings": [f.as_dict() for f in (*subject.findings, *body.findings)],
        "subject": subject.minimised(lang),
        "body": body.minimised(lang),
    }


def categories(mail: InboundMail) -> list[str]:
    return list((mail.special or {}).get("categories", []))


def withheld(mail: InboundMail) -> bool:
    """Whether what mailbot writes must leave the mail's special-category data out."""
    return bool(mail.special) and not mail.special_included


def text_of(mail: InboundMail) -> str:
    """The mail's text as replies and forwards may quote it."""
    return mail.special["body"] if withheld(mail) else mail.body_text or ""


def subject_of(mail: InboundMail) -> str:
    """The mail's subject as replies and forwards may quote it."""
    return mail.special["subject"] if withheld(mail) else mail.subject or ""
