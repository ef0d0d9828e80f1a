"""Build ``mailbot/classify/lexicons/model.json``: the second opinion (``classify.model``),
learnt from the development part of the corpus only (``bench/corpus.py``).

    .venv/bin/pip install -e '.[lexicons]'     # scikit-learn: a build-time dependency only
    .venv/bin/python scripts/build_model.py             # cross-validation figures, then build
    .venv/bin/python scripts/build_model.py --no-cv     # build only

Every development mail goes through parse, the no-reply check and the rules, as in
``bench/classify.py``; its features are its words (``model.text_features``) and what the
rules made of it (``model.rule_features``); its labels are its kinds. One logistic regression
per kind (liblinear, L2, C fixed below) is fitted; weights too small to move a probability
are left out of the file. The same input gives the same file.

The cross-validation (5 folds, letters of one template kept in one fold) prints, for the
words alone and for words and rules: precision and recall per kind at 0.5, and what the
decision in ``classify.classifier.second_opinion`` would do at its lines (SURE, DOUBT):
mails whose exact kinds it finds, request mails it lets go without a person, and wrong
automatic actions. The frozen part is never read here.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import classify as bench  # noqa: E402  (bench/classify.py)
import numpy as np  # noqa: E402
from corpus import DEV, load_rows  # noqa: E402
from scipy.sparse import csr_matrix  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from mailbot.classify.classifier import (  # noqa: E402
    DOUBT,
    LEANS,
    SURE,
    TRIAGE_BELOW,
    needs_triage,
    run_rules,
    wording,
)
from mailbot.classify.model import (  # noqa: E402
    MODEL_PATH,
    rule_features,
    text_features,
    to_json,
)
from mailbot.domain.kinds import RequestKind  # noqa: E402
from mailbot.domain.mail import ParsedMail  # noqa: E402
from mailbot.parse import parse  # noqa: E402
from mailbot.parse.noreply import check, unwrap_form_relay  # noqa: E402

KINDS = tuple(k for k in RequestKind if k is not RequestKind.OTHER)
C = 10.0
MIN_MAILS = 3  # a word feature counts when this many development mails have it
PRUNE = 0.05  # a weight whose every column is smaller than this is left out
FOLDS = 5
OUT = ROOT / "mailbot" / "classify" / MODEL_PATH


class Mail:
    def __init__(self, name: str, group: str, kinds: frozenset[RequestKind],
                 text: Counter[str], rules: set[str], rule_kinds: frozenset[RequestKind],
                 review: bool, unsure: bool, alone: bool = False,
                 classes: tuple[str, ...] = (), optout: str | None = None) -> None:
        self.name, self.group, self.kinds = name, group, kinds
        self.text, self.rules, self.rule_kinds, self.review = text, rules, rule_kinds, review
        self.unsure = unsure  # a request the rules found is below TRIAGE_BELOW
        self.alone = alone  # the rules would act on their own word (lexicons/unattended.toml)
        self.classes = classes  # the wording classes of the requests the rules found
        self.optout = optout  # the wording class of the opt-out the rules found, if any


def development_mails() -> list[Mail]:
    mails = []
    for row in load_rows():
        if row.part != DEV:
            continue
        parsed = parse(bench.raw_bytes(row))
        if isinstance(parsed, ParsedMail):
            parsed = unwrap_form_relay(parsed, bench.OWN_ADDRESSES)
        if not isinstance(parsed, ParsedMail) or check(
                parsed, own_addresses=bench.OWN_ADDRESSES) is not None:
            continue
        client = bench.client_contact(row, parsed)
        rules = run_rules(parsed, client_contact=client)
        verdict = rules.classification
        mails.append(Mail(
            row.name, row.group, row.kinds,
            text_features(rules.doc.subject_words, rules.doc.tokens, client=client),
            rule_features(rules.found, verdict),
            frozenset(verdict.kinds) - {RequestKind.OTHER}, bool(verdict.review),
            any(r.confidence < TRIAGE_BELOW for r in verdict.requests),
            not needs_triage(verdict),
            tuple(wording(r) for r in verdict.requests if r.kind is not RequestKind.OTHER),
            next((wording(r) for r in verdict.requests if r.kind is RequestKind.UNSUBSCRIBE),
                 None)))
    return mails


def matrix(mails: list[Mail], vocabulary: dict[str, int], *, rules: bool) -> csr_matrix:
    data: list[float] = []
    rows: list[int] = []
    cols: list[int] = []
    for n, mail in enumerate(mails):
        total = sum(mail.text.values())
        scale = 1.0 / np.sqrt(total) if total else 0.0
        items = [(f, v * scale) for f, v in mail.text.items()]
        if rules:
            items += [(f, 1.0) for f in mail.rules]
        for feature, value in items:
            col = vocabulary.get(feature)
            if col is not None:
                data.append(value)
                rows.append(n)
                cols.append(col)
    return csr_matrix((data, (rows, cols)), shape=(len(mails), len(vocabulary)))


def vocabulary_of(mails: list[Mail], *, rules: bool) -> dict[str, int]:
    """Word features seen in MIN_MAILS mails or more (one mail's words teach nothing that
    carries over), and every rule feature."""
    seen = Counter(f for mail in mails for f in mail.text)
    vocabulary: dict[str, int] = {}
    # (in sorted order: a set's order changes with the interpreter's hash seed, and the
    # columns' order changes the solver's path, so the weights)
    for mail in mails:
        for feature in sorted(mail.text):
            if seen[feature] >= MIN_MAILS:
                vocabulary.setdefault(feature, len(vocabulary))
        for feature in sorted(mail.rules) if rules else ():
            vocabulary.setdefault(feature, len(vocabulary))
    return vocabulary


def labels(mails: list[Mail]) -> np.ndarray:
    return np.array([[k in m.kinds for k in KINDS] for m in mails], dtype=int)


def fit(x: csr_matrix, y: np.ndarray) -> list[LogisticRegression]:
    fitted = []
    for k in range(len(KINDS)):
        lr = LogisticRegression(C=C, solver="liblinear", random_state=0)
        fitted.append(lr.fit(x, y[:, k]) if y[:, k].any() else None)
    return fitted


def predict(models: list[LogisticRegression | None], x: csr_matrix) -> np.ndarray:
    return np.column_stack([m.predict_proba(x)[:, 1] if m is not None else np.zeros(x.shape[0])
                            for m in models])


# The lines ``--lines`` compares, and the kinds acted on wherever the two agree (opt-outs act
# only in the wording classes of lexicons/unattended.toml, so they are left out here).
SURE_LINES = (0.9, 0.95, 0.97, 0.98, 0.99)
DOUBT_LINES = (0.05, 0.1, 0.2)
_CASES = np.array([k is not RequestKind.UNSUBSCRIBE for k in KINDS])


def agreement(probs: np.ndarray, y: np.ndarray, found: np.ndarray, review: np.ndarray,
              sure: float, doubt: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """At the lines ``sure`` and ``doubt``: the decided kinds, the mails the two agree on
    (every kind settled, as the rules found, some request, no reason to wait), and those
    of them given a kind they do not hold."""
    final = np.where(probs >= sure, 1, np.where(probs <= doubt, 0, found))
    agreed = (((probs >= sure) | (probs <= doubt)).all(1) & (final == found).all(1)
              & (final.sum(1) > 0) & ~review)
    wrong = agreed & ((final == 1) & (y == 0)).any(1)
    return final, agreed, wrong


def print_lines(probs: np.ndarray, y: np.ndarray, found: np.ndarray,
                review: np.ndarray) -> None:
    requests = y.sum(1) > 0
    print("\n  the lines compared (cross-validated): request mails the two agree on with "
          "the right kinds; agreed on an access, correction, erasure or order the mail does "
          "not hold")
    for sure in SURE_LINES:
        for doubt in DOUBT_LINES:
            final, agreed, _ = agreement(probs, y, found, review, sure, doubt)
            right = (final == y).all(1)
            cases = agreed & ((final == 1) & (y == 0) & _CASES).any(1)
            print(f"    SURE {sure:<5} DOUBT {doubt:<5} agreed right "
                  f"{int((agreed & right & requests).sum()):5}  wrong case {int(cases.sum()):3}")


LEANS_LINES = (0.5, 0.6, 0.7, 0.8, 0.9, SURE)
KIND_LINES = ((SURE, DOUBT), (0.9, 0.2), (0.8, 0.3), (0.7, 0.3), (0.5, DOUBT), (0.5, 0.3),
              (0.5, 0.5))


def print_kind_lines(probs: np.ndarray, y: np.ndarray, found: np.ndarray) -> None:
    """The kinds a mail is given where the two disagree (it waits for a person either way):
    the model's word where it is past a line (adds a kind at ``add`` or more, drops one at
    ``drop`` or less), else the rules'."""
    print("\n  kinds where the two disagree (cross-validated): mails given exactly the right kinds")
    for add, drop in KIND_LINES:
        final = np.where(probs >= add, 1, np.where(probs <= drop, 0, found))
        right = int((final == y).all(1).sum())
        print(f"    add at {add:<5} drop at {drop:<5} exactly right {right:5}")


