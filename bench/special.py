"""Special-category scan over the corpora: how many mails are flagged, and for what.

    .venv/bin/python bench/special.py            # counts per corpus and category, and speed
    .venv/bin/python bench/special.py --list     # also every finding, to read for false alarms
    .venv/bin/python bench/special.py --large    # also the time for 1 MB texts of one kind

Reads every ``.eml`` (parsed as ingest does: the body text) and ``.txt`` (a pasted letter)
under the shared corpus (``<repo>/../shared/corpus``) and ``tests/corpus``. Almost none of
these mails hold special-category data, so nearly every flag is a false alarm to look at.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailbot.classify.special import detect  # noqa: E402
from mailbot.domain.mail import ParsedMail  # noqa: E402
from mailbot.parse import parse  # noqa: E402

CORPORA = {
    "written": ROOT.parent / "shared" / "corpus" / "written",
    "shared (other)": ROOT.parent / "shared" / "corpus",
    "tests/corpus": ROOT / "tests" / "corpus",
}


def texts(base: Path, skip: Path | None) -> list[tuple[Path, str]]:
    found = []
    for path in sorted(base.rglob("*")):
        if skip is not None and skip in path.parents:
            continue
        if path.suffix == ".txt":
            found.append((path, path.read_text("utf-8", "replace")))
        elif path.suffix == ".eml":
            parsed = parse(path.read_bytes())
            if isinstance(parsed, ParsedMail):
                found.append((path, f"{parsed.subject}\n\n{parsed.text}"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="print every finding")
    parser.add_argument("--large", action="store_true", help="time 1 MB texts")
    args = parser.parse_args()
    total_mails = total_flagged = 0
    elapsed = 0.0
    for name, base in CORPORA.items():
        skip = CORPORA["written"] if name == "shared (other)" else None
        mails = texts(base, skip)
        flagged = 0
        categories: Counter[str] = Counter()
        for path, text in mails:
            started = time.perf_counter()
            detection = detect(text)
            elapsed += time.perf_counter() - started
            if not detection.flagged:
                continue
            flagged += 1
            categories.update(c.value for c in detection.categories)
            if args.list:
                for f in detection.findings:
                    print(f"  {path.relative_to(base)}: {f.category.value}: {f.phrase!r}")
        total_mails += len(mails)
        total_flagged += flagged
        shown = ", ".join(f"{c} {n}" for c, n in categories.most_common()) or "-"
        print(f"{name}: {flagged} of {len(mails)} mails flagged ({shown})")
    print(f"all: {total_flagged} of {total_mails} mails flagged; "
          f"{elapsed / max(total_mails, 1) * 1000:.2f} ms per mail")
    if args.large:
        large()


LARGE = {
    "Dutch prose": "Ik wil graag weten welke gegevens u van mij heeft. ",
    "French prose (accents)": "Je suis très content de votre réponse à ma requête. ",
    "digits (BSN-shaped)": "123456782 ",
    "one accented letter": "é",
    "a cue repeated": "mijn BSN is ",
}


def large(size: int = 1_000_000, rounds: int = 3) -> None:
    for name, piece in LARGE.items():
        text = piece * (size // len(piece))
        best = min(_timed(text) for _ in range(rounds))
        print(f"{name}, {len(text) / 1e6:.1f} MB: {best:.2f} s (fastest of {rounds})")


def _timed(text: str) -> float:
    started = time.process_time()
    detect(text)
    return time.process_time() - started


if __name__ == "__main__":
    main()
