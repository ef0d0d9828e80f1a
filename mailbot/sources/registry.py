"""All configured sources, asked together."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mailbot.config import Source as SourceSettings
from mailbot.errors import NotWritable
from mailbot.sources.base import DataSource, Found
from mailbot.sources.factory import recorded_failures, source_factory
from mailbot.store.repository import Repository


@dataclass(frozen=True, slots=True)
class Change:
    """What happened to one source when a correction or erasure was applied."""

    source: str
    done: bool
    rows: int = 0
    manual_step: str = ""  # what staff must do by hand when mailbot could not


class SourceRegistry:
    def __init__(self, sources: Sequence[Callable[[Repository], DataSource]],
                 settings: Sequence[SourceSettings]) -> None:
        self._factories = list(sources)
        self.settings = list(settings)

    @classmethod
    def from_settings(cls, settings: Sequence[SourceSettings]) -> SourceRegistry:
        return cls([source_factory(s) for s in settings], settings)

    def close(self) -> None:
        """Release every source's connections (their pools would otherwise outlive us)."""
        for factory in self._factories:
            close = getattr(factory, "close", None)
            if close is not None:
                close()

    def _open(self, repo: Repository) -> list[DataSource]:
        return [factory(repo) for factory in self._factories]

    def lookup(self, email: str, repo: Repository) -> list[Found]:
        """Every source that holds something about ``email``, in configuration order."""
        found = []
        for source in self._open(repo):
            records = source.lookup(email)
            if records:
                found.append(Found(source.settings, tuple(records)))
        return found

    def lookup_name(self, name: str, repo: Repository) -> list[Found]:
        """Every source that can search by name (``name_query``, ``name_column``) and holds
        rows for ``name``, in configuration order."""
        found = []
        for source in self._open(repo):
            if not (source.settings.name_query or source.settings.name_column):
                continue
            records = getattr(source, "lookup_name")(name)  # noqa: B009
            if records:
                found.append(Found(source.settings, tuple(records)))
        return found

    def update(self, email: str, field: str, value: str, repo: Repository) -> list[Change]:
        what = f"set {field} to {value!r} for {email}"
        with recorded_failures(repo) as failures:
            holding = [s for s in self._open(repo) if s.lookup(email)]
        return [self._change(s, lambda s=s: s.update(email, field, value), what)
                for s in holding] + _unreachable(failures, what)

    def erase(self, email: str, repo: Repository) -> list[Change]:
        what = f"erase every record of {email}"
        with recorded_failures(repo) as failures:
            holding = [s for s in self._open(repo) if s.lookup(email)]
        return [self._change(s, lambda s=s: s.erase(email), what)
                for s in holding] + _unreachable(failures, what)

    def setting(self, name: str) -> SourceSettings | None:
        return next((s for s in self.settings if s.name == name), None)

    def apply_in(self, name: str, what: str, email: str, repo: Repository, *,
                 field: str = "", value: str = "") -> Change:
        """``what`` (erase, restrict or update ``field`` to ``value``) in the one source
        ``name``. A processor's source is never changed (only its client decides)."""
        source = next((s for s in self._open(repo) if s.settings.name == name), None)
        if source is None:
            return Change(name, False, manual_step=f"{name}: no such source is configured")
        operations: dict[str, Callable[[], int]] = {
            "erase": lambda: source.erase(email),
            "restrict": lambda: getattr(source, "restrict")(email),  # noqa: B009
            "update": lambda: source.update(email, field, value)}
        described = {"erase": f"erase every record of {email}",
                     "restrict": f"restrict every record of {email}",
                     "update": f"set {field} to {value!r} for {email}"}[what]
        return self._change(source, operations[what], described)

    @staticmethod
    def _change(source: DataSource, apply: Callable[[], int], what: str) -> Change:
        if source.settings.role == "processor":  # only the client's instruction changes it
            return Change(source.settings.name, False,
                          manual_step=f"{source.settings.name}: {what}")
        if not source.settings.writable:
            return Change(source.settings.name, False, manual_step=f"{source.settings.name}: "
                          f"{what}")
        try:
            return Change(source.settings.name, True, rows=apply())
        except NotWritable as exc:
            return Change(source.settings.name, False,
                          manual_step=f"{source.settings.name}: {what} ({exc})")


def _unreachable(failures: dict[str, str], what: str) -> list[Change]:
    return [Change(name, False, manual_step=f"{name}: could not be searched ({reason}); "
                   f"{what} if it holds any") for name, reason in failures.items()]
