"""The marks a template leaves where only staff can complete the text (an access overview
whose configuration lacks a retention period, say): one per language, as the templates
write them. A draft holding one cannot be approved until staff edited the gap away."""

from __future__ import annotations

MARKERS = {
    "nl": "[aan te vullen door medewerker]",
    "en": "[to be completed by staff]",
    "de": "[von einer Mitarbeiterin oder einem Mitarbeiter zu ergänzen]",
    "fr": "[à compléter par un membre de l'équipe]",
}


def gaps(text: str) -> list[str]:
    """The lines of ``text`` that still hold a gap marker, stripped."""
    return [line.strip() for line in text.splitlines()
            if any(marker in line for marker in MARKERS.values())]
