"""Lowered expressions made executable: record tests and condition timelines.

`record_test` turns a lowered `where` into a function of a record and its
subject. `condition_timeline` turns a lowered condition into a function of the
node values of one subject, returning the bool timeline of the condition.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from credit_rules.engine.plan import Expr
from credit_rules.engine.timeline import Timeline, combine
from credit_rules.records import Record, Subject

RecordTest = Callable[[Record, Subject], Any]
Condition = Callable[[Sequence[Any], Subject], Timeline[Any]]

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
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


def record_test(expr: Expr | None) -> RecordTest:
    """Return a function telling whether a record (of its subject) matches `expr`."""
    if expr is None:
        return _always
    tag = expr[0]
    if tag == "const":
        value = expr[1]
        return lambda record, subject: value
    if tag == "field":
        name = expr[1]
        return lambda record, subject: record.field(name)
    if tag == "subject":
        name = expr[1]
        return lambda record, subject: subject_value(subject, name)
    if tag == "cmp":
        compare = COMPARE[expr[1]]
        left, right = record_test(expr[2]), record_test(expr[3])
        return lambda record, subject: compare(
            left(record, subject), right(record, subject)
        )
    if tag == "in":
        operand = record_test(expr[1])
        options = [record_test(value) for value in expr[2]]
        negated = expr[3]

        def member(record: Record, subject: Subject) -> bool:
            value = operand(record, subject)
            return bool(
                any(value == option(record, subject) for option in options) != negated
            )

        return member
    if tag == "and":
        items = [record_test(item) for item in expr[1]]
        return lambda record, subject: all(item(record, subject) for item in items)
    if tag == "or":
        items = [record_test(item) for item in expr[1]]
        return lambda record, subject: any(item(record, subject) for item in items)
    if tag == "not":
        item = record_test(expr[1])
        return lambda record, subject: not item(record, subject)
    raise ValueError(f"a record condition cannot hold `{tag}`")


def condition_timeline(expr: Expr, index: Mapping[str, int]) -> Condition:
    """Return a function from a subject's node values to `expr`'s timeline."""
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
    if tag == "any":
        position = index[expr[1]]
        return lambda values, subject: values[position].map(_positive)
    if tag == "none":
        position = index[expr[1]]
        return lambda values, subject: values[position].map(_zero)
    if tag == "cmp":
        compare = COMPARE[expr[1]]
        left, right = (
            condition_timeline(expr[2], index),
            condition_timeline(expr[3], index),
        )
        return lambda values, subject: combine(
            compare, [left(values, subject), right(values, subject)]
        )
    if tag == "in":
        operand = condition_timeline(expr[1], index)
        options = [condition_timeline(value, index) for value in expr[2]]
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
        items = [condition_timeline(item, index) for item in expr[1]]
        join = _all if tag == "and" else _any
        return lambda values, subject: combine(
            join, [item(values, subject) for item in items]
        )
    if tag == "not":
        item = condition_timeline(expr[1], index)
        return lambda values, subject: item(values, subject).map(operator.not_)
    raise ValueError(f"a condition cannot hold `{tag}`")


def _always(record: Record, subject: Subject) -> bool:
    return True


def _positive(count: int) -> bool:
    return count > 0


def _zero(count: int) -> bool:
    return count == 0


def _all(*values: Any) -> bool:
    return all(values)


def _any(*values: Any) -> bool:
    return any(values)
