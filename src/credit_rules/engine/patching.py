"""Patching a node's value by what a new record adds: the fast path of most events.

A rule, a count, a group and the score are sums of steps: each record that
counts adds its amount on the period it counts. A record added to a subject
adds one step to the rules it matches, and leaves every other step as it was
as long as nothing else about the rule changed: the repairs it reads are the
same, and (for an escalating rule) no matching record comes after it, whose
amount the new one would raise. The rule's new timeline is then the old one
plus that step (`Timeline.plus_step`), a few slices instead of a recount; the
group and the score that add the rule up move by the same step.

A cap or the score's range may stand in the way: a total held at its cap hides
how far beyond it the sum went. A step further beyond changes nothing there
either way, but a step back from the cap may bring the sum back or not. A patch
with a step back from a cap (or an end of the range) therefore applies only
where the old timeline never reaches it: there the total held is the sum
itself. Where the new sum goes beyond, the cap is applied to it and the readers
learn no step (they recompute).

Decimal sums are exact, but a sum's exponent remembers its terms (see
`credit_rules.engine.suffix`): patches are used only when every point, cap,
base and end of the range is a whole number and the score rounds to a power of
ten no greater than one, so that every sum is a whole number and rounding
leaves it as it is. Such a plan holds its sums as `int` (`Program.exact`).

A condition that compares the score or a count with a number (`score >= 90`,
`any(...)`, also within `and`, `or` and `not`) changes only where the step moved
its input across the number. When no value the step moved crosses it, the
condition keeps its old timeline: it is not visited (`crossings`), nor is the
tier that reads it.

A patch returns None when it does not apply, and the node is recomputed whole.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from credit_rules.engine import dates
from credit_rules.engine.expressions import thresholds_on
from credit_rules.engine.plan import Node, Plan, RuleSpec, ScoreSpec
from credit_rules.engine.subject_records import SubjectRecords as View
from credit_rules.engine.suffix import whole, whole_numbers
from credit_rules.engine.timeline import DAWN, NEVER, Timeline
from credit_rules.records import Record, Subject

if TYPE_CHECKING:
    from credit_rules.engine.kernels import Program

Step = tuple[int, int, Any]
"""An amount that holds on a half-open period: `(start, end, amount)`."""

Patched = tuple[Any, list[Step] | None]
"""A node's new value, and the steps it moved by if they are all it moved by."""

Test = tuple[Callable[[Any], bool], bool]
"""A test of a number in a condition, and whether it is monotone, as `threshold` gives."""

SourcePatch = Callable[[Any, Sequence[Record], View, Sequence[Any]], Patched | None]
"""The new value of a node reading records, from its old value and records added:
`(old, added, view, values)`; the node's other inputs did not change."""

StepPatch = Callable[[Any, list[Step], Sequence[Any]], Patched | None]
"""A node's new value from its old one and the steps its changed inputs moved
by: `(old, steps, values)`, the values holding the inputs' new ones."""

Crossing = Callable[[list[Step], Sequence[Any]], Sequence[int]]
"""The readers of a node that may change when it moved by these steps:
`(steps, values)`, the values holding the node's new one."""


def source_patches(program: Program) -> list[SourcePatch | None]:
    """Return, per node of a program, its patch for records added, or None."""
    exact = program.exact
    found: list[SourcePatch | None] = []
    for node in program.plan.nodes:
        if node.kind == "query":
            found.append(_query_patch(program, node))
        elif node.kind == "rule" and exact:
            found.append(_rule_patch(program, node.spec))
        else:
            found.append(None)
    return found


def step_patches(program: Program) -> list[StepPatch | None]:
    """Return, per node of a program, its patch for steps of its inputs, or None."""
    exact = program.exact
    found: list[StepPatch | None] = []
    for node in program.plan.nodes:
        if exact and node.kind == "group":
            cap = _number(node.spec.cap)
            found.append(_capped_patch(cap, program.group_caps[node.name]))
        elif exact and node.kind == "score":
            spec = node.spec
            ends = (_number(spec.low), _number(spec.high))
            found.append(_score_patch(*ends, program.score_finish))
        else:
            found.append(None)
    return found


