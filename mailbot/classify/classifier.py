"""The classify stage: rules over a prepared mail, then one verdict per request kind."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mailbot.classify.document import Doc, Findings, prepare
from mailbot.classify.language import decide
from mailbot.classify.model import model, rule_features
from mailbot.classify.rights import carried
from mailbot.classify.rules import RULES
from mailbot.classify.rules.language import UnsupportedLanguage
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Classification, DetectedRequest, Evidence, ParsedMail
from mailbot.preload import preloaded

EMIT_AT = 0.5  # a kind this sure of is recorded as a request
TRIAGE_BELOW = 0.75  # a request less sure than this goes to a person before anything happens
# The model's line for being sure a kind is there, or is not (chosen on the development part
# in cross-validation: scripts/build_model.py prints the figures at these lines).
SURE = 0.95
DOUBT = 0.1
# Below this, the rules alone do not act on a kind the model is unsure of. Round thirteen,
# cross-validated on the development part (scripts/build_model.py --lines): at 0.5 the rules
# acting alone gave 778 mails the right kinds and 2 a case they do not hold; at 0.7, 777 and 1.
LEANS = 0.7
SECOND_OPINION = "second_opinion"

_KIND_ORDER = (RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE,
               RequestKind.UNSUBSCRIBE, RequestKind.REGISTER_INSTRUCTION)
_AFTER_LANGUAGE = UnsupportedLanguage()


@dataclass(frozen=True, slots=True)
class Run:
    """A classification with what led to it, for ``explain``."""

    classification: Classification
    doc: Doc
    found: Findings
    scores: dict[RequestKind, float] | None = None  # the model's, when it ran


def run(mail: ParsedMail, *, client_contact: bool = False) -> Run:
    rules = run_rules(mail, client_contact=client_contact)
    second = model()
    if second is None:
        return rules
    scores = second.scores(rules.doc.subject_words, rules.doc.tokens, client=client_contact,
                           rules=rule_features(rules.found, rules.classification))
    return Run(second_opinion(rules.classification, scores), rules.doc, rules.found, scores)


def run_rules(mail: ParsedMail, *, client_contact: bool = False) -> Run:
    """The rules' verdict alone, before the second opinion."""
    doc = prepare(mail, client_contact=client_contact)
    found = Findings()
    for rule in RULES:
        rule.apply(doc, found)
    # each lexicon's language once, however many of its rules matched; words that several
    # lexicons read alike ("Inzageverzoek AVG art. 15": "art. 15" is in each) tell none
    said = Counter((h.evidence.rule, h.evidence.matched) for h in found.hits if h.language)
    hints = {h.language for h in found.hits
             if h.language and h.evidence.kind not in (None, RequestKind.OTHER)
             and said[h.evidence.rule, h.evidence.matched] == 1}
    found.language = decide(doc.language, hints)
    _AFTER_LANGUAGE.apply(doc, found)
    return Run(_verdict(found), doc, found)


def second_opinion(verdict: Classification,
                   scores: dict[RequestKind, float]) -> Classification:
    """The rules' verdict weighed by the model (``classify.model``).

    Where the model is sure (``SURE`` or more, ``DOUBT`` or less) its word holds for that
    kind; where it is unsure the rules' word does, but a kind it leans against (below
    ``LEANS``) makes the whole mail wait: the two disagree. A request whose kind the model is
    sure of, in a mail where it is sure nothing else is asked and leans the rules' way on what
    they found, carries the evidence ``second_opinion`` and may be acted on without a person
    (``triage_reasons``); when they end apart, the whole mail waits, with the reason.
    """
    found = {r.kind: r for r in verdict.requests if r.kind is not RequestKind.OTHER}
    review = list(verdict.review)
    kept: list[DetectedRequest] = []
    # A request is agreed on when the model is sure of its kind, sure of every kind the rules
    # did not find being absent (nothing else is asked), and leans the rules' way on the
    # others they found (those act on their own wording, or wait).
    whole = all(p <= DOUBT for k, p in scores.items() if k not in found) and all(
        scores.get(k, 1.0) >= LEANS for k in found)
    for kind in _KIND_ORDER:
        p = scores.get(kind)
        request = found.get(kind)
        if p is None:
            if request is not None:
                kept.append(request)
            continue
        said = Evidence(SECOND_OPINION, kind, f"p={p:.2f}", round(p, 3))
        if request is not None and p <= DOUBT:
            review.append(f"the second opinion doubts {kind} ({p:.2f})")
            if any(e.rule in _KEPT_WHEN_DOUBTED for e in request.evidence):
                # (a person reads it as the instruction or the agreement it says it is)
                kept.append(request)
        elif request is not None and p < LEANS:
            review.append(f"the second opinion leans against {kind} ({p:.2f})")
            kept.append(request)
        elif request is not None:
            extra = (said,) if whole and p >= SURE else ()
            kept.append(DetectedRequest(kind, request.confidence, (*request.evidence, *extra)))
        elif p >= SURE:
            review.append(f"the second opinion adds {kind} ({p:.2f})")
            kept.append(DetectedRequest(kind, round(p, 3), (said,)))
    if not kept:
        other = next((r for r in verdict.requests if r.kind is RequestKind.OTHER), None)
        kept.append(other or DetectedRequest(RequestKind.OTHER, 0.5, ()))
    return Classification(verdict.language, tuple(kept), verdict.evidence, tuple(review))


