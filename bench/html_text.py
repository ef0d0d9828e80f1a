"""HTML-to-text benchmark: the HTML parts of the corpus, and markup built to be slow.

    .venv/bin/python bench/html_text.py

Prints the CPU time of ``mailbot.parse.html.html_to_text`` (fastest of 9 rounds) over every
HTML part that parsing the shared corpus and ``tests/corpus`` converts, and for each of the
hostile inputs of ``tests/unit/test_parse_html.py`` (deep nesting, reopened formatting
elements, unterminated attributes and comments, a megabyte of ``<``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import mailbot.parse.body as body  # noqa: E402
from mailbot.parse import parse  # noqa: E402
from mailbot.parse.html import html_to_text  # noqa: E402
from tests.unit.test_parse_html import HOSTILE  # noqa: E402

CORPORA = (ROOT.parent / "shared" / "corpus", ROOT / "tests" / "corpus")


def corpus_markup() -> list[str]:
    """Every markup string the parser hands to html_to_text while parsing the corpora."""
    seen: list[str] = []

    def keep(markup: str) -> str:
        seen.append(markup)
        return html_to_text(markup)

    body.html_to_text = keep
    try:
        for corpus in CORPORA:
            for path in sorted(corpus.rglob("*.eml")):
                parse(path.read_bytes())
    finally:
        body.html_to_text = html_to_text
    return seen


def fastest(work: Callable[[], object], rounds: int = 9) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    markup = corpus_markup()
    took = fastest(lambda: [html_to_text(m) for m in markup])
    size = sum(map(len, markup))
    print(f"corpus: {len(markup)} HTML parts, {size / 1e3:,.0f} kB: {1e3 * took:.1f} ms "
          f"({1e3 * took / len(markup):.2f} ms/part, {size / took / 1e6:.1f} MB/s)")
    for name, hostile in HOSTILE.items():
        took = fastest(lambda h=hostile: html_to_text(h), rounds=3)
        print(f"hostile {name!r}: {len(hostile) / 1e6:.1f} MB in {took:.2f} s")


if __name__ == "__main__":
    main()