def print_leans(probs: np.ndarray, y: np.ndarray, found: np.ndarray, alone: np.ndarray) -> None:
    """What the rules acting on their own word do at several LEANS lines: a mail acts when
    the model leans its way on every kind found and adds none it is sure of."""
    print(f"\n  LEANS compared (cross-validated; now {LEANS}): mails the rules act on alone, "
          "right kinds; given an access, correction, erasure or order they do not hold")
    adds = ((probs >= SURE) & (found == 0)).any(1)
    for line in LEANS_LINES:
        leans = np.where(found == 1, probs >= line, True).all(1)
        acted = alone & leans & ~adds
        right = acted & (found == y).all(1)
        cases = acted & ((found == 1) & (y == 0) & _CASES).any(1)
        print(f"    LEANS {line:<5} acted right {int(right.sum()):5}  "
              f"wrong case {int(cases.sum()):3}")


def print_classes(probs: np.ndarray, y: np.ndarray, found: np.ndarray, mails: list[Mail]) -> None:
    """Per wording class, at LEANS: mails the rules act on alone with the right kinds, and
    given a case they do not hold (the ground for lexicons/unattended.toml's `wordings`)."""
    alone = np.array([m.alone for m in mails])
    leans = np.where(found == 1, probs >= LEANS, True).all(1)
    acted = alone & leans & ~((probs >= SURE) & (found == 0)).any(1)
    right = acted & (found == y).all(1)
    cases = acted & ((found == 1) & (y == 0) & _CASES).any(1)
    counts: dict[str, list[int]] = {}
    for i in np.flatnonzero(acted):
        for name in set(mails[i].classes):
            c = counts.setdefault(name, [0, 0])
            c[0] += int(right[i])
            c[1] += int(cases[i])
    print(f"\n  acting alone per wording class (cross-validated, LEANS {LEANS}): right, wrong case")
    for name, (r, w) in sorted(counts.items()):
        print(f"    {name:44} {r:5} {w:3}")


