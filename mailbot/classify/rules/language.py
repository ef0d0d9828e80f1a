"""Mail in a language mailbot does not answer in goes to a person, whatever it asks."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.language import SUPPORTED, UNDETERMINED
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence


@dataclass(frozen=True, slots=True)
class UnsupportedLanguage:
    """Runs after language detection: outside nl/en/de/fr every request becomes ``other``."""

    name: str = "unsupported_language"

    def apply(self, doc: Doc, found: Findings) -> None:
        if found.language in SUPPORTED or found.language == UNDETERMINED:
            return
        for hit in list(found.hits):
            if hit.evidence.kind not in (None, RequestKind.OTHER):
                found.drop(hit, f"written in {found.language}, not a language mailbot answers in")
        found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, found.language, 0.0)))
