"""A worker's warm-up sets what it loaded aside from the garbage collector (``gc.freeze``), so
that a full collection no longer walks the lexicons and the model again while a mail is being
classified; what is made afterwards is still collected. Run in a child process: freezing the
test process's own heap would keep the other tests' garbage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WORKER = """
import gc, json, sys
from pathlib import Path
from mailbot.bootstrap import bootstrap
from tests.harness.app import make_settings

app = bootstrap(make_settings(Path(sys.argv[1]), mailbox_url="maildir:///nonexistent",
                              smtp_url="smtp://127.0.0.1:1"))
gc.collect()
loose_before = len(gc.get_objects())
app.daemon.warm_up(settle=True)
frozen, loose = gc.get_freeze_count(), len(gc.get_objects())


class Node:
    def __init__(self) -> None:
        self.me = self


gc.disable()  # so that no automatic collection takes them first
for _ in range(1000):
    Node()  # garbage in cycles, made after the warm-up
print(json.dumps({"loose_before": loose_before, "frozen": frozen, "loose": loose,
                  "collected": gc.collect()}))
app.close()
"""


def test_the_warm_up_freezes_what_it_loaded_and_later_garbage_is_still_collected(
        tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", WORKER, str(tmp_path)], cwd=ROOT,
                          capture_output=True, text=True, check=True, timeout=120)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    # everything the worker holds after its warm-up (lexicons, model, modules) is frozen
    assert found["frozen"] > found["loose_before"] > 10_000
    assert found["loose"] < found["frozen"] / 20  # what a full collection still walks
    assert found["collected"] >= 1_000  # the 1,000 cycles made after it
