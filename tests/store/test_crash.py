import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from credit_rules.records import Subject
from credit_rules.store import SqliteStore

BATCH = 4000
"""Entries of one import: a subject and three records each, large enough to be
killed in the middle of."""

IMPORTER = """
import datetime as dt, sys
from credit_rules.records import Record, Subject
from credit_rules.store import SqliteStore

path, batch, size = sys.argv[1], sys.argv[2], int(sys.argv[3])

def entries():
    for n in range(size // 4):
        subject = f"{batch}-S{n}"
        yield Subject(subject, "family_farm", {"name": f"farm {n}"})
        for k in range(3):
            yield Record(f"{batch}-R{n}-{k}", subject, "inspection", dt.date(2025, 1, 1 + k), {"result": "ok"})

store = SqliteStore(path)
print("ready", flush=True)
store.append(entries(), by="importer", source=batch)
store.close()
"""


def _entries(path: Path) -> int:
    with SqliteStore(path) as store:
        assert "ok" == store.integrity()
        counts = store.counts()
    return sum(v for k, v in counts.items() if k != "imports")


def test_killed_imports_leave_the_archive_before_or_after(tmp_path: Path) -> None:
    """An import killed with SIGKILL at random moments never leaves half of itself."""
    path = tmp_path / "archive.db"
    with SqliteStore(path) as store:
        store.append([Subject("S-0", "enterprise")], by="setup")
    rng = random.Random(2026)
    outcomes = []

    deadline = time.monotonic() + 10
    for attempt in range(6):
        if time.monotonic() > deadline:
            break
        before = _entries(path)
        child = subprocess.Popen(
            [sys.executable, "-c", IMPORTER, str(path), f"B{attempt}", str(BATCH)],
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert b"ready\n" == child.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.8))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()

        after = _entries(path)
        assert after in (before, before + BATCH)
        outcomes.append(after == before)

    assert len(outcomes) >= 3
    assert any(outcomes), "no import was killed before it committed"
    before = _entries(path)
    finished = subprocess.run(
        [sys.executable, "-c", IMPORTER, str(path), "last", str(BATCH)],
        capture_output=True,
        check=True,
    )
    assert b"ready\n" == finished.stdout
    assert before + BATCH == _entries(path)
