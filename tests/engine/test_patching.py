"""Tests of patches: a record added moves rules, groups and the score by its step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from credit_rules.engine.expressions import COMPARE, threshold, thresholds_on
from credit_rules.engine.runtime import Engine
from credit_rules.engine.state import evaluate
from credit_rules.records import Record, Subject
from engine.policies import text_policy

# Sums that sit on their bounds: the group's cap, the score's two ends and an
# escalating rule whose second record takes back more than the cap let through;
# a test of the score that is not on one side of a threshold (`== 55`), and one
# joined by `and` with a test of a count.
POLICY = text_policy(
    """
enum outcome "结果" { pass "合格" fail "不合格" }
record test "抽检" { result: outcome }
record cert "认证" { }
record award "表彰" { }
subject "主体" { region: text }
score { base 80 range 0 to 90 }
group bonus "加分" { at most +8 }
rule certified "认证" { on cert points +5 in bonus counts for 1 year }
rule slip "小失误" { on test where result == pass points -3 in bonus counts for 3 months }
rule failure "抽检不合格" { on test where result == fail points -30 counts for 1 year }
rule award "表彰" { on award points -5, +10 within 1 year at most -8 counts for 2 years }
tiers "等级" {
  A "守信" when score >= 85 and none(test where result == fail within 1 year)
  B "基本守信" when score >= 60
  D "关注" when score == 55
  C "失信" otherwise
}
"""
)

SUBJECT = Subject("S1", "enterprise", {"region": "north"})
START = dt.date(2025, 1, 1)

events = st.lists(
    st.tuples(st.sampled_from(["cert", "pass", "fail", "award"]), st.integers(0, 500)),
    min_size=1,
    max_size=14,
)


def _record(number: int, kind: str, offset: int) -> Record:
    date = START + dt.timedelta(days=offset)
    if kind in ("pass", "fail"):
        return Record(f"R{number}", SUBJECT.id, "test", date, {"result": kind})
    return Record(f"R{number}", SUBJECT.id, kind, date)


def _shown(values: list[Any]) -> list[str]:
    return [repr(value) for value in values]


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events)
# Two awards a year apart are held at the cap; a third takes back 10 points.
@example([("award", 0), ("award", 400), ("award", 450)])
# Two certificates fill the group's cap; a slip takes back 3.
@example([("cert", 0), ("cert", 5), ("pass", 30)])
# A certificate moves the score from 50 to 55, then from 80 to 85: `== 55`
# turns true on the way, between two values on which it is false.
@example([("fail", 0), ("cert", 200)])
def test_patched_nodes_equal_nodes_built_anew(
    happenings: list[tuple[str, int]],
) -> None:
    """After each record, every node is what it would be built from scratch."""
    engine = Engine(POLICY, today=START)
    engine.ingest([SUBJECT])
    for number, (kind, offset) in enumerate(happenings):
        engine.ingest([_record(number, kind, offset)])
        held = engine._states[SUBJECT.id]
        (segment,) = held.segments
        fresh = evaluate(engine._program, held.view(segment))
        assert _shown(fresh) == _shown(segment.values)


def test_a_record_of_today_is_patched_in() -> None:
    """A record after the others moves its rule by its step, without a recount."""
    engine = Engine(POLICY, today=START)
    engine.ingest([SUBJECT, _record(1, "cert", 0), _record(2, "fail", 10)])
    program = engine._program
    position = program.index["rule:certified"]
    held = engine._states[SUBJECT.id]
    (segment,) = held.segments
    old = segment.values[position]

    added = _record(3, "cert", 20)
    engine.ingest([added])
    patch = program.patches[position]
    assert patch is not None
    patched = patch(old, held.by_type["cert"][-1:], held.view(segment), segment.values)

    assert patched is not None
    value, steps = patched
    assert value == segment.values[position]
    assert value == evaluate(program, held.view(segment))[position]
    assert steps == [(added.date.toordinal(), dt.date(2026, 1, 21).toordinal(), 5)]


def test_a_cap_held_refuses_a_step_back() -> None:
    """A group held at its cap cannot tell how far a step back brings it."""
    engine = Engine(POLICY, today=START)
    engine.ingest([SUBJECT, _record(1, "cert", 0), _record(2, "cert", 5)])
    program = engine._program
    position = program.index["group:bonus"]
    values = engine._states[SUBJECT.id].segments[0].values
    group = values[position]
    assert 8 in group.values  # two certificates, 10 points, held at 8
    step_patch = program.step_patches[position]
    assert step_patch is not None
    day = START.toordinal() + 30
    assert step_patch(group, [(day, day + 90, -3)], values) is None
    further = step_patch(group, [(day, day + 90, 5)], values)
    assert further is not None
    assert further[0] == group  # still held at 8 on those days
    assert further[1] is None  # and the readers learn no step


def test_a_condition_not_crossed_keeps_its_value() -> None:
    """A step that keeps the score on one side of a threshold changes nothing."""
    engine = Engine(POLICY, today=START)
    engine.ingest([SUBJECT, _record(1, "fail", 0)])
    program = engine._program
    held = engine._states[SUBJECT.id].segments[0].values
    position = program.index["score"]
    crossing = program.crossings[position]
    assert crossing is not None
    day = START.toordinal() + 30
    woken = {}
    for amount in (1, 5, 30, 40):
        step = (day, day + 30, amount)
        values = list(held)  # the score after the step, as the readers see it
        values[position] = held[position].plus_step(*step)
        woken[amount] = {program.plan.nodes[p].name for p in crossing([step], values)}
    assert woken[1] == set()
    # 5 points more bring the score from 50 to 55: onto `score == 55`.
    assert woken[5] == {"condition:3"}
    # 30 points more bring it to 80: across `score >= 60` (B's condition, the
    # second), not `score >= 85` (in A's, the first).
    assert woken[30] == {"condition:2"}
    assert woken[40] == {"condition:1", "condition:2"}


def test_an_event_visits_no_condition_it_does_not_cross() -> None:
    """A record that moves the score within a tier recomputes no condition."""
    engine = Engine(POLICY, today=START)
    engine.ingest([SUBJECT])
    before = engine.recomputed
    engine.ingest([_record(1, "pass", 10)])  # from 80 to 77: B all the same
    after = engine.recomputed
    visited = {name for name, count in after.items() if count != before.get(name, 0)}
    assert visited == {"rule:slip", "group:bonus", "score"}


def test_exact_sums_are_held_as_whole_numbers() -> None:
    """An exact plan's sums are `int`; its assessment reads them as decimals."""
    engine = Engine(POLICY, today=START)
    engine.ingest([SUBJECT, _record(1, "cert", 0), _record(2, "fail", 10)])
    program = engine._program
    assert program.exact
    values = engine._states[SUBJECT.id].segments[0].values
    for name in ("rule:certified", "group:bonus", "score"):
        assert {type(value) for value in values[program.index[name]].values} == {int}

    engine.advance(to=START + dt.timedelta(days=20))
    assessment = engine.assess(SUBJECT.id)
    assert type(assessment.score) is Decimal
    assert assessment.score == Decimal(80 + 5 - 30)


