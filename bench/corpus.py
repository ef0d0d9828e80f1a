"""Every labelled mail mailbot has, and the fixed rule that splits them into a development
part and a frozen test part.

    .venv/bin/python bench/corpus.py            # counts per part, language and label
    .venv/bin/python bench/corpus.py --list     # every row with its part

Sources (read where they lie; nothing is copied into the repository):

- ``written``: ``<repo>/../shared/corpus/written/manifest-*.csv`` (``kinds`` ;-joined,
  ``disposition``);
- ``shared``: ``<repo>/../shared/corpus/manifest.csv`` (``expected_label`` +-joined;
  ``objection`` is our ``unsubscribe``, ``auto_reply_bounce`` must never be answered);
- ``own``: ``tests/corpus/manifest.csv``, mails invented for mailbot, same columns;
- ``fresh``: ``tests/corpus/fresh/manifest.csv`` (the written corpus's columns), mails
  written for mailbot by someone who had not seen its classifier, lexicons or corpora, and
  first measured before anything was tuned on them (``docs/benchmarks.md``, round seven);
- ``fresh2``: ``tests/corpus/fresh2/manifest.csv``, a second such set by another writer;
- ``fresh3``: ``tests/corpus/fresh3/manifest.csv``, a third (round nine);
- ``fresh4``: ``tests/corpus/fresh4/manifest.csv``, a fourth (round ten);
- ``fresh5``: ``tests/corpus/fresh5/manifest.csv``, a fifth, written and measured after round
  ten's rules (round ten);
- ``fresh6``: ``tests/corpus/fresh6/manifest.csv``, a sixth, written during round eleven and
  measured as it came (round eleven);
- ``fresh7``: ``tests/corpus/fresh7/manifest.csv``, a seventh, written and measured after round
  eleven's rules (round eleven);
- ``fresh8``: ``tests/corpus/fresh8/manifest.csv``, an eighth, measured as it came after
  round twelve's rules (round twelve);
- ``fresh9``: ``tests/corpus/fresh9/manifest.csv``, a ninth, measured as it came during round
  thirteen (round thirteen);
- ``fresh10``: ``tests/corpus/fresh10/manifest.csv``, a tenth, measured as it came during round
  fourteen (round fourteen);
- ``fresh11``: ``tests/corpus/fresh11/manifest.csv``, an eleventh, measured as it came during
  round fifteen (round fifteen);
- ``fresh12``: ``tests/corpus/fresh12/manifest.csv``, a twelfth, measured as it came during
  round sixteen (round sixteen);
- ``fresh13``: ``tests/corpus/fresh13/manifest.csv``, a thirteenth, mail as written on phones
  and in webmail, measured as it came during round seventeen (round seventeen);
- ``fresh14``: ``tests/corpus/fresh14/manifest.csv``, a fourteenth, formal and long mail,
  representatives, withdrawals and twenty other EU languages, measured as it came during
  round eighteen (round eighteen);
- ``fresh15``: ``tests/corpus/fresh15/manifest.csv``, a fifteenth, everyday short mail as an
  ordinary month brings it (phones, webmail, Flemish, Austrian and Swiss variants, twenty mails
  in other EU languages as people write them), measured as it came during round nineteen
  (round nineteen);
- ``fresh16``: ``tests/corpus/fresh16/manifest.csv``, a sixteenth, mail in threads and with
  structure (replies under our mails, forwards, learners' and mixed languages, long
  complaints, HTML-only mail, twenty mails in sixteen other EU languages), measured as it came
  during round twenty (round twenty);
- ``fresh17``: ``tests/corpus/fresh17/manifest.csv``, a seventeenth, helpdesk mail at a fitness
  chain with privacy requests as side remarks and many look-alikes, measured as it came during
  round twenty-one (round twenty-one);
- ``fresh18``: ``tests/corpus/fresh18/manifest.csv``, an eighteenth, a ticket seller's everyday
  requests and opt-outs of every channel and their look-alikes, measured as it came during
  round twenty-two (round twenty-two);
- ``fresh19``: ``tests/corpus/fresh19/manifest.csv``, a nineteenth, a school photographer's
  mail from parents (children's photos and data, divorced parents, pupils writing for
  themselves), shop look-alikes and orders from a school and a sports club, measured as it
  came during round twenty-three (round twenty-three);
- ``fresh20``: ``tests/corpus/fresh20/manifest.csv``, a twentieth, an employment agency's mail
  from job seekers and temp workers (many writing a language not their own), data held for the
  agency's clients, look-alikes of shifts, payslips and job fairs, and orders from a
  distribution centre and a care service, measured as it came during round twenty-four (round
  twenty-four);
- ``fresh21``: ``tests/corpus/fresh21/manifest.csv``, a twenty-first, a car-sharing and lease
  company's mail: plain requests as ordinary customers write them (trip history, GPS
  locations, driving scores, licence photos), look-alikes of fines, bookings and payment cards,
  and fleet orders from a building group and a home-care service, measured as it came during
  round twenty-five (round twenty-five);
- ``fresh22``: ``tests/corpus/fresh22/manifest.csv``, a twenty-second, an optician and
  hearing-aid chain's mail: plain requests as customers write them (eye tests, prescriptions,
  hearing tests, lens subscriptions), look-alikes of appointments, lenses and insurer claims,
  relatives, and orders from two franchise opticians, measured as it came during round
  twenty-six (round twenty-six);
- ``dev4``: ``tests/corpus/dev4/manifest.csv``, 200 mails written (without seeing the
  classifier) to widen the everyday wording mailbot learns from: development only, never
  frozen, so that tuning on it cannot touch the frozen part (round nine);
- ``dev5``: ``tests/corpus/dev5/manifest.csv``, 200 more, weighted toward what must never be
  acted on or answered (machine mails without headers in 15 languages, person mails with no
  request, representatives, partly withdrawn requests): development only (round ten);
- ``dev6``: ``tests/corpus/dev6/manifest.csv``, 200 more: person mails that use request words
  and ask nothing, requests hidden in noise, machine mails in 22 languages: development only
  (round ten);
- ``dev7``: ``tests/corpus/dev7/manifest.csv``, 200 more: access and erasure said and not
  meant, and asked in everyday and indirect wording: development only (round ten);
- ``dev8``: ``tests/corpus/dev8/manifest.csv``, 200 more: opt-outs and corrections said and not
  meant, and asked in everyday wording: development only (round ten);
- ``dev9``: ``tests/corpus/dev9/manifest.csv``, 200 more: opt-outs, corrections, access and
  erasure in everyday wording, and look-alikes that use their words and ask nothing:
  development only (round eleven);
- ``dev10``: ``tests/corpus/dev10/manifest.csv``, 200 more: 130 mails that read like access,
  erasure or correction requests and ask nothing (invoices, appointments, meter readings,
  vendors, hypotheticals, thanks), beside 70 requests worded alike: development only (round
  twelve);
- ``dev11``: ``tests/corpus/dev11/manifest.csv``, 200 more: 140 everyday requests of every kind
  in many shapes, 45 mails near them that ask nothing, 15 machine mails without headers:
  development only (round thirteen);
- ``dev12``: ``tests/corpus/dev12/manifest.csv``, 200 more: 139 look-alikes of access, erasure
  and processing orders (the classes of the frozen wrong actions) beside 61 requests and
  orders worded alike: development only (round thirteen);
- ``dev13``: ``tests/corpus/dev13/manifest.csv``, 200 more: 110 opt-outs and objections in
  every channel, 40 mails with two or three requests, 35 mails near an opt-out that ask
  nothing new, 15 machine mails without headers: development only (round fourteen);
- ``dev14``: ``tests/corpus/dev14/manifest.csv``, 200 more: 125 corrections, erasures and access
  requests in everyday wording, 25 mails with two or three requests, 35 mails near them that
  ask nothing, 15 machine mails without headers: development only (round fifteen);
- ``dev15``: ``tests/corpus/dev15/manifest.csv``, 200 more: 95 opt-outs in every channel and
  shape, 35 mails with an opt-out beside one or two other requests, 55 look-alikes that name a
  channel, a call or consent with a negation and ask nothing, 15 machine mails without
  headers: development only (round sixteen).

The split rule (``SPLIT_SALT`` names its version; it was fixed before any tuning):

1. Mails that are versions of one letter form one *group* and always share a part: the
   datenanfragen templates' ``original/`` and ``filled/`` files of one template and their
   ``__variant`` fillings. Every other mail is a group of its own.
2. Groups are stratified by language. Within a language they are ordered by their label
   (the set of kinds, or the disposition of machine mail), then by SHA-256 of
   ``SPLIT_SALT:group``.
3. Every third group in that order goes to the frozen test part, starting at an offset that
   SHA-256 of ``SPLIT_SALT:language`` picks (0, 1 or 2), so that each label with three or
   more groups in a language has frozen mails, and the labels frozen first differ between
   languages. The rest is the development part.

Each set written blind (``fresh`` to ``fresh15``) is split on its own by the same rule with
every *second* group frozen (its own salt), so that adding it moved no other row between the
parts.

Sets for development only (``dev4`` to ``dev15``) are never split: all their rows are
development rows.

About a third of the mails are frozen. Tuning looks at development mails only: the
benchmark lists development errors unless asked otherwise, and frozen figures are read,
never fixed one mail at a time.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.domain.kinds import RequestKind  # noqa: E402

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
WRITTEN_CORPUS = SHARED_CORPUS / "written"
OWN_CORPUS = ROOT / "tests" / "corpus"
SPLIT_SALT = "mailbot-split-1"
FRESH_SALT = "mailbot-split-fresh-1"
# The sets written blind, each split on its own: source, folder, salt.
BLIND = (("fresh", OWN_CORPUS / "fresh", FRESH_SALT),
         ("fresh2", OWN_CORPUS / "fresh2", "mailbot-split-fresh-2"),
         ("fresh3", OWN_CORPUS / "fresh3", "mailbot-split-fresh-3"),
         ("fresh4", OWN_CORPUS / "fresh4", "mailbot-split-fresh-4"),
         ("fresh5", OWN_CORPUS / "fresh5", "mailbot-split-fresh-5"),
         ("fresh6", OWN_CORPUS / "fresh6", "mailbot-split-fresh-6"),
         ("fresh7", OWN_CORPUS / "fresh7", "mailbot-split-fresh-7"),
         ("fresh8", OWN_CORPUS / "fresh8", "mailbot-split-fresh-8"),
         ("fresh9", OWN_CORPUS / "fresh9", "mailbot-split-fresh-9"),
         ("fresh10", OWN_CORPUS / "fresh10", "mailbot-split-fresh-10"),
         ("fresh11", OWN_CORPUS / "fresh11", "mailbot-split-fresh-11"),
         ("fresh12", OWN_CORPUS / "fresh12", "mailbot-split-fresh-12"),
         ("fresh13", OWN_CORPUS / "fresh13", "mailbot-split-fresh-13"),
         ("fresh14", OWN_CORPUS / "fresh14", "mailbot-split-fresh-14"),
         ("fresh15", OWN_CORPUS / "fresh15", "mailbot-split-fresh-15"),
         ("fresh16", OWN_CORPUS / "fresh16", "mailbot-split-fresh-16"),
         ("fresh17", OWN_CORPUS / "fresh17", "mailbot-split-fresh-17"),
         ("fresh18", OWN_CORPUS / "fresh18", "mailbot-split-fresh-18"),
         ("fresh19", OWN_CORPUS / "fresh19", "mailbot-split-fresh-19"),
         ("fresh20", OWN_CORPUS / "fresh20", "mailbot-split-fresh-20"),
         ("fresh21", OWN_CORPUS / "fresh21", "mailbot-split-fresh-21"),
         ("fresh22", OWN_CORPUS / "fresh22", "mailbot-split-fresh-22"))
DEVELOPMENT_ONLY = (("dev4", OWN_CORPUS / "dev4"), ("dev5", OWN_CORPUS / "dev5"),
                    ("dev6", OWN_CORPUS / "dev6"), ("dev7", OWN_CORPUS / "dev7"),
                    ("dev8", OWN_CORPUS / "dev8"), ("dev9", OWN_CORPUS / "dev9"),
                    ("dev10", OWN_CORPUS / "dev10"), ("dev11", OWN_CORPUS / "dev11"),
                    ("dev12", OWN_CORPUS / "dev12"), ("dev13", OWN_CORPUS / "dev13"),
                    ("dev14", OWN_CORPUS / "dev14"), ("dev15", OWN_CORPUS / "dev15"))
DEV, TEST = "dev", "test"
MUST_NOT_ANSWER = "auto_reply_bounce"
MACHINE_DISPOSITIONS = frozenset({"auto_reply", "bounce", "list", "loop", MUST_NOT_ANSWER})
LABEL_KINDS = {"objection": RequestKind.UNSUBSCRIBE}
# The written corpus's registered client contacts (written/README.md), and fresh13's to
# fresh22's own (their READMEs: each invented its organisation's clients).
WRITTEN_CLIENTS = frozenset({"f.bakker@klant-een.example", "dana.ortiz@client-two.example",
                             "m.hoekstra@griffioen-bouw.example",
                             "s.okafor@tidewater-logistics.example",
                             "p.verhoef@noordkade-zorg.example",
                             "a.lindqvist@baltic-freight.example",
                             "r.kamphuis@hofzicht-wonen.example",
                             "s.brandt@wohnbau-grenzland.example",
                             "j.oosterhuis@zorggroep-eemsland.example",
                             "m.keller@stadtwerke-emsdetten.example",
                             "e.vandenberg@logistiek-hoogland.example",
                             "t.richter@klinikum-kleve.example",
                             "l.dewinter@zaal-denoorderkroon.example",
                             "c.moreau@festival-lumiere.example",
                             "j.kuipers@obs-dewilgenhoek.example",
                             "s.kohnen@tsv-weserland-eupen.example",
                             "h.vermeulen@distributie-kempen.example",
                             "k.wozniak@pflegedienst-niederrhein.example",
                             "m.dewaele@bouwgroep-leie.example",
                             "t.hartmann@pflege-mobil-aachen.example",
                             "g.vanhoutte@optiek-vanhoutte.example",
                             "j.kroeger@augenoptik-kroeger.example"})
OWN_ADDRESSES = frozenset({"privacy@example.test", "privacy@megawatt.test",
                           "privacy@kamillo.test", "privacy@stroomlijn.test",
                           "privacy@warmtewerf.test", "privacy@fietsfabriek.test",
                           "privacy@krachtstation.test", "privacy@podiumpas.test",
                           "privacy@klassefoto.test", "privacy@werkwijzer.test",
                           "privacy@deelrit.test"})


@dataclass(frozen=True)
class Row:
    source: str  # "written", "shared" or "own"
    rel: str  # the path in its manifest
    path: Path
    language: str
    label: str  # "+"-joined kinds ("other" for none), or a machine disposition
    notes: str
    disputed: str | None = None  # our label, where we believe the manifest's is wrong
    group: str = ""
    part: str = field(default=DEV, compare=False)

    @property
    def name(self) -> str:
        return f"{self.source}:{self.rel}"

    @property
    def must_not_answer(self) -> bool:
        return self.label in MACHINE_DISPOSITIONS

    @property
    def kinds(self) -> frozenset[RequestKind]:
        """What mailbot should record: empty for machine mail, {other} for no request."""
        if self.must_not_answer:
            return frozenset()
        label = self.label if self.disputed is None else self.disputed
        return frozenset(LABEL_KINDS.get(p) or RequestKind(p) for p in label.split("+"))

    @property
    def is_request(self) -> bool:
        return not self.must_not_answer and self.kinds != {RequestKind.OTHER}

    @property
    def formal_letter(self) -> bool:
        return self.rel.startswith("datenanfragen-data/") or "formal letter" in self.notes

    @property
    def client_contact(self) -> bool:
        return "client_contact" in self.notes


def _written(source: str = "written", base: Path = WRITTEN_CORPUS,
             pattern: str = "manifest-*.csv") -> Iterable[Row]:
    for manifest in sorted(base.glob(pattern)):
        with manifest.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                disposition = r["disposition"]
                if disposition != "request":
                    label = disposition
                else:
                    kinds = sorted(k for k in r["kinds"].split(";") if k)
                    label = "+".join(kinds) or "other"
                path = base / r["path"]
                yield Row(source, r["path"], path, r["language"], label, r["notes"] or "")


def _labelled(source: str, base: Path, disputed: dict[str, dict[str, str]]) -> Iterable[Row]:
    with (base / "manifest.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            ours = disputed.get(r["path"]) if source == "shared" else None
            if ours is not None and ours["manifest_label"] != r["expected_label"]:
                raise ValueError(f"disputed.csv is stale for {r['path']}")
            label = "+".join(sorted(str(LABEL_KINDS.get(k, k))
                                    for k in r["expected_label"].split("+")))
            yield Row(source, r["path"], base / r["path"], r["language"], label,
                      r.get("notes") or "", ours["our_label"] if ours else None)


def group_of(row: Row) -> str:
    """Versions of one letter share a group (and so a part)."""
    if row.source == "shared" and row.rel.startswith("datenanfragen-data/"):
        _, _, language, name = row.rel.split("/", 3)
        return f"datenanfragen/{language}/{name.removesuffix('.txt').split('__')[0]}"
    return f"{row.source}/{row.rel}"


def _digest(text: str, salt: str = SPLIT_SALT) -> str:
    return hashlib.sha256(f"{salt}:{text}".encode()).hexdigest()


def split(rows: list[Row], *, salt: str = SPLIT_SALT, every: int = 3) -> list[Row]:
    """The rows with ``group`` and ``part`` set by the rule in this module's docstring."""
    grouped = [Row(r.source, r.rel, r.path, r.language, r.label, r.notes, r.disputed,
                   group_of(r)) for r in rows]
    label: dict[str, str] = {}
    language: dict[str, str] = {}
    for r in grouped:
        label[r.group] = min(label.get(r.group, r.label), r.label)
        language.setdefault(r.group, r.language)
    strata: dict[str, list[str]] = defaultdict(list)
    for group, lang in language.items():
        strata[lang].append(group)
    frozen: set[str] = set()
    for lang, groups in strata.items():
        groups.sort(key=lambda g: (label[g], _digest(g, salt)))
        offset = int(_digest(lang, salt), 16) % every
        frozen.update(g for rank, g in enumerate(groups) if (rank + offset) % every == 0)
    return [Row(r.source, r.rel, r.path, r.language, r.label, r.notes, r.disputed, r.group,
                TEST if r.group in frozen else DEV) for r in grouped]


