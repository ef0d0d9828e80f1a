"""Issue 12 (a worker's memory): the schema check reads the revisions without Alembic, and a
worker imports neither Alembic (with Mako and Pygments) nor requests; the revisions it reads
are Alembic's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import (
    MIGRATIONS,
    current_revision,
    ensure_current,
    head_revision,
    make_engine,
    upgrade,
)

CHECK = """
import sys
from mailbot.bootstrap import bootstrap  # what a worker imports
from mailbot.cli import cli
from mailbot.store.crypto import Cipher, generate_key
from mailbot.store.engine import current_revision, ensure_current, head_revision, make_engine
engine = make_engine(sys.argv[1], Cipher([generate_key()]))
ensure_current(engine, migrate=False)
print(current_revision(engine) == head_revision())
print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic', 'mako', 'pygments',
                                                       'requests', 'urllib3'}))
"""


def test_the_head_is_alembic_s_head() -> None:
    assert head_revision() == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_the_current_revision_is_read_from_the_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}", Cipher([generate_key()]))
    try:
        assert current_revision(engine) is None  # nothing migrated yet
        upgrade(engine, "0016_workers")
        assert current_revision(engine) == "0016_workers"
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_a_worker_checks_the_schema_without_alembic_or_requests(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = make_engine(url, Cipher([generate_key()]))
    try:
        ensure_current(engine, migrate=True)
    finally:
        engine.dispose()
    done = subprocess.run([sys.executable, "-c", CHECK, url], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["True", "[]"]
