"""The second opinion's memory (issue 12): what loading ``classify.model`` costs a fresh
process, and what its word memos hold after a number of distinct words.

    .venv/bin/python bench/model_memory.py                      # loading, then 30,000 and
    .venv/bin/python bench/model_memory.py --words 5000 100000  # 100,000 words, or these

Each figure comes from a process of its own. Loading: the growth of ``ru_maxrss`` over
``model()``, and tracemalloc's memory held after it and at its peak. Words: the distinct words
of the corpus's mails (``bench/corpus.py``, as the rules tokenise them), then the same words
with two letters added, until there are as many as asked; each batch is scored and dropped,
so what tracemalloc still counts is what the memos keep, the words' own strings included.
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = ("", *(a + b for a in "aeiou" for b in "nrst"))


def loading() -> None:
    from mailbot.classify import model

    gc.collect()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    model.model()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    model.model.cache_clear()
    gc.collect()
    tracemalloc.start()
    model.model()
    held, peak = tracemalloc.get_traced_memory()
    print(f"loading model.json: ru_maxrss +{grown / 1024:.1f} MiB; tracemalloc: held "
          f"{held / 2**20:.2f} MiB, peak {peak / 2**20:.2f} MiB")


def words(count: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from classify import raw_bytes
    from corpus import load_rows

    from mailbot.classify.classifier import run_rules
    from mailbot.classify.model import MAX_WORDS, model
    from mailbot.domain.mail import ParsedMail
    from mailbot.parse import parse

    second = model()
    assert second is not None
    seen: dict[str, None] = {}
    for row in load_rows():
        mail = parse(raw_bytes(row))
        if isinstance(mail, ParsedMail):
            seen.update(dict.fromkeys(run_rules(mail).doc.tokens[:MAX_WORDS]))
    corpus = list(seen)
    del seen
    gc.collect()
    tracemalloc.start()
    made = 0
    for suffix in SUFFIXES:
        for start in range(0, len(corpus), MAX_WORDS):
            if made == count:
                break
            batch = ["".join((w, suffix)) for w in corpus[start:start + MAX_WORDS]]
            batch = batch[:count - made]
            made += len(batch)
            second.scores([], batch, client=False)
            del batch
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    print(f"the word memos after {made:,} distinct words ({len(corpus):,} the corpus's): "
          f"{held / 2**20:.2f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, nargs="*", default=[30_000, 100_000])
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child == "load":
        loading()
    elif args.child:
        words(int(args.child))
    else:
        for child in ("load", *map(str, args.words)):
            subprocess.run([sys.executable, __file__, "--child", child], check=True)


if __name__ == "__main__":
    main()