_OPTOUT = KINDS.index(RequestKind.UNSUBSCRIBE)
_ERASURE = KINDS.index(RequestKind.ERASURE)


def print_optouts(probs: np.ndarray, y: np.ndarray, found: np.ndarray, review: np.ndarray,
                  mails: list[Mail]) -> None:
    """Per opt-out wording class, the mails the rules and the model agree on: the opt-out
    right, or given to a mail that asks none; alone in the mail, or beside an erasure (the
    ground, with the frozen part, for lexicons/unattended.toml's opt-out classes)."""
    final, agreed, _ = agreement(probs, y, found, review, SURE, DOUBT)
    counts: dict[str, list[int]] = {}
    wrong: dict[str, list[str]] = {}
    for i in np.flatnonzero(agreed & (final[:, _OPTOUT] == 1)):
        name = f"{mails[i].optout}" + (" beside an erasure" if final[i, _ERASURE] else "")
        c = counts.setdefault(name, [0, 0])
        c[int(y[i, _OPTOUT] == 0)] += 1
        if y[i, _OPTOUT] == 0:
            wrong.setdefault(name, []).append(mails[i].name)
    print(f"\n  opt-outs agreed per wording class (cross-validated, SURE {SURE}): right, "
          "given to a mail that asks no opt-out")
    for name, (r, w) in sorted(counts.items()):
        print(f"    {name:58} {r:5} {w:3}  {' '.join(wrong.get(name, ()))}")


