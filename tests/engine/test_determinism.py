"""Results do not depend on the process: not on hash seeds, nor on dict order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_GRADE = """
import datetime as dt, json, hashlib
import credit_rules
policy = credit_rules.load_policy("policies/huaian")
data = credit_rules.read_dataset("examples/huaian", policy)
subjects = sorted(data.subjects, key=lambda s: s.id)[:150]
wanted = {s.id for s in subjects}
engine = credit_rules.Engine(policy, today=dt.date(2026, 7, 1))
engine.ingest([*subjects, *(r for r in data.records if r.subject in wanted)])
graded = [a.to_json() for a in engine.assess_all(dt.date(2026, 7, 1))]
explained = engine.explain(subjects[0].id, dt.date(2026, 7, 1))
print(engine.plan.digest)
print(json.dumps(graded, sort_keys=True, ensure_ascii=False))
print(hashlib.sha256(repr(explained.parts).encode()).hexdigest())
"""


def _run(seed: str) -> str:
    environment = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _GRADE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    return done.stdout


def test_two_processes_with_other_hash_seeds_grade_alike() -> None:
    """Digest, assessments and an explanation do not change with the hash seed."""
    first, second = _run("1"), _run("2024")

    assert first.splitlines()[0] == second.splitlines()[0]
    assert first == second
