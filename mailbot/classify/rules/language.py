"""Mail in a language outside the EU's goes to a person, whatever it asks."""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.classify.document import Doc, Findings, Hit
from mailbot.classify.language import EU_LANGUAGES, UNDETERMINED
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Evidence


@dataclass(frozen=True, slots=True)
class UnsupportedLanguage:
    """Runs after language detection: outside the EU's languages every request becomes
    ``other`` (a person reads it); inside them requests stand, in any language."""

    name: str = "unsupported_language"

    def apply(self, doc: Doc, found: Findings) -> None:
        if found.language in EU_LANGUAGES or found.language == UNDETERMINED:
            return
        for hit in list(found.hits):
            if hit.evidence.kind not in (None, RequestKind.OTHER):
                found.drop(hit, f"written in {found.language}, not a language of the EU")
        found.hits.append(Hit(Evidence(self.name, RequestKind.OTHER, found.language, 0.0)))
