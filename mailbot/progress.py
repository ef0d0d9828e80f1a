"""Progress of long work: a rich progress bar on a terminal, plain lines otherwise (a log,
a pipe, systemd's journal)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO

PLAIN_EVERY = 0.1  # plain output: a line at each tenth of the work, and at its end


class Progress(Protocol):
    def advance(self, steps: int = 1) -> None: ...


class _Plain:
    def __init__(self, what: str, total: int, out: TextIO) -> None:
        self.what, self.total, self.out = what, total, out
        self.done = 0
        self._next = self._step()
        print(f"{what}: 0/{total}", file=out, flush=True)

    def _step(self) -> int:
        return self.done + max(1, int(self.total * PLAIN_EVERY))

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.done >= self._next or self.done >= self.total:
            print(f"{self.what}: {self.done}/{self.total}", file=self.out, flush=True)
            self._next = self._step()


class _Bar:
    def __init__(self, bar: object, task: object) -> None:
        self._bar, self._task = bar, task

    def advance(self, steps: int = 1) -> None:
        self._bar.advance(self._task, steps)  # type: ignore[attr-defined]


@contextmanager
def progress(what: str, total: int, *, out: TextIO | None = None) -> Iterator[Progress]:
    stream = out or sys.stderr
    if not stream.isatty():
        plain = _Plain(what, total, stream)
        yield plain
        if plain.done < plain.total:
            print(f"{what}: stopped at {plain.done}/{plain.total}", file=stream, flush=True)
        return
    from rich.console import Console
    from rich.progress import Progress as RichProgress

    with RichProgress(console=Console(file=stream), transient=False) as bar:
        task = bar.add_task(what, total=total)
        yield _Bar(bar, task)
