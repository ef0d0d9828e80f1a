"""Classify benchmark: the development part and the frozen test part side by side.

    .venv/bin/python bench/classify.py                  # figures of both parts, and the gap
    .venv/bin/python bench/classify.py --errors         # also list the development part's errors
    .venv/bin/python bench/classify.py --errors --frozen-errors   # the frozen part's too (to
                                                        # report, never to tune on)
    .venv/bin/python bench/classify.py --no-speed       # skip the throughput rounds
    .venv/bin/python bench/classify.py --source fresh   # one source's rows only
    .venv/bin/python bench/classify.py --without fresh9,dev11   # an earlier round's rows

Rows and the split: ``bench/corpus.py`` (the written corpus, the shared corpus and
``tests/corpus``; about a third frozen by a fixed rule). Each mail goes through the real
stages: ``mailbot.parse.parse``, ``mailbot.parse.noreply.check``, ``mailbot.classify``, and
the same decisions ingest makes from them (does a person look first; is an acknowledgement
sent now). ``.txt`` rows are bodies only, wrapped into a mail from Sam de Vries.

What counts:
- per kind and language: a mail counts once per kind it holds or was given (exact kinds);
- a *wrong automatic action*: a mail acted on without a person (no triage) that was given a
  kind its label does not hold (an opt-out, erasure, access case ... opened wrongly);
- an *answer to machine mail*: a mail labelled auto-reply/bounce/list/loop that passes the
  no-reply check and is acknowledged (a mail held for a person that shows signs of a machine
  is not acknowledged);
- *handled without a person*: request mails acted on without triage, with the right kinds.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from multiprocessing import get_context

from corpus import (
    BLIND,
    DEV,
    DEVELOPMENT_ONLY,
    OWN_ADDRESSES,
    TEST,
    WRITTEN_CLIENTS,
    Row,
    load_rows,
)

from mailbot.classify import classifier as classifier_module
from mailbot.classify import classify, needs_triage, triage_reasons, wording
from mailbot.classify.classifier import agreed, run
from mailbot.classify.language import SUPPORTED
from mailbot.domain.kinds import RequestKind
from mailbot.domain.mail import ParsedMail
from mailbot.parse import parse
from mailbot.parse.noreply import automatic_signs, check, unwrap_form_relay

KINDS = tuple(RequestKind)
REQUEST_KINDS = tuple(k for k in RequestKind if k is not RequestKind.OTHER)
EU_OTHER = ("bg", "cs", "da", "el", "es", "et", "fi", "ga", "hr", "hu", "it", "lt", "lv", "mt",
            "pl", "pt", "ro", "sk", "sl", "sv")
PARTS = (DEV, TEST)


@dataclass(frozen=True)
class Outcome:
    row: Row
    stopped: str | None  # the no-reply disposition, "quarantined", or None when classified
    kinds: frozenset[RequestKind] = frozenset()
    language: str = "und"
    triage: bool = True  # a person looks before anything automatic happens
    signs: tuple[str, ...] = ()  # signs of a machine, for mail that passed the no-reply check
    wordings: tuple[tuple[RequestKind, str], ...] = ()
    model_kinds: frozenset[RequestKind] | None = None  # the second opinion alone (p >= 0.5)
    reasons: tuple[str, ...] = ()  # why a person looks first

    @property
    def classified(self) -> bool:
        return self.stopped is None

    @property
    def answered(self) -> bool:
        """An acknowledgement goes out now (a held mail with signs of a machine waits)."""
        return self.classified and not (self.triage and self.signs)

    @property
    def automatic(self) -> bool:
        return self.classified and not self.triage

    @property
    def held_by_wording_only(self) -> bool:
        """Classified, no sign of a machine, and nothing but a request's wording class keeps
        a person looking first: were the classes listed, this mail would be acted on."""
        return (self.classified and not self.signs
                and all(_WORDING_REASON.search(r) for r in self.reasons))

    @property
    def wrong_action(self) -> bool:
        extra = self.kinds - self.row.kinds - {RequestKind.OTHER}
        return self.automatic and bool(extra)


_WORDING_REASON = re.compile(r" worded as \S+: a wording not yet shown precise enough")


def raw_bytes(row: Row) -> bytes:
    data = row.path.read_bytes()
    if row.path.suffix != ".txt":
        return data
    msg = EmailMessage(policy=SMTP)
    msg["From"] = "Sam de Vries <sam.devries@example.org>"
    msg["To"] = "privacy@example.test"
    msg["Subject"] = ""
    msg["Message-ID"] = f"<{row.path.stem}@example.org>"
    msg.set_content(data.decode("utf-8"), charset="utf-8", cte="8bit")
    return msg.as_bytes()


# Sources labelled like the written corpus, whose client contacts are its registered ones.
_WRITTEN_STYLE = ("written", *(b[0] for b in BLIND), *(d[0] for d in DEVELOPMENT_ONLY))
SOURCES = ("shared", "own", *_WRITTEN_STYLE)


def client_contact(row: Row, mail: ParsedMail) -> bool:
    if row.source in _WRITTEN_STYLE:
        return mail.sender is not None and mail.sender.addr in WRITTEN_CLIENTS
    return row.client_contact


def run_one(row: Row, raw: bytes) -> Outcome:
    mail = parse(raw)
    if not isinstance(mail, ParsedMail):
        return Outcome(row, "quarantined")
    mail = unwrap_form_relay(mail, OWN_ADDRESSES)
    verdict = check(mail, own_addresses=OWN_ADDRESSES)
    if verdict is not None:
        return Outcome(row, str(verdict.disposition))
    done = run(mail, client_contact=client_contact(row, mail))
    c = done.classification
    signs = automatic_signs(mail)
    alone = None
    if done.scores is not None:
        alone = frozenset(k for k, p in done.scores.items() if p >= 0.5) or frozenset(
            {RequestKind.OTHER})
    return Outcome(row, None, frozenset(c.kinds), c.language, needs_triage(c) or bool(signs),
                   signs, tuple((r.kind, wording(r) + ("+agreed" if agreed(r) else ""))
                                for r in c.requests), alone,
                   tuple(triage_reasons(c)) + (("signs of a machine",) if signs else ()))


def evaluate(rows: Sequence[Row]) -> list[Outcome]:
    return [run_one(r, raw_bytes(r)) for r in rows]


# ---------------------------------------------------------------- figures


def prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None]:
    return (tp / (tp + fp) if tp + fp else None), (tp / (tp + fn) if tp + fn else None)


def pct(x: float | None) -> str:
    return "    - " if x is None else f"{100 * x:5.1f}%"


def ratio(n: int, d: int) -> str:
    return f"{n}/{d} = {pct(n / d if d else None).strip()}"


def kind_counts(outcomes: Iterable[Outcome]) -> dict[RequestKind, tuple[int, int, int]]:
    """(TP, FP, FN) per kind; machine mail counts only where it was given a kind."""
    counts: dict[RequestKind, list[int]] = {k: [0, 0, 0] for k in KINDS}
    for o in outcomes:
        got = o.kinds if o.classified else frozenset()
        for k in KINDS:
            if k in got and k in o.row.kinds:
                counts[k][0] += 1
            elif k in got:
                counts[k][1] += 1
            elif k in o.row.kinds:
                counts[k][2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in counts.items()}


def by_part(outcomes: Iterable[Outcome]) -> dict[str, list[Outcome]]:
    parts: dict[str, list[Outcome]] = {p: [] for p in PARTS}
    for o in outcomes:
        parts[o.row.part].append(o)
    return parts


def kind_table(title: str, parts: dict[str, list[Outcome]], kinds: Sequence[RequestKind],
               targets: bool = True) -> list[str]:
    """Rows of precision and recall per kind, development and frozen side by side.
    Returns the lines of kinds below target on the frozen part."""
    print(f"\n{title}")
    print(f"  {'kind':21} {'development: TP  FP  FN  prec  recall':>40}   "
          f"{'frozen: TP  FP  FN  prec  recall':>34}")
    misses = []
    tables = {p: kind_counts(parts[p]) for p in PARTS}
    for kind in kinds:
        cells = []
        for p in PARTS:
            tp, fp, fn = tables[p][kind]
            prec, rec = prf(tp, fp, fn)
            cells.append(f"{tp:4} {fp:3} {fn:3} {pct(prec)} {pct(rec)}")
        if all(sum(tables[p][kind]) == 0 for p in PARTS):
            continue
        print(f"  {kind!s:21} {cells[0]:>40}   {cells[1]:>34}")
        tp, fp, fn = tables[TEST][kind]
        prec, rec = prf(tp, fp, fn)
        if targets and kind is not RequestKind.OTHER and tp + fn and (
                (prec is not None and prec < 0.98) or (rec is not None and rec < 0.95)):
            misses.append(f"{title.split(':')[0]} {kind}: precision {pct(prec).strip()}, "
                          f"recall {pct(rec).strip()}")
    return misses


@dataclass
class Summary:
    wrong_actions: list[Outcome]
    machine_answered: list[Outcome]
    handled: tuple[int, int]
    language: tuple[int, int]
    eu_formal: tuple[int, int]
    eu_formal_mails: tuple[int, int]
    eu_all: tuple[int, int]
    exact: tuple[int, int]
    lost: list[Outcome]


def summarise(outcomes: list[Outcome]) -> Summary:
    requests = [o for o in outcomes if o.row.is_request]
    classified = [o for o in requests if o.classified]
    handled = sum(o.automatic and o.kinds == o.row.kinds for o in requests)
    language = sum(o.language == o.row.language for o in classified)

    def eu_recall(rows: list[Outcome]) -> tuple[int, int]:
        found = sum(len(o.kinds & o.row.kinds) for o in rows if o.classified)
        return found, sum(len(o.row.kinds) for o in rows)

    eu = [o for o in requests if o.row.language in EU_OTHER]
    formal = [o for o in eu if o.row.formal_letter]
    person = [o for o in outcomes if not o.row.must_not_answer]
    return Summary(
        wrong_actions=[o for o in outcomes if o.wrong_action],
        machine_answered=[o for o in outcomes if o.row.must_not_answer and o.answered],
        handled=(handled, len(requests)),
        language=(language, len(classified)),
        eu_formal=eu_recall(formal),
        eu_formal_mails=(sum(o.kinds == o.row.kinds for o in formal), len(formal)),
        eu_all=eu_recall(eu),
        exact=(sum(o.classified and o.kinds == o.row.kinds for o in person), len(person)),
        lost=[o for o in requests if not o.classified],
    )


def report(outcomes: list[Outcome], *, errors: bool, frozen_errors: bool,
           waiting: bool = False) -> None:
    parts = by_part(outcomes)
    sources = Counter(o.row.source for o in outcomes)
    counts = ", ".join(f"{name} {sources[name]}" for name in SOURCES)
    print(f"rows: {len(outcomes)}; development {len(parts[DEV])}, frozen test "
          f"{len(parts[TEST])} (bench/corpus.py: {counts}; "
          f"{', '.join(d[0] for d in DEVELOPMENT_ONLY)} for development only)")
    misses: list[str] = []
    for lang in SUPPORTED:
        misses += kind_table(f"{lang}: per kind (targets on frozen: P >= 98%, R >= 95%)",
                             {p: [o for o in parts[p] if o.row.language == lang] for p in PARTS},
                             KINDS)
    kind_table("other EU languages, all mails", {p: [o for o in parts[p]
               if o.row.language in EU_OTHER] for p in PARTS}, KINDS, targets=False)
    for source in ("written", "shared", "own"):
        kind_table(f"nl/en/de/fr, {source} corpus only", {p: [
            o for o in parts[p] if o.row.source == source and o.row.language in SUPPORTED]
            for p in PARTS}, KINDS, targets=False)

    sums = {p: summarise(parts[p]) for p in PARTS}
    d, t = sums[DEV], sums[TEST]

    def line(label: str, dev: str, test: str) -> None:
        print(f"  {label:58} {dev:>18}   {test:>18}")

    print(f"\n  {'':58} {'development':>18}   {'frozen test':>18}")
    line("wrong automatic actions (target 0)", str(len(d.wrong_actions)),
         str(len(t.wrong_actions)))
    line("answers to mail that must not be answered (target 0)",
         str(len(d.machine_answered)), str(len(t.machine_answered)))
    line("request mails lost before classify", str(len(d.lost)), str(len(t.lost)))
    line("request mails handled without a person (target 85%)", ratio(*d.handled),
         ratio(*t.handled))
    line("language right on request mails (target 98%)", ratio(*d.language), ratio(*t.language))
    line("other EU languages, formal letters: kinds found (90%)", ratio(*d.eu_formal),
         ratio(*t.eu_formal))
    line("other EU languages, formal letters: exact mails", ratio(*d.eu_formal_mails),
         ratio(*t.eu_formal_mails))
    line("other EU languages, all request mails: kinds found", ratio(*d.eu_all),
         ratio(*t.eu_all))
    line("person mails with exactly the right kinds", ratio(*d.exact), ratio(*t.exact))

    def alone(outs: list[Outcome]) -> tuple[int, int]:
        person = [o for o in outs if not o.row.must_not_answer and o.model_kinds is not None]
        return sum(o.model_kinds == o.row.kinds for o in person), len(person)

    line("  the second opinion alone (p >= 0.5; development: in-sample)",
         ratio(*alone(parts[DEV])), ratio(*alone(parts[TEST])))
    # The frozen part's mails are named only on request: reading them while tuning would
    # turn the frozen part into a second development part.
    named = (("development", d), ("frozen", t)) if frozen_errors else (("development", d),)
    for name, s in named:
        gap = [f"{o.row.name} {'+'.join(sorted(o.kinds))}" for o in s.wrong_actions]
        if gap:
            print(f"  wrong automatic actions, {name}: {gap}")
        if s.machine_answered:
            print(f"  machine mail answered, {name}: {[o.row.name for o in s.machine_answered]}")

    if t.exact[1] and d.exact[1] and t.handled[1] and d.handled[1]:
        print("\n  gap (frozen minus development), exact kinds per person mail: "
              f"{100 * (t.exact[0] / t.exact[1] - d.exact[0] / d.exact[1]):+.1f} points; "
              f"handled without a person: "
              f"{100 * (t.handled[0] / t.handled[1] - d.handled[0] / d.handled[1]):+.1f} "
              "points")
    wording_table(parts)
    print("\nfrozen-part kinds below target: " + ("; ".join(misses) if misses else "none"))
    if errors:
        list_errors(parts[DEV], "development")
    if waiting:
        list_waiting(parts[DEV])
    if frozen_errors:
        list_errors(parts[TEST], "frozen (report only; do not tune on these)")


def wording_table(parts: dict[str, list[Outcome]]) -> None:
    """Precision of each kind's wording classes: the ground for acting without a person
    (``mailbot/classify/lexicons/unattended.toml``)."""
    print("\nwording classes per kind (a request is acted on without a person only in a class "
          "listed in lexicons/unattended.toml; opt-outs only where the frozen part shows "
          "100%):")
    print("  (in brackets, the mails where the class decides: no sign of a machine and no "
          "reason to wait but wording classes, so that listing the classes acts on them)")
    stats: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(
        lambda: {p: [0, 0, 0, 0] for p in PARTS})
    for p in PARTS:
        for o in parts[p]:
            for kind, word in o.wordings:
                if kind is not RequestKind.OTHER:
                    wrong = kind not in o.row.kinds
                    cell = stats[(str(kind), word)][p]
                    cell[wrong] += 1
                    if o.held_by_wording_only or o.automatic:
                        cell[2 + wrong] += 1
    for (kind, word), s in sorted(stats.items()):
        cells = [f"{s[p][0]:3} right {s[p][1]:2} wrong ({s[p][2]:3} {s[p][3]:2})" for p in PARTS]
        print(f"  {kind:12} {word:44} {cells[0]:>27}   {cells[1]:>27}")


def list_errors(outcomes: list[Outcome], title: str) -> None:
    print(f"\nerrors, {title}:")
    for o in outcomes:
        kinds = "+".join(sorted(o.kinds)) if o.classified else o.stopped
        want = "+".join(sorted(o.row.kinds)) or "(not answered)"
        flags = []
        if o.classified and o.kinds != o.row.kinds:
            flags.append("kinds")
        if o.row.is_request and not o.classified:
            flags.append("lost")
        if o.row.is_request and o.classified and o.language != o.row.language:
            flags.append(f"language {o.language}")
        if o.wrong_action:
            flags.append("WRONG AUTOMATIC ACTION")
        if o.row.must_not_answer and o.answered:
            flags.append("ANSWERED MACHINE MAIL")
        if o.row.must_not_answer and o.classified and not o.answered:
            flags = [f for f in flags if f != "kinds"]
        if flags:
            print(f"  {o.row.name} [{o.row.language}] want {want}, got {kinds} "
                  f"{'(triage)' if o.classified and o.triage else ''}: {', '.join(flags)}")


def list_waiting(outcomes: list[Outcome]) -> None:
    """Development request mails given exactly the right kinds that still wait for a person,
    by the class of the reason (numbers and scores folded), then each mail."""
    waiting = [o for o in outcomes if o.row.is_request and o.classified and o.triage
               and o.kinds == o.row.kinds]
    classes = Counter(re.sub(r"[0-9.]+", "#", r) for o in waiting for r in o.reasons)
    print(f"\nwaiting for a person with the right kinds, development ({len(waiting)} mails):")
    for reason, n in classes.most_common():
        print(f"  {n:4}  {reason}")
    for o in waiting:
        print(f"  {o.row.name} [{o.row.language}] {'+'.join(sorted(o.kinds))}: "
              f"{'; '.join(o.reasons)}")


# ---------------------------------------------------------------- speed

ROUNDS = 15


def rounds_of(work: Callable[[], object], rounds: int = ROUNDS) -> list[float]:
    """CPU seconds of each of ``rounds`` runs, fastest first. The machine is shared, so the
    fastest run measures this code best; the median shows what the neighbours left of it."""
    took = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        took.append(time.process_time() - start)
    return sorted(took)


COLD_RUNS = 3


def everything(raws: Sequence[bytes], *, timed: bool = False) -> tuple[float, int]:
    """Parse, check, classify and read the signs of each mail, as ingest does; ``timed``:
    the CPU seconds classify took (0.0 untimed), and how many mails it classified."""
    clock = time.process_time
    took = 0.0
    classified = 0
    for raw in raws:
        mail = parse(raw)
        if isinstance(mail, ParsedMail):
            mail = unwrap_form_relay(mail, OWN_ADDRESSES)
        if isinstance(mail, ParsedMail) and check(mail, own_addresses=OWN_ADDRESSES) is None:
            if timed:
                start = clock()
                classify(mail)
                took += clock() - start
            else:
                classify(mail)
            classified += 1
            automatic_signs(mail)
    return took, classified


def cold_pass(raws: Sequence[bytes], rules_only: bool) -> tuple[float, float]:
    """In a fresh process, after the warm-up a worker does (``Ingestor.warm_up``): the CPU
    seconds of one pass over mails this process has never seen, and classify's CPU
    seconds a mail in it. The
    rounds of ``throughput`` repeat the same mails, so their word memos (``clauses``,
    ``model``) are warm; a daemon mostly reads new mail, whose new words are not remembered
    yet."""
    from mailbot.ingest import Ingestor

    if rules_only:
        classifier_module.model = lambda: None
    Ingestor.warm_up()
    start = time.process_time()
    classifying, classified = everything(raws, timed=True)
    return time.process_time() - start, classifying / max(classified, 1)


def cold(raws: list[bytes], rules_only: bool, runs: int = COLD_RUNS,
         ) -> list[tuple[float, float]]:
    """``cold_pass`` in ``runs`` fresh processes, one after another, fastest first."""
    took = []
    for _ in range(runs):
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            took.append(pool.submit(cold_pass, raws, rules_only).result())
    return sorted(took)


def throughput(raws: list[bytes], *, rules_only: bool = False) -> None:
    mails = [m for m in map(parse, raws) if isinstance(m, ParsedMail)]
    answered = [m for m in mails if check(m, own_addresses=OWN_ADDRESSES) is None]
    first = cold(raws, rules_only)

    def classify_only() -> None:
        for mail in answered:
            classify(mail)

    total = rounds_of(lambda: everything(raws))
    parsing = rounds_of(lambda: [parse(r) for r in raws])[0]
    only = rounds_of(classify_only)[0]
    print(f"\nthroughput, one core (CPU time), {ROUNDS} rounds over {len(raws)} mails: "
          f"parse+check+classify+signs {len(raws) / total[0]:,.0f} mails/s in the fastest round, "
          f"{len(raws) / total[ROUNDS // 2]:,.0f} in the median one (target 1,000); "
          f"parse alone {1e3 * parsing / len(raws):.3f} ms/mail; classify alone "
          f"{1e3 * only / len(answered):.3f} ms/mail over the {len(answered)} mails it gets")
    # The rounds above read mails whose words the classifier remembers from the round
    # before; the first pass in a fresh worker is what a daemon reading new mail pays.
    median = statistics.median(t for t, _ in first)
    print(f"cold first pass (a fresh process after the worker's warm-up, each mail new to it; "
          f"{len(first)} processes): parse+check+classify+signs "
          f"{len(raws) / first[0][0]:,.0f} mails/s in the fastest, {len(raws) / median:,.0f} "
          f"in the median one; classify in it {1e3 * first[0][1]:.3f} ms/mail in the "
          f"fastest")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list the development part's errors")
    ap.add_argument("--frozen-errors", action="store_true",
                    help="list the frozen part's errors too (for the report, not for tuning)")
    ap.add_argument("--waiting", action="store_true",
                    help="list development request mails with the right kinds that wait")
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput rounds")
    ap.add_argument("--rules-only", action="store_true",
                    help="the rules alone, without the second opinion (classify.model)")
    ap.add_argument("--source", choices=SOURCES,
                    help="figures of one source's rows only (bench/corpus.py)")
    ap.add_argument("--without", default="", metavar="SOURCES",
                    help="leave these sources' rows out (comma-separated): an earlier round's "
                    "rows, to compare like with like")
    args = ap.parse_args()
    if args.rules_only:
        classifier_module.model = lambda: None
    left_out = {name for name in args.without.split(",") if name}
    if left_out - set(SOURCES):
        ap.error(f"--without: unknown sources {sorted(left_out - set(SOURCES))}")
    rows = [r for r in load_rows() if args.source in (None, r.source)
            and r.source not in left_out]
    raws = [raw_bytes(r) for r in rows]
    outcomes = [run_one(r, raw) for r, raw in zip(rows, raws, strict=True)]
    report(outcomes, errors=args.errors, frozen_errors=args.frozen_errors,
           waiting=args.waiting)
    if not args.no_speed:
        throughput(raws, rules_only=args.rules_only)


if __name__ == "__main__":
    main()
