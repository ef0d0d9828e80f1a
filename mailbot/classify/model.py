"""A statistical second opinion: a linear model per request kind over the words of a mail.

The rules (``classify.rules``) say which requests a mail makes and why; this model says how
likely each kind is, learnt from the development part of the corpus by
``scripts/build_model.py`` (scikit-learn at build time only) and shipped as a small table,
``lexicons/model.json``. Inference is plain Python:

- features: each distinct word of the folded own text, its character 3- to 5-grams (with
  word boundaries: "<wis", "wis>"), each distinct pair of neighbouring words, the words and
  character n-grams of the subject (marked apart), and whether the sender is a client
  contact; digits are folded to "0";
- each feature present counts once per distinct word it comes from, and the whole vector is
  scaled by 1/sqrt(number of feature occurrences), so long and short mails weigh alike;
- what the rules made of the mail, each present or not: the evidence of each rule and kind,
  what was set aside and why (negated, a condition, a footer, ...), the notes, the kinds and
  wording classes of the verdict, its review reasons, the language. So the model learns how
  far to trust each rule from the words around it, rather than reading the words alone (on
  the development part, in 5-fold cross-validation, the words alone found the exact kinds
  of 64% of mails, words and rules 84%; ``scripts/build_model.py`` prints both);
- one logistic regression per kind (one against the rest).

A word's features and their summed weights are remembered, so a mail costs a dictionary
look-up per distinct word and word pair. Pure: the table is loaded once; no other I/O.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import pairwise

from mailbot.classify.document import Findings
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Classification

MODEL_PATH = "lexicons/model.json"
NGRAMS = (3, 4, 5)
CLIENT = "client="
_DIGITS = str.maketrans("123456789", "000000000")
_MEMO = 100_000
MAX_WORDS = 300  # of the own text: a request stands at the top; the rest costs time only
SURE_RULES = 0.75  # the rules' own line between a sure and an unsure request (TRIAGE_BELOW)


def _word_features(word: str, prefix: str) -> list[str]:
    """A word's own features: the word and its character n-grams with boundaries."""
    word = _digits(word)
    marked = f"<{word}>"
    found = [f"{prefix}w={word}"]
    for n in NGRAMS:
        found.extend(f"{prefix}{marked[i:i + n]}" for i in range(len(marked) - n + 1))
    return found


def _digits(token: str) -> str:
    return token if token.isalpha() else token.translate(_DIGITS)


def _pairs(tokens: Sequence[str]) -> set[str]:
    folded = [_digits(t) for t in tokens[:MAX_WORDS]]
    return {f"p={a} {b}" for a, b in pairwise(folded)}


def _reason(why: str) -> str:
    """A reason without what it quotes: "negated by 'niet'" -> "negated by"."""
    return why.split("'")[0].split(":")[0].split("(")[0].strip()[:32]


def rule_features(found: Findings, verdict: Classification) -> set[str]:
    """What the rules made of a mail, as features that are present or not."""
    out = {f"l={verdict.language}"}
    for hit in found.hits:
        out.add(f"r={hit.evidence.rule}|{hit.evidence.kind}")
    for evidence, why in found.dropped:
        out.add(f"d={evidence.rule}|{evidence.kind}|{_reason(why)}")
    for note in found.notes:
        out.add(f"n={note.rule}")
    for request in verdict.requests:
        out.add(f"k={request.kind}")
        out.add(f"k={request.kind}|{'sure' if request.confidence >= SURE_RULES else 'unsure'}")
    for why in verdict.review:
        out.add(f"v={_reason(why)}")
    return out


def text_features(subject: Sequence[str], body: Sequence[str],
                  *, client: bool) -> Counter[str]:
    """Every word feature of a mail with how often it occurs (the build script's view;
    inference sums the same thing through ``Model.scores``)."""
    counts: Counter[str] = Counter()
    for word in set(body[:MAX_WORDS]):
        counts.update(_word_features(word, ""))
    for word in set(subject):
        counts.update(_word_features(word, "s"))
    counts.update(_pairs(body))
    if client:
        counts[CLIENT] += 1
    return counts