# Held for a person whatever the second opinion says: a registered client contact's order in
# prose or agreement to our proposal; a reply agreeing to what our mail proposed.
_KEPT_WHEN_DOUBTED = frozenset({"processing_order_prose", "processing_order_agreed",
                             "agrees_under_our_mail"})
_CASES = (RequestKind.ACCESS, RequestKind.CORRECTION, RequestKind.ERASURE)
_APPLIED_AT_ONCE = frozenset({RequestKind.UNSUBSCRIBE, RequestKind.REGISTER_INSTRUCTION})


def agreed(request: DetectedRequest) -> bool:
    """The rules and the model, sure of every kind, found this request alike."""
    return any(e.rule == SECOND_OPINION for e in request.evidence)


def needs_triage(classification: Classification) -> bool:
    """True when a person must look before anything automatic happens. This holds for the
    whole mail: when one of its requests is unsure, none is acted on."""
    return bool(triage_reasons(classification))


@preloaded
def _unattended() -> dict[RequestKind, dict[str, frozenset[str]]]:
    text = resources.files("mailbot.classify").joinpath("lexicons/unattended.toml")
    data = tomllib.loads(text.read_text("utf-8"))
    return {RequestKind(kind): {"alone": frozenset(entry["wordings"]),
                                "agreed": frozenset(entry.get("agreed", ()))}
            for kind, entry in data.items()}


def unattended_wordings(kind: RequestKind = RequestKind.UNSUBSCRIBE,
                        *, agreed: bool = False) -> frozenset[str]:
    """Wording classes of ``kind`` acted on without a person (``lexicons/unattended.toml``):
    on the rules' word alone, or (``agreed``) when the second opinion agrees; "*" is every
    class."""
    entry = _unattended().get(kind, {})
    return entry.get("agreed" if agreed else "alone", frozenset())


def wording(request: DetectedRequest) -> str:
    """The wording class of a request: the rule of its strongest evidence (of equals, one
    whose class is acted on unattended, on the rules' word or, where the second opinion
    agreed, on both). The second opinion is no wording."""
    evidence = [e for e in request.evidence if e.rule != SECOND_OPINION]
    if not evidence:
        return SECOND_OPINION if request.evidence else "none"
    strongest = max(e.weight for e in evidence)
    rules = sorted(e.rule for e in evidence if e.weight >= strongest - 0.1)
    unattended = _acting(request.kind, agreed(request))
    return next((r for r in rules if r in unattended), rules[0])


@cache
def _acting(kind: RequestKind, agreed: bool) -> frozenset[str]:
    alone = unattended_wordings(kind)
    return alone | unattended_wordings(kind, agreed=True) if agreed else alone


def acts_alone(request: DetectedRequest) -> bool:
    """This request may be acted on without a person (the mail's other reasons aside)."""
    if request.kind is RequestKind.OTHER:
        return False
    word = wording(request)
    # An opt-out is applied at once, and an order entered in the register: agreement does
    # not lift one the rules are unsure of ("Afmelden" as the subject of a mail about an
    # invoice; a client contact's audit questions naming the processing agreements).
    unsure = request.confidence < TRIAGE_BELOW
    if agreed(request) and not (unsure and request.kind in _APPLIED_AT_ONCE):
        classes = unattended_wordings(request.kind, agreed=True)
        if "*" in classes or word in classes:
            return True
    return not unsure and word in unattended_wordings(request.kind)


def triage_reasons(classification: Classification) -> list[str]:
    reasons = list(classification.review)
    for request in classification.requests:
        if request.kind is RequestKind.OTHER:
            reasons.append("no request kind recognised with confidence")
        elif acts_alone(request):
            continue
        elif request.confidence < TRIAGE_BELOW:
            reasons.append(f"{request.kind} only {request.confidence:.2f} sure")
        else:
            reasons.append(f"{request.kind} worded as {wording(request)}: a wording not yet "
                           "shown precise enough to act on without a person")
    others = sorted({e.rule for e in classification.evidence if e.kind is RequestKind.OTHER})
    if others and not any(r.kind is RequestKind.OTHER for r in classification.requests) \
            and not carried(classification):
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
    review.extend(dict.fromkeys(found.holds))
    withdrawn = [why for _, why in found.dropped if why.startswith("withdrawn")]
    if withdrawn:
        review.append(withdrawn[0])
    if any(n.rule == "reminder" for n in found.notes) and any(
            r.kind in _CASES for r in requests):
        # Whatever the model thinks, a chase is checked against the case it chases before a
        # second case opens (an opt-out repeated does no harm).
        review.append("refers to an earlier request: a person links it")
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
