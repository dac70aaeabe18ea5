"""Recomputing a node only from a date on: the fast path of an event.

No value at `t` depends on records dated after `t` (see `docs/semantics.md`,
"The view as of a date"). So when an event adds, removes or replaces records
dated on or after `since`, every node's timeline keeps its value before `since`,
and only the part from `since` on needs computing. For a record dated today,
that part holds one or two changes where the whole timeline holds dozens.

A *tail* from `since` is a timeline equal to the node's on `[since, ∞)` whose
changes all fall after `since`; before `since` it holds the value on `since`.
`splice` puts the old timeline's part before `since` in front of a new tail.

The nodes computed pointwise from their inputs (groups, the score, conditions,
the tier, supervision) get their tail by running their usual kernel on the tails
of their inputs; the sums among them (groups, the score) add up only their
inputs' changes after `since`. A rule gets its tail from the steps that still count after
`since`. Every other node (queries, lists, vetoes, effects, repairs) has no tail
kernel and is recomputed whole.

Decimal sums are exact, but `Decimal("0.0")` and `Decimal("0")` are equal and
print differently, and a sum's exponent remembers every term ever added: a tail
that leaves out the terms before `since` could print another figure. The sums
(rules, groups, the score) therefore take the fast path only when every point,
cap and base of the plan is a whole number, so that every sum has exponent 0.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from credit_rules.engine.plan import GroupSpec, Plan, RuleSpec, ScoreSpec
from credit_rules.engine.subject_records import SubjectRecords as View
from credit_rules.engine.timeline import DAWN, Timeline

if TYPE_CHECKING:
    from credit_rules.engine.kernels import Kernel, Program

TailKernel = Callable[[View, Sequence[Any], int], Any]
"""A node's tail from a date: `(view, values, since) -> Timeline`."""

POINTWISE = ("group", "score", "condition", "tier", "supervision")
"""The kinds of node whose value on a date reads only their inputs on that date."""

SUMS = ("rule", "group", "score")
"""The kinds of node that add decimals up; see the module's docstring."""


def tail(timeline: Timeline, since: int) -> Timeline:
    """Return the tail of a timeline from `since`: its changes after `since` only."""
    points = timeline.points
    if not points or points[-1] <= since:
        return Timeline((), (timeline.values[-1],))
    cut = bisect_right(points, since)
    if cut == 0:
        return timeline
    return Timeline(points[cut:], timeline.values[cut:])


def splice(old: Timeline, since: int, new_tail: Timeline) -> Timeline:
    """Return `old` before `since`, then `new_tail` from `since` on.

    `new_tail`'s changes must all fall after `since`, and `since` after `DAWN`.
    """
    points = old.points
    cut = bisect_left(points, since)
    head_points = points[:cut]
    head_values = old.values[: cut + 1]
    if new_tail.values[0] == head_values[-1]:
        return Timeline(
            head_points + new_tail.points, head_values + new_tail.values[1:]
        )
    return Timeline(
        head_points + (since,) + new_tail.points, head_values + new_tail.values
    )


def tail_kernels(program: Program) -> list[TailKernel | None]:
    """Return, per node of a program, its tail kernel, or None to recompute it whole."""
    # An exact plan's numbers are whole already (see `patching.exact_sums`).
    exact = program.exact or whole_numbers(program.plan)
    found: list[TailKernel | None] = []
    for position, node in enumerate(program.plan.nodes):
        if node.kind in SUMS and not exact:
            found.append(None)
        elif node.kind == "rule":
            found.append(_rule_tail(program, node.spec))
        elif node.name in program.sum_tails:
            # Groups and the score add their inputs' tails themselves, without
            # building each tail first.
            found.append(program.sum_tails[node.name])
        elif node.kind in POINTWISE:
            kernel = program.kernels[position]
            found.append(_pointwise_tail(kernel, sorted(program.inputs[position])))
        else:
            found.append(None)
    return found


def _pointwise_tail(kernel: Kernel, inputs: list[int]) -> TailKernel:
    def tail_kernel(view: View, values: Sequence[Any], since: int) -> Any:
        # A copy, not the segment's own list: the tails are for this node only.
        tails = list(values)
        for position in inputs:
            value = tails[position]
            if type(value) is Timeline and value.points:
                tails[position] = tail(value, since)
        return kernel(view, tails)

    return tail_kernel


def _rule_tail(program: Program, spec: RuleSpec) -> TailKernel:
    cap = program.rule_caps[spec.name]
    zero = program.zero
    empty = Timeline.constant(zero if cap is None else cap(zero))

    def tail_kernel(view: View, values: Sequence[Any], since: int) -> Any:
        # The steps that began by `since` all start the tail; those that ended
        # by then are gone from it.
        steps = [
            (start if start > since else DAWN, end, amount)
            for _, amount, start, end in program.rule_steps(spec, view, values)
            if end > since
        ]
        if not steps:
            return empty
        return Timeline.sum_of_steps(steps, zero, cap)

    return tail_kernel


def whole_numbers(plan: Plan) -> bool:
    """Tell whether every decimal a sum of the plan adds is a plain whole number."""
    amounts: list[Decimal] = []
    for node in plan.nodes:
        spec = node.spec
        if isinstance(spec, RuleSpec):
            amounts.extend(spec.points)
            amounts.extend([] if spec.cap is None else [spec.cap])
        elif isinstance(spec, GroupSpec) and spec.cap is not None:
            amounts.append(spec.cap)
        elif isinstance(spec, ScoreSpec):
            amounts.append(spec.base)
    return all(whole(amount) for amount in amounts)


def whole(amount: Decimal) -> bool:
    """Tell whether a decimal is a whole number of exponent 0, and not `-0`."""
    # Exponent 0 exactly: `Decimal("1E+1")` and `Decimal("-0")` print their own way.
    exponent = amount.as_tuple().exponent
    return exponent == 0 and not (amount.is_zero() and amount.is_signed())
