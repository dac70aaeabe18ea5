"""Lowered expressions made executable: record tests and condition timelines.

`record_test` turns a lowered `where` into a function of a record and its
subject. `condition_timeline` turns a lowered condition into a function of the
node values of one subject, returning the bool timeline of the condition.

Both run once per engine and return closures specialised to the shape of the
expression: a test runs for every record of an event's type and a condition for
every event that changes its inputs, so each level of indirection saved counts.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from credit_rules.engine.plan import Expr, operands
from credit_rules.engine.timeline import Timeline, combine
from credit_rules.records import Record, Subject

RecordTest = Callable[[Record, Subject], Any]
Condition = Callable[[Sequence[Any], Subject], Timeline]

COMPARE: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def subject_value(subject: Subject, name: str) -> Any:
    """Return `subject.name` as a condition reads it; `kind` is the subject's kind."""
    if name == "kind":
        return subject.kind
    return subject.attribute(name)


def record_test(expr: Expr | None, fields: Sequence[str] = ()) -> RecordTest:
    """Return a function telling whether a record (of its subject) matches `expr`.

    Args:
        expr: The lowered `where`, or None for "every record".
        fields: The names of the record type's fields, sorted. A checked record
            holds exactly these, sorted by name, so a field named here is read
            by its position instead of being searched for.
    """
    if expr is None:
        return _always
    tag = expr[0]
    if tag == "const":
        value = expr[1]
        return lambda record, subject: value
    if tag == "field":
        return _field_reader(expr[1], fields)
    if tag == "subject":
        name = expr[1]
        return lambda record, subject: subject_value(subject, name)
    if tag == "cmp":
        return _record_comparison(expr, fields)
    if tag == "in":
        return _record_membership(expr, fields)
    if tag in ("and", "or"):
        return _record_logic(tag, [record_test(item, fields) for item in expr[1]])
    if tag == "not":
        item = record_test(expr[1], fields)
        return lambda record, subject: not item(record, subject)
    raise ValueError(f"a record condition cannot hold `{tag}`")


def field_getter(name: str, fields: Sequence[str]) -> Callable[[Record], Any]:
    """Return the function reading one field of the records of a type.

    Args:
        name: The field.
        fields: The names of the record type's fields, sorted.
    """
    if name not in fields:
        return lambda record: record.field(name)
    position = list(fields).index(name)
    return lambda record: record.fields[position][1]


def _field_reader(name: str, fields: Sequence[str]) -> RecordTest:
    if name not in fields:
        return lambda record, subject: record.field(name)
    position = list(fields).index(name)
    return lambda record, subject: record.fields[position][1]


def _record_comparison(expr: Expr, fields: Sequence[str]) -> RecordTest:
    compare = COMPARE[expr[1]]
    left, right = expr[2], expr[3]
    if left[0] == "field" and right[0] == "const" and left[1] in fields:
        # The usual shape, `result == fail`: one closure, no calls inside.
        position = list(fields).index(left[1])
        value = right[1]
        if expr[1] == "==":
            return lambda record, subject: record.fields[position][1] == value
        if expr[1] == "!=":
            return lambda record, subject: record.fields[position][1] != value
        return lambda record, subject: compare(record.fields[position][1], value)
    read_left, read_right = record_test(left, fields), record_test(right, fields)
    return lambda record, subject: compare(
        read_left(record, subject), read_right(record, subject)
    )


def _record_membership(expr: Expr, fields: Sequence[str]) -> RecordTest:
    operand = record_test(expr[1], fields)
    negated = expr[3]
    if all(option[0] == "const" for option in expr[2]):
        # `in` on a tuple compares with `==`, as the general case does.
        constants = tuple(option[1] for option in expr[2])
        if negated:
            return lambda record, subject: operand(record, subject) not in constants
        return lambda record, subject: operand(record, subject) in constants
    options = [record_test(value, fields) for value in expr[2]]

    def member(record: Record, subject: Subject) -> bool:
        value = operand(record, subject)
        return bool(
            any(value == option(record, subject) for option in options) != negated
        )

    return member


def _record_logic(tag: str, items: list[RecordTest]) -> RecordTest:
    if len(items) == 2:
        first, second = items
        if tag == "and":
            return lambda record, subject: bool(
                first(record, subject) and second(record, subject)
            )
        return lambda record, subject: bool(
            first(record, subject) or second(record, subject)
        )
    # Loops, not `all` over a generator: a record test runs for every source
    # of every event.
    if tag == "and":

        def every(record: Record, subject: Subject) -> bool:
            for item in items:  # noqa: SIM110 (see above)
                if not item(record, subject):
                    return False
            return True

        return every

    def some(record: Record, subject: Subject) -> bool:
        for item in items:  # noqa: SIM110 (see above)
            if item(record, subject):
                return True
        return False

    return some


