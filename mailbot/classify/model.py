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
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from struct import Struct
from typing import Any

from mailbot.classify.document import Findings
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import Classification
from mailbot.preload import preloaded

MODEL_PATH = "lexicons/model.json"
NGRAMS = (3, 4, 5)
CLIENT = "client="
_DIGITS = str.maketrans("123456789", "000000000")
_MEMO = 30_000  # words remembered, body and subject: bench/corpus.py's mails hold 23,500
MAX_WORDS = 300  # of the own text: a request stands at the top; the rest costs time only
SURE_RULES = 0.75  # the rules' own line between a sure and an unsure request (TRIAGE_BELOW)
_SPACE = re.compile(r"[ \t\n\r]*")
_JSON = json.JSONDecoder()


def _word_features(word: str, prefix: str) -> list[str]:
    """A word's own features: the word and its character n-grams with boundaries."""
    word = _digits(word)
    marked = f"<{word}>"
    last = len(marked) + 1
    found = [f"{prefix}w={word}"]
    if prefix:
        for n in NGRAMS:
            found += [prefix + marked[i:i + n] for i in range(last - n)]
    else:
        for n in NGRAMS:
            found += [marked[i:i + n] for i in range(last - n)]
    return found


def _digits(token: str) -> str:
    return token if token.isalpha() else token.translate(_DIGITS)


def _pairs(tokens: Sequence[str]) -> set[str]:
    # (a word holds no space: the words are folded at once, joined, and split again)
    folded = " ".join(tokens[:MAX_WORDS]).translate(_DIGITS).split(" ")
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
    """Weights per feature, one column per kind, and a bias per kind.

    A row is packed (``layout``) as one double per kind and one more, the number of word
    features it stands for (0 in the table): identical rows are one object. The memos of the
    body's words and the subject's hold a word's summed row the same way, so a mail's rows are
    joined and summed per column in C.
    """

    kinds: tuple[RequestKind, ...]
    bias: tuple[float, ...]
    rows: dict[str, bytes]
    layout: Struct
    memos: tuple[dict[str, bytes], dict[str, bytes]] = field(default_factory=lambda: ({}, {}))

    def _learn(self, word: str, prefix: str, memo: dict[str, bytes]) -> bytes:
        feats = _word_features(word, prefix)
        # the rows found, summed per column in C and in the features' order (``sum`` adds
        # floats left to right from 0, as adding them one by one did)
        flat = memoryview(b"".join(filter(None, map(self.rows.get, feats)))).cast("d")
        width = len(self.kinds) + 1
        found = self.layout.pack(*(sum(flat[k::width]) for k in range(width - 1)), len(feats))
        if sum(map(len, self.memos)) < _MEMO:
            memo[word] = found
        return found

    def scores(self, subject: Sequence[str], body: Sequence[str], *, client: bool,
               rules: Iterable[str] = ()) -> dict[RequestKind, float]:
        """The probability of each kind for a mail with these folded words and these
        ``rule_features``."""
        get = self.rows.get
        width = len(self.kinds) + 1
        # the rules' rows summed per column in C, in their order (as ``_learn`` sums a word's)
        ruled = memoryview(b"".join(filter(None, map(get, rules)))).cast("d")
        total = [sum(ruled[k::width]) for k in range(width - 1)]
        words, heads = self.memos
        learn = self._learn
        found = [words.get(w) or learn(w, "", words) for w in set(body[:MAX_WORDS])]
        found += [heads.get(w) or learn(w, "s", heads) for w in set(subject)]
        pairs = _pairs(body)
        found += filter(None, map(get, pairs))
        if client:
            w = get(CLIENT)
            if w is not None:
                found.append(w)
        flat = memoryview(b"".join(found)).cast("d")
        count = int(sum(flat[width - 1::width])) + len(pairs) + client
        scale = 1.0 / math.sqrt(count) if count else 0.0
        return {kind: _sigmoid(b + r + sum(flat[k::width]) * scale)
                for k, (kind, b, r) in enumerate(zip(self.kinds, self.bias, total, strict=True))}


def _sigmoid(x: float) -> float:
    if x < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-x))


def from_json(data: dict) -> Model:
    rows = _Rows()
    for feature, weights in data["weights"].items():
        rows.add(feature, weights)
    return rows.model(data["kinds"], data["bias"])


def loads(text: str) -> Model:
    """``from_json(json.loads(text))``, reading the table a row at a time rather than whole."""
    head: dict[str, Any] = {}
    rows = _Rows()

    def row(feature: str, at: int) -> int:
        weights, end = _JSON.raw_decode(text, at)
        rows.add(feature, weights)
        return end

    def member(key: str, at: int) -> int:
        if key == "weights":
            return _object(text, at, row)
        head[key], end = _JSON.raw_decode(text, at)
        return end

    end = _SPACE.match(text, _object(text, 0, member)).end()
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return rows.model(head["kinds"], head["bias"])


@dataclass(slots=True)
class _Rows:
    """Weight rows packed as they are read, identical rows once."""

    packed: dict[str, bytes] = field(default_factory=dict)
    shared: dict[bytes, bytes] = field(default_factory=dict)
    widths: set[int] = field(default_factory=set)

    def add(self, feature: str, weights: Sequence[float]) -> None:
        one = array("d", (*weights, 0.0)).tobytes()
        self.packed[feature] = self.shared.setdefault(one, one)
        self.widths.add(len(weights))

    def model(self, kinds: Iterable[str], bias: Iterable[float]) -> Model:
        known = tuple(RequestKind(k) for k in kinds)
        if self.widths - {len(known)}:
            raise ValueError("model.json: every weight row needs one column per kind")
        return Model(known, tuple(float(b) for b in bias), self.packed,
                     Struct(f"{len(known) + 1}d"))


def _object(text: str, at: int, member: Callable[[str, int], int]) -> int:
    """Read the JSON object at ``text[at]``, each value by ``member(key, where it starts)``,
    which returns where it ends; returns where the object ends."""
    at = _SPACE.match(text, at).end()
    if not text.startswith("{", at):
        raise json.JSONDecodeError("Expecting '{'", text, at)
    at = _SPACE.match(text, at + 1).end()
    if text.startswith("}", at):
        return at + 1
    while True:
        key, at = _JSON.raw_decode(text, at)
        at = _SPACE.match(text, at).end()
        if not isinstance(key, str) or not text.startswith(":", at):
            raise json.JSONDecodeError("Expecting a key and ':'", text, at)
        at = _SPACE.match(text, member(key, _SPACE.match(text, at + 1).end())).end()
        if text.startswith("}", at):
            return at + 1
        if not text.startswith(",", at):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
        at = _SPACE.match(text, at + 1).end()


@preloaded
def model() -> Model | None:
    """The shipped model, or None when ``lexicons/model.json`` is absent."""
    path = resources.files("mailbot.classify").joinpath(MODEL_PATH)
    if not path.is_file():
        return None
    return loads(path.read_text("utf-8"))


def to_json(kinds: Iterable[RequestKind], bias: Iterable[float],
            weights: dict[str, Sequence[float]], meta: dict[str, object]) -> str:
    """The table as ``scripts/build_model.py`` writes it (weights rounded, one row a line)."""
    rows = ",\n".join(f"  {json.dumps(f)}: [{', '.join(f'{x:.3g}' for x in w)}]"
                      for f, w in sorted(weights.items()))
    head = json.dumps({"meta": meta, "kinds": [str(k) for k in kinds],
                       "bias": [round(b, 5) for b in bias]}, ensure_ascii=False)[:-1]
    return f'{head},\n"weights": {{\n{rows}\n}}}}\n'