def crossings(program: Program) -> list[Crossing | None]:
    """Return, per node of a program, the readers its steps may change, or None.

    A node that conditions read only through comparisons with a number (the
    score in `score >= 90 and none(...)`, a count) has one: a step that crosses
    none of their numbers leaves those conditions out, so that they are not
    even visited on its account. (Another input that changed wakes them on its
    own.)
    """
    index = program.index
    tested: dict[int, list[tuple[int, list[Test]]]] = {}
    for reader, node in enumerate(program.plan.nodes):
        if node.kind != "condition":
            continue
        for position in sorted(program.inputs[reader]):
            tests = thresholds_on(node.spec.expr, position, index, program.exact)
            if tests:
                tested.setdefault(position, []).append((reader, tests))
    return [
        _crossing(position, program.readers[position], tested[position])
        if position in tested
        else None
        for position in range(len(program.plan.nodes))
    ]


def exact_sums(plan: Plan) -> bool:
    """Tell whether patched sums equal recomputed ones, exponents and all."""
    position = plan.index.get("score")
    spec = None if position is None else plan.nodes[position].spec
    if isinstance(spec, ScoreSpec):
        ends = [end for end in (spec.low, spec.high) if end is not None]
        if not all(whole(end) for end in ends):
            return False
        rounding = spec.rounding
        if rounding is not None and not _power_of_ten_to_one(rounding):
            return False
    return whole_numbers(plan)


def _query_patch(program: Program, node: Node) -> SourcePatch:
    # A count is a sum of one step per matching record, each fixed by its
    # record and the grants: records added, with the grants as they were,
    # add their steps and leave the others'.
    steps_of = program.query_steps(node.spec)

    def patch(
        old: Any, added: Sequence[Record], view: View, values: Sequence[Any]
    ) -> Patched:
        for start, end, amount in steps_of(added, view, values):
            old = old.plus_step(start, end, amount)
        return old, None

    return patch


def _rule_patch(program: Program, spec: RuleSpec) -> SourcePatch | None:
    cap = _number(spec.cap)
    if cap is not None and cap == 0:
        return None  # `at most 0` holds every total at 0: nothing to patch
    limit = program.rule_caps[spec.name]
    test = program.record_tests[spec.name]
    period = program.periods[spec.name]
    repairs = [program.index[f"repairs:{name}"] for name in spec.classes]
    record_type = spec.record_type
    points = program.amounts[spec.name]
    window = spec.window

    def patch(
        old: Any, added: Sequence[Record], view: View, values: Sequence[Any]
    ) -> Patched | None:
        subject = view.subject
        grants = [granted for p in repairs if (granted := values[p])]
        steps: list[Step] = []
        for record in added:
            if record.type != record_type or not test(record, subject):
                continue
            amount = points[0]
            if window is not None:
                repeat = _repeat(
                    view.of_type(record_type), record, test, subject, window
                )
                if repeat is None:
                    return None
                amount = points[min(repeat, len(points)) - 1]
            start, end = period(record, dates.ordinal(record.date))
            if grants:
                end = min(end, grant_end(record.id, grants))
            steps.append((start, end, amount))
        if cap is not None and _hidden(old, cap, steps):
            return None
        return _capped(_plus(old, steps), steps, limit, cap)

    return patch


def _repeat(
    records: Sequence[Record],
    record: Record,
    test: Callable[[Record, Subject], bool],
    subject: Subject,
    window: Any,
) -> int | None:
    """Return which repeat within the window a record is, or None if not the last.

    A matching record after it would take its amount from it, so only the last
    matching record of the view is patched in.
    """
    first = dates.window_start(dates.ordinal(record.date), window)
    repeat = 0
    for other in reversed(records):
        if other.id == record.id:
            repeat = 1
            continue
        if not test(other, subject):
            continue
        if not repeat:
            return None
        if dates.ordinal(other.date) < first:
            break
        repeat += 1
    return repeat or None


def _capped_patch(
    cap: int | None, limit: Callable[[int], int] | None
) -> StepPatch | None:
    if cap is not None and cap == 0:
        return None

    def patch(old: Any, steps: list[Step], values: Sequence[Any]) -> Patched | None:
        if cap is not None and _hidden(old, cap, steps):
            return None
        return _capped(_plus(old, steps), steps, limit, cap)

    return patch


def _score_patch(
    low: int | None, high: int | None, finish: Callable[[int], int]
) -> StepPatch:
    def patch(old: Any, steps: list[Step], values: Sequence[Any]) -> Patched | None:
        if (low is not None and _hidden(old, low, steps, back_rises=True)) or (
            high is not None and _hidden(old, high, steps, back_rises=False)
        ):
            return None
        value = _plus(old, steps)
        least, greatest = _extent(value.values)
        if (low is not None and least < low) or (high is not None and greatest > high):
            return value.map(finish), None
        return value, steps

    return patch