def load_rows(*, written: bool = True) -> list[Row]:
    """Every labelled row, each with its part. Raises when a corpus is missing."""
    with (OWN_CORPUS / "disputed.csv").open(encoding="utf-8") as fh:
        disputed = {r["path"]: r for r in csv.DictReader(fh)}
    rows = [*_labelled("shared", SHARED_CORPUS, disputed), *_labelled("own", OWN_CORPUS, {})]
    if written:
        rows.extend(_written())
    for source, base, _ in BLIND:
        rows.extend(_written(source, base, "manifest.csv"))
    for source, base in DEVELOPMENT_ONLY:
        rows.extend(_written(source, base, "manifest.csv"))
    return split_sources(rows)


def split_sources(rows: list[Row]) -> list[Row]:
    """``split`` over the sources not written blind, and over each blind set on its own; the
    sets for development only stay in the development part."""
    blind = {source: salt for source, _, salt in BLIND}
    development = {source for source, _ in DEVELOPMENT_ONLY}
    parts = split([r for r in rows if r.source not in blind.keys() | development])
    parts += [r for r in rows if r.source in development]
    for source, salt in blind.items():
        parts += split([r for r in rows if r.source == source], salt=salt, every=2)
    return parts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print every row with its part")
    args = ap.parse_args()
    rows = load_rows()
    if args.list:
        for r in rows:
            print(f"{r.part}\t{r.name}\t{r.language}\t{r.label}")
        return
    parts = Counter(r.part for r in rows)
    print(f"rows: {len(rows)}; development {parts[DEV]}, frozen test {parts[TEST]} "
          f"({100 * parts[TEST] / len(rows):.1f}%)")
    for source in ("written", "shared", "own", *(b[0] for b in BLIND),
                   *(d[0] for d in DEVELOPMENT_ONLY)):
        these = [r for r in rows if r.source == source]
        n = sum(r.part == TEST for r in these)
        if not these:
            continue
        print(f"  {source:8} {len(these):4} rows, {n:4} frozen ({100 * n / len(these):.1f}%)")
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in rows:
        table[(r.language, r.label)][r.part] += 1
    print(f"\n  {'language':8} {'label':40} {'dev':>4} {'test':>4}")
    for (lang, lab), c in sorted(table.items()):
        print(f"  {lang:8} {lab:40} {c[DEV]:4} {c[TEST]:4}")


if __name__ == "__main__":
    main()
