"""Piecewise-constant timelines: building, reading and combining them."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from credit_rules.engine.expressions import condition_timeline
from credit_rules.engine.timeline import DAWN, NEVER, Timeline, add_up, combine
from credit_rules.records import Subject

SUBJECT = Subject("S-1", "enterprise")

periods = st.lists(
    st.tuples(st.integers(2, 60), st.integers(1, 20)).map(
        lambda p: (p[0], p[0] + p[1])
    ),
    max_size=6,
)


def _holds(spans: list[tuple[int, int]], day: int) -> bool:
    return any(start <= day < end for start, end in spans)


def test_constant_has_no_change() -> None:
    """A constant timeline has one value and never changes."""
    timeline = Timeline.constant(7)
    assert 7 == timeline.value_at(12345)
    assert None is timeline.next_change(1)


@given(periods)
def test_of_periods_is_their_union(spans: list[tuple[int, int]]) -> None:
    """A bool timeline of periods holds exactly on the days some period covers."""
    timeline = Timeline.of_periods(spans)
    for day in range(1, 90):
        assert _holds(spans, day) == timeline.value_at(day)


@given(periods)
def test_neighbours_always_differ(spans: list[tuple[int, int]]) -> None:
    """Every point of a timeline is a real change, so equal functions are equal."""
    timeline = Timeline.of_periods(spans)
    assert all(
        a != b for a, b in zip(timeline.values, timeline.values[1:], strict=False)
    )


@given(
    st.lists(
        st.tuples(st.integers(2, 60), st.integers(1, 20), st.integers(-3, 3)),
        max_size=6,
    )
)
def test_sum_of_steps_adds_what_holds(steps: list[tuple[int, int, int]]) -> None:
    """A sum of steps is, on every day, the sum of the amounts holding that day."""
    triples = [(start, start + length, amount) for start, length, amount in steps]
    timeline = Timeline.sum_of_steps(triples, 0)
    for day in range(1, 90):
        expected = sum(amount for start, end, amount in triples if start <= day < end)
        assert expected == timeline.value_at(day)


def test_steps_that_never_end() -> None:
    """An amount ending on NEVER holds for ever."""
    timeline = Timeline.sum_of_steps([(10, NEVER, 5)], 0)
    assert (10,) == timeline.points
    assert 5 == timeline.value_at(NEVER - 1)


@given(periods, periods)
def test_combine_is_pointwise(
    left: list[tuple[int, int]], right: list[tuple[int, int]]
) -> None:
    """Combining two timelines applies the function on every day."""
    both = combine(
        lambda a, b: a and not b,
        [Timeline.of_periods(left), Timeline.of_periods(right)],
    )
    for day in range(1, 90):
        assert (_holds(left, day) and not _holds(right, day)) == both.value_at(day)


@given(periods, st.integers(0, 30))
def test_held_for_at_least(spans: list[tuple[int, int]], minimum: int) -> None:
    """Each period of truth is kept on for at least `minimum` days from its start."""
    timeline = Timeline.of_periods(spans)
    held = timeline.held_for_at_least(lambda start: start + minimum)
    expected = [(a, max(b, a + minimum)) for a, b in timeline.true_periods()]
    assert Timeline.of_periods(expected) == held
    assert all(held.value_at(day) for day in range(1, 90) if timeline.value_at(day))


def test_first_where_and_next_change() -> None:
    """`first_where` finds the first passing day on or after a start."""
    timeline = Timeline.of_periods([(10, 20), (30, 40)])
    assert 10 == timeline.first_where(bool, 5)
    assert 12 == timeline.first_where(bool, 12)
    assert 30 == timeline.first_where(bool, 20)
    assert None is timeline.first_where(bool, 40)
    assert 20 == timeline.next_change(10)
    assert [(10, 20), (30, 40)] == timeline.true_periods()


def test_true_from_dawn() -> None:
    """A period from the first date makes a timeline true from the start."""
    timeline = Timeline.of_periods([(DAWN, 5)])
    assert (5,) == timeline.points
    assert timeline.value_at(DAWN)
    assert [(DAWN, 5)] == timeline.true_periods()


def test_map_merges_equal_neighbours() -> None:
    """Mapping to equal values removes the change between them."""
    timeline = Timeline.sum_of_steps([(10, 20, 1), (20, 30, 2)], 0)
    assert Timeline.of_periods([(10, 30)]) == timeline.map(lambda value: value > 0)


@given(
    st.lists(
        st.lists(
            st.tuples(st.integers(2, 60), st.integers(1, 20), st.integers(-3, 3)),
            max_size=4,
        ),
        max_size=4,
    )
)
def test_add_up_is_the_pointwise_sum(groups: list[list[tuple[int, int, int]]]) -> None:
    """`add_up` gives, on every day, the start plus every timeline's value."""
    timelines = [
        Timeline.sum_of_steps([(s, s + n, a) for s, n, a in group], 0)
        for group in groups
    ]
    total = add_up(timelines, 10)
    for day in range(1, 90):
        assert 10 + sum(t.value_at(day) for t in timelines) == total.value_at(day)


steps = st.lists(
    st.tuples(
        st.one_of(st.just(DAWN), st.integers(2, 40)),
        st.one_of(st.integers(1, 45), st.just(NEVER)),
        st.integers(-3, 3),
    ),
    max_size=6,
)


@given(steps, st.tuples(st.integers(-2, 45), st.integers(-2, 50), st.integers(-3, 3)))
def test_plus_step_equals_adding_the_step(
    held: list[tuple[int, int, int]], step: tuple[int, int, int]
) -> None:
    """Adding one step in place gives the very timeline a full sum gives."""
    timeline = Timeline.sum_of_steps(held, 0)
    start, end, amount = step
    expected = add_up([timeline, Timeline.sum_of_steps([step], 0)], 0)
    assert expected == timeline.plus_step(start, end, amount)
    for edge in (DAWN, NEVER):
        boundless = (DAWN, end, amount) if edge == DAWN else (start, NEVER, amount)
        expected = add_up([timeline, Timeline.sum_of_steps([boundless], 0)], 0)
        assert expected == timeline.plus_step(*boundless)


@given(periods, periods)
def test_short_circuit_matches_the_pointwise_join(
    left: list[tuple[int, int]], right: list[tuple[int, int]]
) -> None:
    """Joining conditions by `and` and `or` gives what merging every operand gives."""
    index = {"a": 0, "b": 1, "c": 2}
    values = [
        Timeline.of_periods(left),
        Timeline.of_periods(right),
        Timeline.constant(bool(left)),
    ]
    nodes = [("node", "a"), ("node", "b"), ("node", "c")]
    for tag, join in (("and", all), ("or", any)):
        joined = condition_timeline((tag, tuple(nodes)), index)(values, SUBJECT)
        expected = combine(lambda *operands, join=join: join(operands), values)
        assert expected == joined


def test_the_first_and_last_ordinals_are_those_of_the_calendar() -> None:
    """`DAWN` and `NEVER` are written out; they must stay the ends of `date`."""
    assert (DAWN, NEVER) == (dt.date.min.toordinal(), dt.date.max.toordinal())
