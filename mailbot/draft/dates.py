"""Dates written out the way each language writes them, without a locale database."""

from __future__ import annotations

from datetime import date

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"),
}
PATTERN = {"nl": "{d} {m} {y}", "en": "{d} {m} {y}", "de": "{d}. {m} {y}", "fr": "{d} {m} {y}"}


def long_date(day: date, language: str) -> str:
    language = language if language in MONTHS else "en"
    return PATTERN[language].format(d=day.day, m=MONTHS[language][day.month - 1], y=day.year)
