"""The shape of the code, checked: no import cycles, the database only behind store/, every
error class in errors.py, the domain free of adapters, states only as enums."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "mailbot"
# sources/sql.py reads the organisation's own SQL databases (a data source, not our store)
# through SQLAlchemy; it is an adapter of its own, like imapclient for the mailbox.
SQLALCHEMY_ALLOWED = {"mailbot/sources/sql.py"}


def modules(package: Path) -> dict[str, Path]:
    """Every module of ``package`` by its dotted name (packages by the package's name)."""
    found = {}
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """The modules of the package that ``name`` imports anywhere: at the top, inside
    functions, and under TYPE_CHECKING (a cycle there is still a cycle in the design)."""
    known = set(known)
    root = name.split(".")[0]
    found: set[str] = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(here[:len(here) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != root:
                continue
            for alias in node.names:
                target = f"{base}.{alias.name}"
                found.add(target if target in known else base)
    return {module for module in found if module in known and module != name}


def cycles(package: Path) -> list[list[str]]:
    """The groups of modules that import each other, directly or round about (Tarjan)."""
    known = modules(package)
    graph = {name: imports(name, path, known) for name, path in known.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def sources() -> list[tuple[str, str]]:
    return [(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.parts]


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert cycles(PACKAGE) == []


def test_the_cycle_check_finds_a_new_cycle(tmp_path: Path) -> None:
    package = tmp_path / "mailbot"
    (package / "handle").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "handle" / "__init__.py").write_text("")
    (package / "handle" / "drafts.py").write_text("from mailbot.handle import refusal\n")
    (package / "handle" / "refusal.py").write_text(
        "def later():\n    from mailbot.handle.drafts import queue\n")
    (package / "bootstrap.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import mailbot.console\n")
    (package / "console.py").write_text("from . import bootstrap\n")
    (package / "alone.py").write_text("from mailbot.handle import drafts\n")
    assert sorted(cycles(package)) == [["mailbot.bootstrap", "mailbot.console"],
                                       ["mailbot.handle.drafts", "mailbot.handle.refusal"]]


def test_only_the_store_talks_to_the_database() -> None:
    offenders = [path for path, text in sources()
                 if re.search(r"^\s*(from|import) sqlalchemy\b", text, re.MULTILINE)
                 and not path.startswith("mailbot/store/") and path not in SQLALCHEMY_ALLOWED]
    assert offenders == []
    sessions = [path for path, text in sources()
                if re.search(r"\.session\b", text) and not path.startswith("mailbot/store/")]
    assert sessions == []


def test_every_error_class_is_defined_in_errors_py() -> None:
    from mailbot import errors

    defined = {name for name, value in vars(errors).items()
               if isinstance(value, type) and issubclass(value, Exception)}
    elsewhere = []
    for path, text in sources():
        if path == "mailbot/errors.py":
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                if bases & (defined | {"Exception", "ValueError", "RuntimeError"}):
                    elsewhere.append(f"{path}: {node.name}")
    assert elsewhere == []
    tree = errors.__doc__ or ""
    assert all(name in tree for name in defined - {"MailbotError"}), "drawn in the docstring"


def test_the_domain_imports_nothing_but_itself_and_the_errors() -> None:
    for path, text in sources():
        if not path.startswith("mailbot/domain/"):
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mailbot"):
                assert node.module.startswith(("mailbot.domain", "mailbot.errors")), path


@pytest.mark.parametrize("root", ["mailbot", "templates"])
def test_states_are_compared_as_enums_never_as_loose_strings(root: str) -> None:
    loose = re.compile(r"status\s*(==|!=|=)\s*['\"](?!open['\"]|all['\"])")
    found = [f"{path}:{number}" for path in sorted((ROOT / root).rglob("*"))
             if path.suffix in (".py", ".html") and "migrations" not in path.parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if loose.search(line)]
    assert found == []
