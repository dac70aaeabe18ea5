"""Conditions of a policy, evaluated at a date for one subject.

A condition sees the subject, the records of the view, and the derived values the
`Facts` it is given can compute (score, tier, lists, effects, repairs). Inside a
query's `where`, a condition also sees one record's fields; such a condition is
*static*: it may compare fields and subject attributes only, so whether a record
matches a query never changes with time.

Every condition is piecewise constant in time. `change_dates` lists the dates on
which its value may change; between two consecutive such dates it cannot. That is
what lets the reference evaluator look at a few candidate dates instead of every day.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from credit_rules.dsl import ast
from credit_rules.engine.calendar import FOREVER, add, subtract, window_start
from credit_rules.errors import CreditRulesError
from credit_rules.records import FieldValue, Record, Subject

Value = FieldValue
"""What an expression evaluates to: text or a name, a number, a truth, a date."""


class Facts(Protocol):
    """What a condition may look at, besides literals and the record it is about."""

    @property
    def subject(self) -> Subject:
        """The subject assessed."""
        ...

    def records_of(self, record_type: str) -> Sequence[Record]:
        """The view's records of one type, ordered by (date, id)."""
        ...

    def matches(self, query: ast.Query, record: Record) -> bool:
        """Whether `record` is of the query's type and satisfies its `where`."""
        ...

    def repaired_on(self, record: Record) -> dt.date | None:
        """The day `record`'s repair is granted, or None if it never is."""
        ...

    def score_at(self, date: dt.date) -> Decimal:
        """The score on `date`."""
        ...

    def tier_at(self, date: dt.date) -> str:
        """The tier on `date`."""
        ...

    def listed_at(self, list_name: str, date: dt.date) -> bool:
        """Whether the subject is on the list on `date`."""
        ...

    def active_at(self, effect_name: str, date: dt.date) -> bool:
        """Whether the effect is in force on `date`."""
        ...

    def score_changes(self) -> Iterable[dt.date]:
        """Every date on which the score may change."""
        ...

    def tier_changes(self) -> Iterable[dt.date]:
        """Every date on which the tier may change."""
        ...

    def list_changes(self, list_name: str) -> Iterable[dt.date]:
        """Every date on which the subject may enter or leave the list."""
        ...

    def effect_changes(self, effect_name: str) -> Iterable[dt.date]:
        """Every date on which the effect may start or stop."""
        ...


def holds(expr: ast.Expr, facts: Facts, date: dt.date) -> bool:
    """Return whether condition `expr` holds for the subject on `date`."""
    return _truth(expr, _Scope(facts, date, None))


def matches(query: ast.Query, subject: Subject, record: Record) -> bool:
    """Return whether `record` is of the query's type and satisfies its `where`.

    The `where` is static: it sees the record's fields and the subject's
    attributes, never a value that changes with time.
    """
    if record.type != query.record_type:
        return False

    if query.where is None:
        return True

    return _truth(query.where, _Scope(None, None, record, subject))


def query_records(query: ast.Query, facts: Facts, date: dt.date) -> list[Record]:
    """Return the records `query` looks at on `date`.

    They are of its type, dated on or before `date` (and within its window),
    match its `where`, and are not repaired by then.
    """
    start = window_start(date, query.within) if query.within else dt.date.min
    found = []
    for record in facts.records_of(query.record_type):
        if record.date > date:
            break
        if record.date < start or not facts.matches(query, record):
            continue
        repaired = facts.repaired_on(record)
        if repaired is None or repaired > date:
            found.append(record)
    return found


def window_end(date: dt.date, duration: ast.Duration) -> dt.date:
    """Return the first day whose `within duration` window no longer holds `date`.

    It is `date + duration` except where month ends clamp: a record of 2026-01-31
    is within 1 month on 2026-02-28 (the window is 2026-01-29 to 2026-02-28), and
    leaves the window on 2026-03-01.

    Example:
        >>> window_end(dt.date(2026, 1, 31), ast.Duration(1, "month"))
        datetime.date(2026, 3, 1)
    """
    end = add(date, duration)
    # `subtract` can clamp to a month's end, so the window may hold `date` for a
    # few days past `date + duration`; never more than three.
    while end != FOREVER and subtract(end, duration) < date:
        end += dt.timedelta(days=1)
    return end


def change_dates(expr: ast.Expr, facts: Facts) -> set[dt.date]:
    """Return the dates on which the value of `expr` may change.

    The value is constant from each such date to the day before the next one. The
    set may hold dates on which nothing changes; it never misses one that does.
    """
    match expr:
        case ast.AnyOf(query=query) | ast.NoneOf(query=query) | ast.Count(query=query):
            return _query_changes(query, facts)
        case ast.ScoreRef():
            return set(facts.score_changes())
        case ast.TierRef():
            return set(facts.tier_changes())
        case ast.Listed(list_name=name):
            return set(facts.list_changes(name))
        case ast.Active(effect_name=name):
            return set(facts.effect_changes(name))
        case ast.Compare(left=left, right=right):
            return change_dates(left, facts) | change_dates(right, facts)
        case ast.Member(operand=operand, values=values):
            return _union([operand, *values], facts)
        case ast.And(items=items) | ast.Or(items=items):
            return _union(items, facts)
        case ast.Not(item=item):
            return change_dates(item, facts)
        case _:
            return set()


def _union(exprs: Iterable[ast.Expr], facts: Facts) -> set[dt.date]:
    dates: set[dt.date] = set()
    for expr in exprs:
        dates |= change_dates(expr, facts)
    return dates


