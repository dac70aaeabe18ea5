"""Shared parts keep a large engine small without touching the caller's records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from credit_rules import Engine, load_policy
from credit_rules.engine.sharing import compact, share
from credit_rules.engine.timeline import Timeline
from credit_rules.generate import generate
from credit_rules.records import Record, Subject

POLICIES = Path(__file__).resolve().parents[2] / "policies"


def test_compact_records_share_their_fields_and_leave_the_originals_alone() -> None:
    """Two equal records compact to one tuple of fields; the inputs keep theirs."""
    subject = Subject("S", "family_farm")
    first = Record("R1", "S", "inspection", dt.date(2026, 1, 5), {"result": "ok"})
    second = Record("R2", "S", "inspection", dt.date(2026, 1, 5), {"result": "ok"})
    second_fields = second.fields

    one, two = compact(first, subject.id), compact(second, subject.id)

    assert (first, second) == (one, two)
    assert one.fields is two.fields
    assert second.fields is second_fields
    assert second.fields is not two.fields
    assert one.subject is subject.id


def test_compact_records_share_decimals_only_of_the_same_text() -> None:
    """`5` and `5.0` are equal but print apart: each record keeps its own text."""
    day = dt.date(2026, 1, 5)

    def certificate(record_id: str, batches: str) -> Record:
        fields = {"batches": Decimal(batches)}
        return Record(record_id, "S", "conformity_certificate", day, fields)

    five, five_again = (
        compact(certificate("C1", "5"), "S"),
        compact(certificate("C2", "5"), "S"),
    )
    five_point_zero = compact(certificate("C3", "5.0"), "S")

    assert five.fields is five_again.fields
    assert five_point_zero.fields == five.fields
    assert str(five_point_zero.field("batches")) == "5.0"
    assert str(five.field("batches")) == "5"


def test_shared_timelines_hold_one_object_per_date() -> None:
    """Equal dates of two timelines become one object; the values stay equal."""
    day = 739_000
    # `int(str(...))` makes new objects of equal numbers, as compiled code does.
    first = Timeline((int(str(day)), int(str(day + 30))), (0, 5, 0))
    second = Timeline((int(str(day)), int(str(day + 60))), (1, 6, 1))
    assert first.points[0] is not second.points[0]

    one, two = share(Timeline(first.points, first.values)), share(second)

    assert (one, two) == (first, second)
    assert one.points[0] is two.points[0]


def test_a_patched_timeline_shares_its_new_dates_and_keeps_the_old_ones() -> None:
    """Sharing a patch against the value it replaces ends in one object per date."""
    day = 739_100
    elsewhere = share(Timeline((int(str(day + 10)), int(str(day + 20))), (0, 1, 0)))
    before = share(Timeline((int(str(day)), int(str(day + 40))), (0, 2, 0)))
    # New objects for the step's ends, as compiled code makes them.
    patched = before.plus_step(int(str(day + 10)), int(str(day + 20)), 1)

    after = share(patched, before=before)

    assert after.points == (day, day + 10, day + 20, day + 40)
    assert after.points[0] is before.points[0]
    assert after.points[3] is before.points[1]
    assert after.points[1] is elsewhere.points[0]
    assert after.points[2] is elsewhere.points[1]


def test_an_engine_keeps_one_object_per_date_in_its_timelines() -> None:
    """Across subjects and nodes, the timelines' points of one date are one object."""
    policy = load_policy(str(POLICIES / "jiangsu"))
    engine = Engine(policy, today=dt.date(2026, 6, 30))
    engine.ingest(list(generate(policy, 40, seed=3)))
    engine.ingest(
        [
            Record(
                f"N-{n}", subject, "training", dt.date(2026, 6, 30), {"topic": "用药"}
            )
            for n, subject in enumerate(sorted(engine.subjects()))
        ]
    )

    objects: dict[int, set[int]] = {}
    for state in engine._states.values():
        for segment in state.segments:
            for value in segment.values:
                for point in getattr(value, "points", ()):
                    objects.setdefault(point, set()).add(id(point))

    assert objects
    assert all(1 == len(found) for found in objects.values())