@dataclass(slots=True)
class Model:
    """Weights per feature, one column per kind, and a bias per kind."""

    kinds: tuple[RequestKind, ...]
    bias: tuple[float, ...]
    weights: dict[str, tuple[float, ...]]
    memo: dict[tuple[str, str], tuple[int, tuple[float, ...]]] = field(default_factory=dict)

    def _word(self, word: str, prefix: str) -> tuple[int, tuple[float, ...]]:
        key = (prefix, word)
        found = self.memo.get(key)
        if found is None:
            feats = _word_features(word, prefix)
            vec = [0.0] * len(self.kinds)
            for f in feats:
                w = self.weights.get(f)
                if w is not None:
                    vec = [a + b for a, b in zip(vec, w, strict=True)]
            found = (len(feats), tuple(vec))
            if len(self.memo) < _MEMO:
                self.memo[key] = found
        return found

    def scores(self, subject: Sequence[str], body: Sequence[str], *, client: bool,
               rules: Iterable[str] = ()) -> dict[RequestKind, float]:
        """The probability of each kind for a mail with these folded words and these
        ``rule_features``."""
        total = [0.0] * len(self.kinds)
        for feature in rules:
            w = self.weights.get(feature)
            if w is not None:
                total = [a + b for a, b in zip(total, w, strict=True)]
        vectors: list[tuple[float, ...]] = []
        count = 0
        for prefix, tokens in (("", set(body[:MAX_WORDS])), ("s", set(subject))):
            for word in tokens:
                n, vec = self._word(word, prefix)
                count += n
                vectors.append(vec)
        pairs = _pairs(body)
        count += len(pairs)
        weights = self.weights
        vectors.extend(w for w in map(weights.get, pairs) if w is not None)
        if client:
            count += 1
            w = weights.get(CLIENT)
            if w is not None:
                vectors.append(w)
        rule_total = total
        total = [sum(column) for column in zip(*vectors, strict=True)] if vectors else [
            0.0] * len(self.kinds)
        scale = 1.0 / math.sqrt(count) if count else 0.0
        return {kind: _sigmoid(b + r + s * scale)
                for kind, b, r, s in zip(self.kinds, self.bias, rule_total, total, strict=True)}


def _sigmoid(x: float) -> float:
    if x < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def from_json(data: dict) -> Model:
    kinds = tuple(RequestKind(k) for k in data["kinds"])
    weights = {f: tuple(float(x) for x in w) for f, w in data["weights"].items()}
    if any(len(w) != len(kinds) for w in weights.values()):
        raise ValueError("model.json: every weight row needs one column per kind")
    return Model(kinds, tuple(float(b) for b in data["bias"]), weights)


@cache
def model() -> Model | None:
    """The shipped model, or None when ``lexicons/model.json`` is absent."""
    path = resources.files("mailbot.classify").joinpath(MODEL_PATH)
    if not path.is_file():
        return None
    # weights are rounded to three digits: one float object for each value written
    floats: dict[float, float] = {}

    def shared(text: str) -> float:
        value = float(text)
        return floats.setdefault(value, value)

    return from_json(json.loads(path.read_text("utf-8"), parse_float=shared, parse_int=shared))


def to_json(kinds: Iterable[RequestKind], bias: Iterable[float],
            weights: dict[str, Sequence[float]], meta: dict[str, object]) -> str:
    """The table as ``scripts/build_model.py`` writes it (weights rounded, one row a line)."""
    rows = ",\n".join(f"  {json.dumps(f)}: [{', '.join(f'{x:.3g}' for x in w)}]"
                      for f, w in sorted(weights.items()))
    head = json.dumps({"meta": meta, "kinds": [str(k) for k in kinds],
                       "bias": [round(b, 5) for b in bias]}, ensure_ascii=False)[:-1]
    return f'{head},\n"weights": {{\n{rows}\n}}}}\n'
