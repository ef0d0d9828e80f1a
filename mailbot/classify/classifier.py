"""The classify stage: rules over a prepared mail, then one verdict per request kind."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mailbot.classify.document import Doc, Findings, prepare
from mailbot.classify.language import decide
from mailbot.classify.rules import RULES
from mailbot.classify.rules.language import UnsupportedLanguage
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Classification, DetectedRequest, Evidence, ParsedMail

EMIT_AT = 0.5  # a kind this sure of is recorded as a request
TRIAGE_BELOW = 0.75  # a request less sure than this goes to a person before anything happens

_KIND_ORDER = (RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE,
               RequestKind.UNSUBSCRIBE, RequestKind.REGISTER_INSTRUCTION)
_AFTER_LANGUAGE = UnsupportedLanguage()


@dataclass(frozen=True, slots=True)
class Run:
    """A classification with what led to it, for ``explain``."""

    classification: Classification
    doc: Doc
    found: Findings


def run(mail: ParsedMail, *, client_contact: bool = False) -> Run:
    doc = prepare(mail, client_contact=client_contact)
    found = Findings()
    for rule in RULES:
        rule.apply(doc, found)
    hints = [h.language for h in found.hits
             if h.language and h.evidence.kind not in (None, RequestKind.OTHER)]
    found.language = decide(doc.language, hints)
    _AFTER_LANGUAGE.apply(doc, found)
    return Run(_verdict(found), doc, found)


def needs_triage(classification: Classification) -> bool:
    """True when a person must look before anything automatic happens. This holds for the
    whole mail: when one of its requests is unsure, none is acted on."""
    return bool(triage_reasons(classification))


@cache
def _unattended() -> dict[RequestKind, frozenset[str]]:
    text = resources.files("mailbot.classify").joinpath("lexicons/unattended.toml")
    data = tomllib.loads(text.read_text("utf-8"))
    return {RequestKind(kind): frozenset(entry["wordings"]) for kind, entry in data.items()}


def unattended_wordings(kind: RequestKind = RequestKind.UNSUBSCRIBE) -> frozenset[str]:
    """Wording classes of ``kind`` acted on without a person (``lexicons/unattended.toml``)."""
    return _unattended().get(kind, frozenset())


def wording(request: DetectedRequest) -> str:
    """The wording class of a request: the rule of its strongest evidence (of equals, one
    whose class is acted on unattended)."""
    if not request.evidence:
        return "none"
    strongest = max(e.weight for e in request.evidence)
    rules = sorted(e.rule for e in request.evidence if e.weight >= strongest - 0.1)
    unattended = unattended_wordings(request.kind)
    return next((r for r in rules if r in unattended), rules[0])


def triage_reasons(classification: Classification) -> list[str]:
    reasons = list(classification.review)
    for request in classification.requests:
        if request.kind is RequestKind.OTHER:
            reasons.append("no request kind recognised with confidence")
        elif request.confidence < TRIAGE_BELOW:
            reasons.append(f"{request.kind} only {request.confidence:.2f} sure")
        elif wording(request) not in unattended_wordings(request.kind):
            reasons.append(f"{request.kind} worded as {wording(request)}: a wording not yet "
                           "shown precise enough to act on without a person")
    others = sorted({e.rule for e in classification.evidence if e.kind is RequestKind.OTHER})
    if others and not any(r.kind is RequestKind.OTHER for r in classification.requests):
        reasons.append("also asks what mailbot does not handle: " + ", ".join(others))
    return reasons


def _verdict(found: Findings) -> Classification:
    requests: list[DetectedRequest] = []
    review: list[str] = []
    best_missed = 0.0
    for kind in _KIND_ORDER:
        evidence = [h.evidence for h in found.hits if h.evidence.kind is kind]
        if not evidence:
            continue
        confidence = min(_combine(evidence), found.caps.get(kind, 1.0))
        if confidence >= EMIT_AT:
            requests.append(DetectedRequest(kind, round(confidence, 3), tuple(evidence)))
        else:
            best_missed = max(best_missed, confidence)
            # Nothing is dropped silently: a person sees the faint second request.
            review.append(f"perhaps also {kind} ({confidence:.2f})")
    if not requests:
        evidence = tuple(h.evidence for h in found.hits)
        requests.append(DetectedRequest(RequestKind.OTHER, round(1.0 - best_missed, 3), evidence))
    everything = (
        *(h.evidence for h in found.hits),
        *found.notes,
        *(Evidence(e.rule, None, e.matched, 0.0) for e, _ in found.dropped),
    )
    withdrawn = [why for _, why in found.dropped if why.startswith("withdrawn")]
    if withdrawn:
        review.append(withdrawn[0])
    return Classification(found.language, tuple(requests), everything, tuple(review))


def _combine(evidence: list[Evidence]) -> float:
    """1 - product of (1 - weight), taking each rule once at its strongest."""
    strongest: dict[str, float] = {}
    for e in evidence:
        strongest[e.rule] = max(strongest.get(e.rule, 0.0), e.weight)
    doubt = 1.0
    for weight in strongest.values():
        doubt *= 1.0 - weight
    return 1.0 - doubt