def cross_validate(mails: list[Mail], *, rules: bool, lines: bool = False) -> None:
    y = labels(mails)
    probs = np.zeros(y.shape)
    groups = [m.group for m in mails]
    for train, test in GroupKFold(FOLDS).split(np.zeros(len(mails)), y, groups):
        part = [mails[i] for i in train]
        vocabulary = vocabulary_of(part, rules=rules)
        models = fit(matrix(part, vocabulary, rules=rules), y[train])
        probs[test] = predict(models, matrix([mails[i] for i in test], vocabulary, rules=rules))
    said = "words and rules" if rules else "words alone"
    print(f"\n{FOLDS}-fold cross-validation on the development part, {said}:")
    for k, kind in enumerate(KINDS):
        got = probs[:, k] >= 0.5
        tp = int((got & (y[:, k] == 1)).sum())
        fp = int((got & (y[:, k] == 0)).sum())
        fn = int((~got & (y[:, k] == 1)).sum())
        print(f"  {kind!s:22} TP {tp:4} FP {fp:3} FN {fn:3}  precision "
              f"{tp / max(1, tp + fp):6.1%}  recall {tp / max(1, tp + fn):6.1%}")
    exact = ((probs >= 0.5).astype(int) == y).all(1)
    print(f"  mails with exactly the right kinds: {exact.sum()}/{len(mails)}")
    if not rules:
        return
    found = np.array([[k in m.rule_kinds for k in KINDS] for m in mails], dtype=int)
    review = np.array([m.review for m in mails])
    final, sure, wrong = agreement(probs, y, found, review, SURE, DOUBT)
    right = (final == y).all(1)
    requests = y.sum(1) > 0
    unsure = np.array([m.unsure for m in mails])
    strict = sure & ~unsure
    wrong_strict = strict & ((final == 1) & (y == 0)).any(1)
    print(f"  ... and the rules sure of each request too: request mails "
          f"{int((strict & right & requests).sum())}; wrong {int(wrong_strict.sum())} "
          f"{[mails[i].name for i in np.flatnonzero(wrong_strict)]}")
    print(f"  the rules alone: exactly the right kinds {int((found == y).all(1).sum())}"
          f"/{len(mails)}")
    print(f"  rules and model (SURE {SURE}, DOUBT {DOUBT}): exactly the right kinds "
          f"{int(right.sum())}/{len(mails)}; request mails the two agree on "
          f"{int((sure & right & requests).sum())}/{int(requests.sum())}; agreed on a kind "
          f"the mail does not hold: {int(wrong.sum())} "
          f"{[mails[i].name for i in np.flatnonzero(wrong)]}")
    if lines:
        print_lines(probs, y, found, review)
        print_leans(probs, y, found, np.array([m.alone for m in mails]))
        print_classes(probs, y, found, mails)
        print_optouts(probs, y, found, review, mails)
        print_kind_lines(probs, y, found)


def build(mails: list[Mail]) -> str:
    vocabulary = vocabulary_of(mails, rules=True)
    y = labels(mails)
    models = fit(matrix(mails, vocabulary, rules=True), y)
    columns = np.column_stack([m.coef_[0] if m is not None else np.zeros(len(vocabulary))
                               for m in models])
    bias = [float(m.intercept_[0]) if m is not None else -30.0 for m in models]
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    weights = {name: [float(x) for x in columns[i]] for i, name in enumerate(names)
               if np.abs(columns[i]).max() >= PRUNE}
    meta = {"built_by": "scripts/build_model.py", "mails": len(mails), "C": C,
            "features": len(vocabulary), "kept": len(weights), "prune": PRUNE,
            "min_mails": MIN_MAILS}
    return to_json(KINDS, bias, weights, meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-cv", action="store_true", help="skip the cross-validation")
    ap.add_argument("--lines", action="store_true",
                    help="compare the decision at several SURE and DOUBT lines")
    args = ap.parse_args()
    mails = development_mails()
    print(f"development mails a person wrote (after the no-reply check): {len(mails)}")
    if not args.no_cv:
        cross_validate(mails, rules=False)
        cross_validate(mails, rules=True, lines=args.lines)
    text = build(mails)
    OUT.write_text(text, encoding="utf-8")
    print(f"\nwrote {OUT.relative_to(ROOT)} ({len(text.encode()) // 1024} kB)")


if __name__ == "__main__":
    main()
