"""Tests of the fast paths of an event: patches, tails of timelines, quick record checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credit_rules.dsl.policy import Policy
from credit_rules.engine import kernels
from credit_rules.engine import state as engine_state
from credit_rules.engine.shapes import RecordShapes
from credit_rules.engine.state import evaluate
from credit_rules.engine.suffix import splice, tail
from credit_rules.engine.timeline import Timeline, add_up
from credit_rules.engine.validation import check_record
from credit_rules.errors import RecordError
from credit_rules.records import Record
from engine.test_equivalence import SmallPolicies, records_of, small_policies

DAY = 739_000  # an ordinal in 2024

changes = st.lists(st.integers(DAY - 400, DAY + 400), max_size=8, unique=True)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    """Draw a timeline of whole decimals, in canonical form."""
    points = sorted(draw(changes))
    amounts = draw(st.lists(st.integers(-3, 3), min_size=len(points) + 1))
    pieces = zip(points, (Decimal(a) for a in amounts[1:]), strict=False)
    return Timeline.from_pieces(pieces, Decimal(amounts[0]))


@given(timelines(), st.integers(DAY - 500, DAY + 500))
def test_a_timeline_is_its_head_spliced_to_its_tail(
    timeline: Timeline, since: int
) -> None:
    """Splicing a timeline's own tail back onto it gives the timeline unchanged."""
    assert timeline == splice(timeline, since, tail(timeline, since))


@given(timelines(), st.integers(DAY - 500, DAY + 500))
def test_a_tail_agrees_from_its_date_on(timeline: Timeline, since: int) -> None:
    """A tail changes only after its date and equals the timeline from it on."""
    found = tail(timeline, since)
    assert all(point > since for point in found.points)
    for day in [since, *timeline.points, since + 1000]:
        if day >= since:
            assert timeline.value_at(day) == found.value_at(day)


@given(st.lists(timelines(), max_size=4), st.integers(DAY - 500, DAY + 500))
def test_a_sum_from_a_date_is_the_tail_of_the_whole_sum(
    parts: list[Timeline], since: int
) -> None:
    """`add_up` with `since` builds exactly the tail of the whole sum."""
    whole = add_up(parts, Decimal(80))
    assert tail(whole, since) == add_up(parts, Decimal(80), since)
    assert whole == splice(whole, since, add_up(parts, Decimal(80), since))


class NodesAgree(SmallPolicies):
    """Random events; after each, every node as if built anew, value and text.

    The engine patches nodes by the steps of records added and recomputes the
    tails of long timelines; after each event every node of every view must
    equal, value and text, its value computed from scratch.
    """

    def check(self, data: st.DataObject) -> None:
        engine = self.live
        for subject in engine.subjects():
            held = engine._states[subject]
            for segment in held.segments:
                fresh = evaluate(engine._program, held.view(segment))
                assert _shown(fresh) == _shown(segment.values)
        super().check(data)


class TailsAgree(NodesAgree):
    """The same with every tail kernel taken and no patch.

    The engine takes a node's tail only when its timeline is long enough to
    pay, and patches a node before it would take its tail: here patches are
    left out and every node with a tail kernel takes it.
    """

    def __init__(self) -> None:
        super().__init__()
        self.saved = engine_state.TAIL_WORTHWHILE
        engine_state.TAIL_WORTHWHILE = 0
        self.saved_patches = (kernels.source_patches, kernels.step_patches)
        kernels.source_patches = kernels.step_patches = _no_patches

    def teardown(self) -> None:
        engine_state.TAIL_WORTHWHILE = self.saved
        kernels.source_patches, kernels.step_patches = self.saved_patches


def _no_patches(program: kernels.Program) -> list[None]:
    return [None] * len(program.plan.nodes)


def _shown(values: list[Any]) -> list[str]:
    # `repr` tells `Decimal("5")` from `Decimal("5.0")`, which `==` does not.
    return [repr(value) for value in values]


AGREEING = settings(
    settings(),
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestNodesAgree = NodesAgree.TestCase
TestNodesAgree.settings = AGREEING
TestTailsAgree = TailsAgree.TestCase
TestTailsAgree.settings = AGREEING


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_policies(), st.data())
def test_a_record_that_fits_passes_the_full_check(
    policy: Policy, data: st.DataObject
) -> None:
    """Every drawn valid record fits its shape, and whatever fits passes `check_record`."""
    shapes = RecordShapes(policy)
    record = data.draw(records_of(policy, "R1", "S1", ["R0"]))
    check_record(policy, record)
    has_code = any(
        field.type == "credit_code" for field in policy.records[record.type].fields
    )
    assert (not has_code) == shapes.fits(record)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_policies(), st.data())
def test_a_record_that_does_not_fit_is_left_to_the_full_check(
    policy: Policy, data: st.DataObject
) -> None:
    """A record with a wrong value, type, date or field set never fits its shape."""
    shapes = RecordShapes(policy)
    record = data.draw(records_of(policy, "R1", "S1", ["R0"]))
    fields = dict(record.fields)
    spoiled = [
        Record("R1", "S1", "no_such_type", record.date, fields),
        Record("R1", " ", record.type, record.date, fields),
        Record("R1", "S1", record.type, dt.datetime(2026, 1, 1), fields),
        Record("R1", "S1", record.type, record.date, {**fields, "extra": "x"}),
    ]
    for name in fields:
        spoiled.append(
            Record("R1", "S1", record.type, record.date, {**fields, name: 1.5})
        )
        spoiled.append(
            Record(
                "R1", "S1", record.type, record.date, {**fields, name: Decimal("NaN")}
            )
        )
    for wrong in spoiled:
        assert not shapes.fits(wrong)
        with pytest.raises(RecordError):
            check_record(policy, wrong)
