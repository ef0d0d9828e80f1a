"""Which rights mailbot does not carry out itself a mail asks for, read from the evidence of
the rules that found them (``other_rights``, and an objection under art. 21(1))."""

from __future__ import annotations

import re

from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Classification, Evidence
from mailbot.domain.rights import OtherRight

# The rules whose "other" evidence names a right a person answers; any other "other" (a
# complaint, a withdrawal, an offer of services) is no right to record.
RIGHTS_RULES = frozenset({"other_rights", "article_reference"})

# The requests whose answer a person approves: one of them carries the other rights as steps
# for that person (an opt-out is confirmed at once, so it cannot).
CARRIERS = (RequestKind.ACCESS, RequestKind.ERASURE, RequestKind.CORRECTION)

# The lexicons' phrases for these rights, folded (lower case, no accents), by stem.
_WORDS = (
    (OtherRight.PORTABILITY, re.compile(
        r"overdraag|machinelees|portab|ubertragbar|maschinenles|lisible|machine.readable")),
    (OtherRight.RESTRICTION, re.compile(r"beperk|restrict|einschrank|limitation")),
    (OtherRight.OBJECTION, re.compile(r"21")),
)


def right_of(evidence: Evidence) -> OtherRight | None:
    """The right ``evidence`` names, or None when it is not one of these rules' findings."""
    if evidence.kind is not RequestKind.OTHER or evidence.rule not in RIGHTS_RULES:
        return None
    if evidence.rule == "article_reference":
        return OtherRight.OBJECTION  # the rule files only art. 21(1) as "other"
    text = evidence.matched.lower()
    return next((right for right, words in _WORDS if words.search(text)), None)


def unhandled_rights(classification: Classification) -> tuple[OtherRight, ...] | None:
    """The rights a person must answer, in a fixed order; None when the mail's "other"
    evidence holds anything else (then the whole mail waits for a person)."""
    found: set[OtherRight] = set()
    for evidence in classification.evidence:
        if evidence.kind is not RequestKind.OTHER:
            continue
        right = right_of(evidence)
        if right is None:
            return None
        found.add(right)
    return tuple(r for r in OtherRight if r in found)


def carried(classification: Classification) -> tuple[OtherRight, ...]:
    """The rights a person answers as steps of one of the mail's requests
    (handle/other_rights.py), so the mail need not wait for them; empty when there are
    none, when any "other" evidence is something else, or when no request can carry them.
    Restriction and erasure are alternatives (art. 18(1)(b): restrict instead of erase): a
    mail naming both waits for a person, who reads which one is meant."""
    rights = unhandled_rights(classification)
    kinds = classification.kinds
    if not rights or (OtherRight.RESTRICTION in rights and RequestKind.ERASURE in kinds):
        return ()
    return rights if any(kind in CARRIERS for kind in kinds) else ()