def _crossing(
    position: int,
    readers: Sequence[int],
    tested: list[tuple[int, list[Test]]],
) -> Crossing:
    conditions = {reader for reader, _ in tested}
    others = [reader for reader in readers if reader not in conditions]

    def crossed(steps: list[Step], values: Sequence[Any]) -> Sequence[int]:
        if len(steps) != 1:
            return readers  # overlapping steps: no single amount to take back
        step = steps[0]
        window, low, high = _window(values[position], step)
        amount = step[2]
        woken = list(others)
        for reader, tests in tested:
            for test, monotone in tests:
                if _crosses(test, monotone, window, low, high, amount):
                    woken.append(reader)
                    break
        return woken

    return crossed


def _crosses(
    test: Callable[[Any], bool],
    monotone: bool,
    window: tuple[Any, ...],
    low: Any,
    high: Any,
    amount: Any,
) -> bool:
    """Tell whether a step may have changed what a test answers on some date.

    The node moved by a step on the step's period only: where `test` answers
    the same for each value there and for that value less the amount, nothing
    changed.
    """
    if monotone:
        # A test on one side of a threshold answers alike for every value
        # between two on which it answers alike.
        return test(low) != test(high)
    return any(test(value) != test(value - amount) for value in window)


def _window(moved: Timeline, step: Step) -> tuple[tuple[Any, ...], Any, Any]:
    """Return the values a step moved, and the least and greatest they were or are."""
    start, end, amount = step
    points = moved.points
    first = bisect_right(points, start) if start > DAWN else 0
    last = bisect_right(points, end - 1, first) if end < NEVER else len(points)
    window = moved.values[first : last + 1]
    low, high = _extent(window)
    if amount > 0:
        low = low - amount
    else:
        high = high - amount
    return window, low, high


def _hidden(
    old: Timeline,
    bound: int,
    steps: list[Step],
    back_rises: bool | None = None,
) -> bool:
    """Tell whether a bound held by the old sum may hide what these steps change.

    A sum held at its bound on some date may be beyond it by any amount.
    Steps that push further that way change nothing there, whatever the sum
    was; a step back from the bound could bring the sum back or not. A cap
    limits the way of its sign, so a step back from a cap below zero rises;
    the score's lowest value limits falls, so a step back from it rises, and
    its highest limits rises.
    """
    if back_rises is None:
        back_rises = bound < 0
    for _, _, amount in steps:
        if (amount > 0) if back_rises else (amount < 0):
            return bound in old.values
    return False


def _plus(old: Timeline, steps: list[Step]) -> Timeline:
    """Return a timeline of numbers with every step added."""
    for start, end, amount in steps:
        old = old.plus_step(start, end, amount)
    return old


def _capped(
    value: Timeline,
    steps: list[Step],
    limit: Callable[[int], int] | None,
    cap: int | None,
) -> Patched:
    """Return a sum with its cap applied; its steps only if the cap took nothing."""
    if cap is None or limit is None:
        return value, steps
    least, greatest = _extent(value.values)
    beyond = greatest > cap if cap > 0 else least < cap
    if not beyond:
        return value, steps
    return value.map(limit), None


def _extent(values: tuple[Any, ...]) -> tuple[Any, Any]:
    """Return the least and the greatest of some numbers, in one pass.

    `min` and `max` would take a pass each and, from compiled code, the slow
    way into a builtin that takes keywords: a patch's tuples are short, and
    that way costs more than the pass.
    """
    least = greatest = values[0]
    for value in values:
        if value < least:
            least = value
        elif value > greatest:
            greatest = value
    return least, greatest


def _number(amount: Decimal | None) -> int | None:
    """Return a whole decimal of an exact plan as the plan's sums hold it."""
    return None if amount is None else int(amount)


def grant_end(record_id: str, grants: list[dict[str, int]]) -> int:
    """Return the day the first of these grants repairs a record on, or `NEVER`."""
    for granted in grants:
        found = granted.get(record_id)
        if found is not None:
            return found
    return NEVER


def _power_of_ten_to_one(rounding: Decimal) -> bool:
    """Tell whether rounding to this step leaves every whole number as it is."""
    digits = rounding.as_tuple()
    exponent = digits.exponent
    return (
        digits.sign == 0
        and digits.digits == (1,)
        and isinstance(exponent, int)
        and exponent <= 0
    )
