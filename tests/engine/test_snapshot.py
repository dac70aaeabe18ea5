"""Snapshots: a restored engine continues exactly as the original would."""

from __future__ import annotations

import pytest

from credit_rules.engine.changes import Change
from credit_rules.engine.runtime import Engine
from credit_rules.errors import DataError
from engine.policies import day, record, text_policy
from engine.test_runtime import POLICY, SUBJECT


def _engine() -> Engine:
    engine = Engine(POLICY, today=day("2026-01-01"))
    engine.ingest([SUBJECT, record("T1", "test", "2025-12-01", {"result": "fail"})])
    engine.retract("T1", on=day("2026-09-01"))
    return engine


def test_restored_engine_continues_identically() -> None:
    """After restore, the same events give the same assessments and changes."""
    original = _engine()
    restored = Engine.restore(original.snapshot(), POLICY)
    heard: dict[str, list[Change]] = {"original": [], "restored": []}
    original.subscribe(heard["original"].append)
    restored.subscribe(heard["restored"].append)
    for engine in (original, restored):
        engine.ingest([record("C1", "cert", "2026-02-01")])
        engine.advance(to=day("2027-06-01"))
    assert heard["original"] == heard["restored"]
    assert len(heard["original"]) > 0
    for as_of in (day("2026-01-01"), day("2026-10-01"), day("2028-01-01")):
        assert original.assess("S1", as_of) == restored.assess("S1", as_of)
    assert original.records("S1") == restored.records("S1")
    assert original.today == restored.today


def test_restored_engine_keeps_the_audit_trail() -> None:
    """The in-memory archive, old versions included, travels with the snapshot."""
    original = _engine()
    original.correct(record("T1", "test", "2025-12-01", {"result": "pass"}))
    restored = Engine.restore(original.snapshot(), POLICY)
    assert original.store.versions("T1") == restored.store.versions("T1")


def test_snapshot_of_another_policy_is_refused() -> None:
    """A snapshot restores only under the policy it was taken with."""
    other = text_policy('record test "抽检" { }')
    with pytest.raises(DataError, match="digest"):
        Engine.restore(_engine().snapshot(), other)


def test_garbage_is_not_a_snapshot() -> None:
    """Bytes that are not a snapshot give a clear error."""
    with pytest.raises(DataError, match="not an engine snapshot"):
        Engine.restore(b"not a snapshot", POLICY)