def condition_timeline(
    expr: Expr, index: Mapping[str, int], whole: bool = False
) -> Condition:
    """Return a function from a subject's node values to `expr`'s timeline.

    Args:
        expr: The lowered condition.
        index: The position of each node, by name.
        whole: Whether the score is held as a whole number, as in a plan whose
            sums are exact (see `credit_rules.engine.kernels.Program`).
    """
    tag = expr[0]
    if tag == "const":
        constant = Timeline.constant(expr[1])
        return lambda values, subject: constant
    if tag == "subject":
        name = expr[1]
        return lambda values, subject: Timeline.constant(subject_value(subject, name))
    if tag == "node" or tag == "count":
        position = index[expr[1]]
        return lambda values, subject: values[position]
    tested = threshold(expr, index, whole)
    if tested is not None:
        # `score >= 90`, `any(...)`: a map over one stored timeline, no merging.
        position, test, _ = tested
        return lambda values, subject: values[position].map(test)
    if tag == "cmp":
        return _timeline_comparison(expr, index, whole)
    if tag == "in":
        operand = condition_timeline(expr[1], index, whole)
        options = [condition_timeline(value, index, whole) for value in expr[2]]
        negated = expr[3]

        def member(value: Any, *choices: Any) -> bool:
            return bool((value in choices) != negated)

        return lambda values, subject: combine(
            member,
            [
                operand(values, subject),
                *(option(values, subject) for option in options),
            ],
        )
    if tag in ("and", "or"):
        items = [condition_timeline(item, index, whole) for item in expr[1]]
        return _timeline_logic(tag, items)
    if tag == "not":
        item = condition_timeline(expr[1], index, whole)
        return lambda values, subject: item(values, subject).map(operator.not_)
    raise ValueError(f"a condition cannot hold `{tag}`")


def threshold(
    expr: Expr, index: Mapping[str, int], whole: bool = False
) -> tuple[int, Callable[[Any], bool], bool] | None:
    """Return `(input, test, monotone)` if a condition tests one node's value.

    `score >= 90`, `count(...) > 2`, `any(...)` and `none(...)` hold on the
    dates on which `test` passes the node's value: their timeline is the map
    of `test` over the node's. `monotone` tells that the test, over numbers,
    passes on one side of a threshold only (counts are never negative). Any
    other condition gives None. `whole` is as for `condition_timeline`.
    """
    tag = expr[0]
    if tag in ("any", "none"):
        return index[expr[1]], _positive if tag == "any" else _zero, True
    if tag != "cmp":
        return None
    left, right = expr[2], expr[3]
    if right[0] != "const" or left[0] not in ("node", "count"):
        return None
    compare = COMPARE[expr[1]]
    value = right[1]
    monotone = expr[1] in _REFLECTED
    if type(value) is Decimal and monotone and _numeric(left):
        # `score >= 90` is `90 <= score`: the constant's own method, which
        # runs without a Python frame for each value of the timeline. Whole
        # numbers compare with a whole constant fastest as an int, whose
        # methods answer for ints only.
        held_whole = left[0] == "count" or whole
        number = int(value) if held_whole and value == int(value) else value
        reflected: Callable[[Any], bool] = getattr(number, _REFLECTED[expr[1]])
        return index[left[1]], reflected, True

    def test(measured: Any) -> bool:
        return compare(measured, value)

    return index[left[1]], test, monotone


def thresholds_on(
    expr: Expr, position: int, index: Mapping[str, int], whole: bool = False
) -> list[tuple[Callable[[Any], bool], bool]] | None:
    """Return the tests of one node a condition reads it through, as `threshold` does.

    `score >= 90 and none(...)` reads the score through `score >= 90` only: a
    change of the score that every such test answers as before leaves the
    condition as it was, whatever its other inputs. None if the condition reads
    the node in another way too; no tests if it does not read it.
    """
    tested = threshold(expr, index, whole)
    if tested is not None and tested[0] == position:
        return [tested[1:]]
    tag = expr[0]
    if tag in ("node", "count", "any", "none"):
        return None if index[expr[1]] == position else []
    found: list[tuple[Callable[[Any], bool], bool]] = []
    for part in operands(expr):
        tests = thresholds_on(part, position, index, whole)
        if tests is None:
            return None
        found.extend(tests)
    return found


def _timeline_logic(tag: str, items: list[Condition]) -> Condition:
    """Return the condition joining items by `and` or `or`, short-circuiting.

    An operand constant on every date either decides the whole (false for
    `and`, true for `or`), so that the operands after it are never computed,
    or drops out; only the operands that vary are merged.
    """
    deciding = tag == "or"
    join = _any if deciding else _all
    decided = Timeline.constant(deciding)
    neutral = Timeline.constant(not deciding)

    def logic(values: Sequence[Any], subject: Subject) -> Timeline:
        varying = []
        for item in items:
            timeline = item(values, subject)
            if timeline.points:
                varying.append(timeline)
            elif bool(timeline.values[0]) is deciding:
                return decided
        if not varying:
            return neutral
        if len(varying) == 1 and type(varying[0].values[0]) is bool:
            return varying[0]  # joining one bool timeline leaves it as it is
        return combine(join, varying)

    return logic


def _timeline_comparison(
    expr: Expr, index: Mapping[str, int], whole: bool
) -> Condition:
    compare = COMPARE[expr[1]]
    read_left = condition_timeline(expr[2], index, whole)
    read_right = condition_timeline(expr[3], index, whole)
    return lambda values, subject: combine(
        compare, [read_left(values, subject), read_right(values, subject)]
    )


_REFLECTED = {"<": "__gt__", "<=": "__ge__", ">": "__lt__", ">=": "__le__"}
"""The method of the right operand that answers each ordering with the operands swapped."""


def _numeric(operand: Expr) -> bool:
    """Tell whether an operand's values are surely numbers: the score or a count.

    A decimal's ordering methods answer for decimals and ints alike; for any
    other value they would return `NotImplemented`, which is not a bool.
    """
    return operand[0] == "count" or operand == ("node", "score")


def _always(record: Record, subject: Subject) -> bool:
    return True


# A query's counts are ints, so int's own methods answer `any` and `none`
# without a Python frame for each value.
_positive: Final[Callable[[int], bool]] = (0).__lt__
_zero: Final[Callable[[int], bool]] = (0).__eq__


def _all(*values: Any) -> bool:
    return all(values)


def _any(*values: Any) -> bool:
    return any(values)