def test_sums_with_fractions_stay_decimal() -> None:
    """A plan with a point of a fraction keeps its sums, and their digits, decimal."""
    policy = text_policy(
        """
record cert "认证" { }
subject "主体" { region: text }
score { base 80 range 0 to 100 rounding 0.5 }
rule certified "认证" { on cert points +2.5 counts for 1 year }
tiers "等级" { A "守信" when score >= 85  C "失信" otherwise }
"""
    )
    engine = Engine(policy, today=START)
    engine.ingest([SUBJECT, _record(1, "cert", 0)])
    program = engine._program
    assert not program.exact
    values = engine._states[SUBJECT.id].segments[0].values
    score = values[program.index["score"]]
    assert score.values == (Decimal(80), Decimal("82.5"), Decimal(80))
    assert {type(value) for value in score.values} == {Decimal}
    assert engine.assess(SUBJECT.id).score == Decimal("82.5")


@pytest.mark.parametrize("operator", ["<", "<=", ">", ">="])
@pytest.mark.parametrize("constant", ["90", "90.0", "89.5"])
def test_a_threshold_answers_as_its_comparison(operator: str, constant: str) -> None:
    """A whole score is tested as an int, a decimal score as a decimal, alike."""
    number = Decimal(constant)
    expr = ("cmp", operator, ("node", "score"), ("const", number))
    for whole, scores in (
        (True, list(range(85, 96))),
        (False, [Decimal(score) / 2 for score in range(170, 192)]),
    ):
        tested = threshold(expr, {"score": 3}, whole)
        assert tested is not None
        position, test, monotone = tested
        assert (position, monotone) == (3, True)
        for score in scores:
            assert test(score) is COMPARE[operator](score, number)


def test_a_node_read_only_through_thresholds_has_their_tests() -> None:
    """A condition reads a node through its comparisons with numbers, or not."""
    index = {"score": 0, "query:q": 1, "rule:r": 2}
    at_least = ("cmp", ">=", ("node", "score"), ("const", Decimal(85)))
    joined = ("and", (at_least, ("none", "query:q")))
    score_tests = thresholds_on(("not", joined), 0, index, whole=True)
    assert score_tests is not None
    assert [(test(85), test(84), monotone) for test, monotone in score_tests] == [
        (True, False, True)
    ]
    query_tests = thresholds_on(joined, 1, index)
    assert query_tests is not None
    assert [(test(0), test(2)) for test, _ in query_tests] == [(True, False)]
    assert thresholds_on(joined, 2, index) == []
    # Read as a value, not through a number: a move may change it anywhere.
    listed = ("in", ("node", "score"), (("const", Decimal(55)),), False)
    assert thresholds_on(("or", (at_least, listed)), 0, index) is None
    against = ("cmp", ">=", ("node", "score"), ("node", "rule:r"))
    assert thresholds_on(against, 0, index) is None
    assert thresholds_on(against, 2, index) is None