def _query_changes(query: ast.Query, facts: Facts) -> set[dt.date]:
    dates: set[dt.date] = set()
    for record in facts.records_of(query.record_type):
        if not facts.matches(query, record):
            continue
        dates.add(record.date)
        if query.within is not None:
            dates.add(window_end(record.date, query.within))
        repaired = facts.repaired_on(record)
        if repaired is not None:
            dates.add(repaired)
    return dates


class _Scope:
    """Where an expression is evaluated: over the view on a date, or on one record."""

    def __init__(
        self,
        facts: Facts | None,
        date: dt.date | None,
        record: Record | None,
        subject: Subject | None = None,
    ) -> None:
        self.facts = facts
        self.date = date
        self.record = record
        self.subject = (
            subject if subject is not None else getattr(facts, "subject", None)
        )

    def timed(self, expr: ast.Expr) -> tuple[Facts, dt.date]:
        """The facts and date, for an expression whose value changes with time."""
        if self.facts is None or self.date is None:
            raise CreditRulesError(
                f"`{_describe(expr)}` cannot appear in a `where`; a query's "
                "condition may only compare the record's fields and `subject.` "
                "attributes"
            )
        return self.facts, self.date


def _truth(expr: ast.Expr, scope: _Scope) -> bool:
    value = _value(expr, scope)
    if not isinstance(value, bool):
        raise CreditRulesError(
            f"`{_describe(expr)}` is not a condition; compare it with a value, "
            "e.g. `x == y`"
        )
    return value


def _value(expr: ast.Expr, scope: _Scope) -> Value:
    match expr:
        case ast.Ref():
            return _ref(expr, scope)
        case ast.Number() | ast.String() | ast.DateLiteral() | ast.Bool():
            return expr.value
        case ast.ScoreRef():
            facts, date = scope.timed(expr)
            return facts.score_at(date)
        case ast.TierRef():
            facts, date = scope.timed(expr)
            return facts.tier_at(date)
        case ast.Count(query=query):
            facts, date = scope.timed(expr)
            return Decimal(len(query_records(query, facts, date)))
        case ast.AnyOf(query=query):
            facts, date = scope.timed(expr)
            return bool(query_records(query, facts, date))
        case ast.NoneOf(query=query):
            facts, date = scope.timed(expr)
            return not query_records(query, facts, date)
        case ast.Listed(list_name=name):
            facts, date = scope.timed(expr)
            return facts.listed_at(name, date)
        case ast.Active(effect_name=name):
            facts, date = scope.timed(expr)
            return facts.active_at(name, date)
        case ast.Compare(op=op, left=left, right=right):
            return _compare(op, _value(left, scope), _value(right, scope))
        case ast.Member(operand=operand, values=values, negated=negated):
            value = _value(operand, scope)
            found = any(_compare("==", value, _value(v, scope)) for v in values)
            return found != negated
        case ast.And(items=items):
            return all(_truth(item, scope) for item in items)
        case ast.Or(items=items):
            return any(_truth(item, scope) for item in items)
        case ast.Not(item=item):
            return not _truth(item, scope)
    raise CreditRulesError(f"`{expr!r}` is not an expression the engine knows")


def _ref(ref: ast.Ref, scope: _Scope) -> Value:
    path = ref.path
    if len(path) == 2 and path[0] == "subject":
        return _attribute(scope.subject, path[1])

    if len(path) != 1:
        raise CreditRulesError(
            f"`{ref.dotted}` names nothing a condition can read; write a field, "
            "`subject.` and an attribute, or a value"
        )

    if scope.record is not None:
        for name, value in scope.record.fields:
            if name == path[0]:
                return value

    # Not a field: an enum value or a tier, compared by its name.
    return path[0]


def _attribute(subject: Subject | None, name: str) -> Value:
    if subject is None:
        raise CreditRulesError(f"`subject.{name}` is read where there is no subject")

    if name == "kind":
        return subject.kind

    for key, value in subject.attributes:
        if key == name:
            return value
    raise CreditRulesError(
        f"subject `{subject.id}` has no attribute `{name}`; add it to the subject"
    )


def _kind(value: Value) -> str:
    if isinstance(value, bool):
        return "truth"
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    return "name"


def _compare(op: ast.CompareOp, left: Value, right: Value) -> bool:
    if _kind(left) != _kind(right):
        raise CreditRulesError(
            f"cannot compare {_kind(left)} `{left}` with {_kind(right)} `{right}`; "
            "compare values of one type"
        )

    if op == "==":
        return left == right
    if op == "!=":
        return left != right

    both_numbers = isinstance(left, Decimal) and isinstance(right, Decimal)
    both_dates = isinstance(left, dt.date) and isinstance(right, dt.date)
    if not (both_numbers or both_dates):
        raise CreditRulesError(
            f"`{op}` orders numbers and dates only, not `{left}`; use `==` or `!=`"
        )
    return bool(_ORDER[op](left, right))


_ORDER = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def _describe(expr: ast.Expr) -> str:
    match expr:
        case ast.ScoreRef():
            return "score"
        case ast.TierRef():
            return "tier"
        case ast.Ref():
            return expr.dotted
        case ast.Count(query=query):
            return f"count({query.record_type})"
        case ast.AnyOf(query=query):
            return f"any({query.record_type})"
        case ast.NoneOf(query=query):
            return f"none({query.record_type})"
        case ast.Listed(list_name=name):
            return f"listed({name})"
        case ast.Active(effect_name=name):
            return f"active({name})"
    return type(expr).__name__.lower()
