"""Piecewise-constant values over dates: the value every node of the graph holds.

A timeline is a value that changes only on some dates. Dates are proleptic
Gregorian ordinals (`date.toordinal()`), so comparing and sorting them is integer
work. `points` are the dates on which the value changes, strictly increasing;
`values[0]` holds before `points[0]`, `values[i]` on `[points[i - 1], points[i])`
and the last value from the last point on, for ever. Adjacent values always
differ, so two timelines are equal exactly when they describe the same function,
and every point is a real change.

Example:
    >>> expiring = Timeline.of_periods([(10, 20)])
    >>> expiring.value_at(9), expiring.value_at(10), expiring.value_at(20)
    (False, True, False)
    >>> expiring.next_change(10)
    20
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

# The dates' ordinals are written out, and the constants an event reads are
# `Final`: compiled (see `hatch_build.py`), a literal is a constant of the
# machine code and another `Final` a static, where a plain global is looked up
# in the module's dict on every use.

NEVER: Final = 3_652_059
"""The ordinal of `calendar.FOREVER` (`date.max`): a period ending there never ends."""

DAWN: Final = 1
"""The ordinal of `date.min`, the first date; a change on it is no change."""

_bisect_right: Final = bisect.bisect_right
"""`bisect.bisect_right`, as a constant of the module (see above)."""


class Timeline:
    """A piecewise-constant function from dates (ordinals) to values.

    The values of one timeline are all of one type (bools, numbers, tiers),
    which the names of the variables holding it tell. The class is not
    `Generic` over that type: compiled (see `hatch_build.py`), a generic class
    crashed the interpreter in property tests drawing timelines, a fault of
    the compiler's generic classes that a plain class does not meet.

    Attributes:
        points: The dates on which the value changes, strictly increasing.
        values: One more value than points; see the module's docstring.
    """

    __slots__ = ("points", "values")

    points: tuple[int, ...]
    values: tuple[Any, ...]

    def __init__(self, points: tuple[int, ...], values: tuple[Any, ...]) -> None:
        self.points = points
        self.values = values

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Timeline):
            return NotImplemented
        return self.points == other.points and self.values == other.values

    def __hash__(self) -> int:
        return hash((self.points, self.values))

    def __repr__(self) -> str:
        pieces = [repr(self.values[0])]
        for point, value in zip(self.points, self.values[1:], strict=True):
            pieces.append(f"{dt.date.fromordinal(point)}: {value!r}")
        return f"Timeline({', '.join(pieces)})"

    def __reduce__(self) -> tuple[type[Timeline], tuple[Any, ...]]:
        # Pickled as a call with both parts, which a compiled class can also
        # answer (it cannot be made empty and filled, as `__setstate__` does).
        return Timeline, (self.points, self.values)

    def __setstate__(self, state: tuple[tuple[int, ...], tuple[Any, ...]]) -> None:
        # Snapshots taken before `__reduce__` hold timelines made empty and filled.
        self.points, self.values = state

    # ---- building ------------------------------------------------------------

    @staticmethod
    def constant(value: Any) -> Timeline:
        """Return the timeline that is `value` on every date."""
        return Timeline((), (value,))

    @staticmethod
    def from_pieces(pieces: Iterable[tuple[int, Any]], initial: Any) -> Timeline:
        """Build a timeline from `(date, value)` pieces in date order.

        Each piece's value holds from its date to the next piece's; `initial`
        holds before the first. Equal neighbours merge, a later piece on the
        same date replaces an earlier one, and a piece on `DAWN` or before
        replaces `initial`.
        """
        points: list[int] = []
        values: list[Any] = [initial]
        for point, value in pieces:
            if point >= NEVER:
                break
            if point <= DAWN:
                values[0] = value
                continue
            if points and points[-1] == point:
                values.pop()
                points.pop()
            if value != values[-1]:
                points.append(point)
                values.append(value)
        return Timeline(tuple(points), tuple(values))

    @staticmethod
    def of_periods(periods: Iterable[tuple[int, int]]) -> Timeline:
        """Return the bool timeline true on the union of half-open `[start, end)`."""
        spans = sorted([period for period in periods if period[0] < period[1]])
        edges: list[int] = []
        for start, end in spans:
            if edges and start <= edges[-1]:
                if end > edges[-1]:
                    edges[-1] = end
                continue
            edges.append(start)
            edges.append(end)
        return _bool_from_edges(edges)

    @staticmethod
    def sum_of_steps(
        steps: Iterable[tuple[int, int, Any]],
        zero: Any,
        then: Callable[[Any], Any] | None = None,
    ) -> Timeline:
        """Return the sum of amounts that each hold on a half-open `[start, end)`.

        Args:
            steps: `(start, end, amount)` triples; empty periods are ignored.
            zero: The value where no amount holds, e.g. `0` or `Decimal(0)`.
            then: A function of the sum, such as a cap: the timeline is then
                that of `then(sum)`, as `map` would give, in the same pass.
        """
        deltas: dict[int, Any] = {}
        get = deltas.get
        for start, end, amount in steps:
            if start >= end:
                continue
            deltas[start] = get(start, zero) + amount
            if end < NEVER:
                deltas[end] = get(end, zero) - amount
        if not deltas:
            return Timeline((), (zero if then is None else then(zero),))
        return _running_sums(deltas, zero, then)

    def plus_step(self, start: int, end: int, amount: Any) -> Timeline:
        """Return this timeline of numbers with `amount` added on `[start, end)`.

        This is `add_up` of the timeline and one step, in a few slices: the
        values inside the step all move by the amount, so neighbours there
        stay apart, and only the step's two ends can start or stop a change.
        """
        if start >= end or end <= DAWN or not amount:
            return self
        points = self.points
        values = self.values
        count = len(points)
        if start > DAWN and end < NEVER:
            first = _bisect_right(points, start)
            last = _bisect_right(points, end - 1, first)
            if (not first or points[first - 1] != start) and (
                last == count or points[last] != end
            ):
                # The usual case: neither end is a change yet, so both become
                # one, and no neighbours can merge. Tuples are joined with `+`:
                # compiled, `(*a, x, *b)` goes through a list.
                if first == last:  # and the step falls within one piece
                    return Timeline(
                        points[:first] + (start, end) + points[first:],
                        values[: first + 1]
                        + (values[first] + amount,)
                        + values[first:],
                    )
                moved = tuple([value + amount for value in values[first : last + 1]])
                return Timeline(
                    points[:first]
                    + (start,)
                    + points[first:last]
                    + (end,)
                    + points[last:],
                    values[: first + 1] + moved + values[last:],
                )
        # values[first] holds on `start` and values[last] the day before `end`;
        # between them, the changes at points[first:last] stay where they are.
        first = _bisect_right(points, start) if start > DAWN else 0
        last = _bisect_right(points, end - 1) if end < NEVER else count
        inside = tuple([value + amount for value in values[first : last + 1]])
        middle = points[first:last]

        head = first - 1 if first and points[first - 1] == start else first
        head_points = points[:head]
        head_values = values[: head + 1]  # the last holds just before `start`
        if start <= DAWN:
            body_points, body_values = middle, inside
        elif inside[0] == head_values[-1]:
            body_points, body_values = head_points + middle, head_values + inside[1:]
        else:
            body_points = head_points + (start,) + middle
            body_values = head_values + inside
        if end >= NEVER:
            return Timeline(body_points, body_values)

        at_end = last < count and points[last] == end
        after = last + 1 if at_end else last  # values[after] holds on `end`
        tail_points = points[after:]
        if inside[-1] == values[after]:
            return Timeline(
                body_points + tail_points, body_values + values[after + 1 :]
            )
        return Timeline(
            body_points + (end,) + tail_points, body_values + values[after:]
        )

    # ---- reading ---------------------------------------------------------------

    def value_at(self, date: int) -> Any:
        """Return the value on `date`."""
        return self.values[_bisect_right(self.points, date)]

    def next_change(self, date: int) -> int | None:
        """Return the first date after `date` on which the value changes, if any."""
        index = _bisect_right(self.points, date)
        return self.points[index] if index < len(self.points) else None

    def first_where(self, test: Callable[[Any], Any], start: int) -> int | None:
        """Return the first date on or after `start` whose value passes `test`."""
        index = _bisect_right(self.points, start)
        if test(self.values[index]):
            return start
        for position in range(index, len(self.points)):
            if test(self.values[position + 1]):
                return self.points[position]
        return None

    def pieces(self) -> list[tuple[int | None, int | None, Any]]:
        """Return `(start, end, value)` for every piece; None is unbounded."""
        starts: list[int | None] = [None, *self.points]
        ends: list[int | None] = [*self.points, None]
        return list(zip(starts, ends, self.values, strict=True))

    def true_periods(self) -> list[tuple[int, int]]:
        """Return the maximal `[start, end)` periods in which the value is true.

        A period true from the first date starts at `DAWN`; one that never
        ends ends at `NEVER`.
        """
        periods = []
        for start, end, value in self.pieces():
            if value:
                periods.append((start or DAWN, end or NEVER))
        return periods

    # ---- combining -------------------------------------------------------------

    def map(self, function: Callable[[Any], Any]) -> Timeline:
        """Return the timeline of `function` applied to every value."""
        values = self.values
        last = function(values[0])
        if not self.points:
            return Timeline((), (last,))
        points: list[int] = []
        mapped = [last]
        # No start for `enumerate`: compiled, only the one without is a counting
        # loop, and every node that tests a number maps its timeline.
        for position, point in enumerate(self.points):
            value = function(values[position + 1])
            if value != last:
                points.append(point)
                mapped.append(value)
                last = value
        return Timeline(tuple(points), tuple(mapped))

    def held_for_at_least(self, minimum_end: Callable[[int], int]) -> Timeline:
        """Keep every period of truth `[a, b)` on until `max(b, minimum_end(a))`.

        This is the rule of locks and of effects that last: see the semantics
        page, "Holding for at least a while".

        Args:
            minimum_end: Maps the start of a period to the day its minimum ends.
        """
        periods = [(a, max(b, minimum_end(a))) for a, b in self.true_periods()]
        return Timeline.of_periods(periods)


def combine(function: Callable[..., Any], timelines: Sequence[Timeline]) -> Timeline:
    """Return the timeline of `function` applied pointwise to several timelines.

    Example:
        >>> a = Timeline.of_periods([(1, 5)])
        >>> b = Timeline.of_periods([(3, 8)])
        >>> combine(lambda x, y: x and y, [a, b]).true_periods()
        [(3, 5)]
    """
    if len(timelines) == 1:
        return timelines[0].map(function)
    arguments = [timeline.values[0] for timeline in timelines]
    varying = [p for p, timeline in enumerate(timelines) if timeline.points]
    if not varying:
        return Timeline((), (function(*arguments),))
    if len(varying) == 1:
        # The others are constant: a map over the one that changes.
        (moving,) = varying

        def with_others(value: Any) -> Any:
            arguments[moving] = value
            return function(*arguments)

        return timelines[moving].map(with_others)

    # Every change of every input as (date, input, new value), in date order;
    # (date, input) pairs are unique, so the values are never compared. A loop,
    # not `zip(..., strict=True)`: from compiled code a call with a keyword
    # takes a slow path, and this runs for most recomputed nodes.
    changes: list[tuple[int, int, Any]] = []
    for p in varying:
        changing = timelines[p]
        after = changing.values
        for index, point in enumerate(changing.points):
            changes.append((point, p, after[index + 1]))
    changes.sort()
    last = function(*arguments)
    points: list[int] = []
    values = [last]
    count = len(changes)
    index = 0
    while index < count:
        point = changes[index][0]
        while index < count and changes[index][0] == point:
            arguments[changes[index][1]] = changes[index][2]
            index += 1
        value = function(*arguments)
        if value != last:
            points.append(point)
            values.append(value)
            last = value
    return Timeline(tuple(points), tuple(values))


def add_up(
    timelines: Sequence[Timeline],
    start: Any,
    since: int = DAWN,
    then: Callable[[Any], Any] | None = None,
) -> Timeline:
    """Return `start` plus the pointwise sum of timelines of numbers.

    Unlike `combine`, each change costs one addition, not one per timeline.
    With `since`, only the sum's tail from that date is built: the sum on
    `[since, ∞)`, holding its value on `since` before (see
    `credit_rules.engine.suffix`). With `then`, the timeline is that of
    `then(sum)`, as `map` would give, built in the same pass.
    """
    total: Any = start
    deltas: dict[int, Any] = {}
    for timeline in timelines:
        values = timeline.values
        points = timeline.points
        if not points or points[-1] <= since:
            total = total + values[-1]
            continue
        first = _bisect_right(points, since) if since > DAWN else 0
        total = total + values[first]
        for index in range(first, len(points)):
            point = points[index]
            change = values[index + 1] - values[index]
            known = deltas.get(point)
            deltas[point] = change if known is None else known + change
    if not deltas:
        return Timeline((), (total if then is None else then(total),))
    return _running_sums(deltas, total, then)


def _running_sums(
    deltas: dict[int, Any], start: Any, then: Callable[[Any], Any] | None = None
) -> Timeline:
    """Build the timeline that is `start` plus the deltas up to each date.

    This is `from_pieces` of the running sums, without the pieces; with
    `then`, of `then` of each running sum.
    """
    points: list[int] = []
    running = start
    last = start if then is None else then(start)
    values = [last]
    for point in sorted(deltas):
        running = running + deltas[point]
        if point >= NEVER:
            break
        value = running if then is None else then(running)
        if point <= DAWN:
            values[0] = last = value
            continue
        if value != last:
            points.append(point)
            values.append(value)
            last = value
    return Timeline(tuple(points), tuple(values))


# Bool timelines alternate; their values are slices of these, not new tuples.
_FROM_FALSE: Final = (False, True) * 64
_FROM_TRUE: Final = (True, False) * 64


def _bool_from_edges(edges: list[int]) -> Timeline:
    """Build the bool timeline that starts false and flips on each edge."""
    if edges and edges[-1] >= NEVER:
        edges = [edge for edge in edges if edge < NEVER]
    initial = False
    if edges and edges[0] <= DAWN:
        edges, initial = edges[1:], True
    count = len(edges) + 1
    alternating = _FROM_TRUE if initial else _FROM_FALSE
    if count <= len(alternating):
        return Timeline(tuple(edges), alternating[:count])
    values = tuple((index % 2 == 1) != initial for index in range(count))
    return Timeline(tuple(edges), values)


FALSE: Final[Timeline] = Timeline.constant(False)
"""The shared timeline that is false on every date."""
