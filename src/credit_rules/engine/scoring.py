"""The score on a date (docs/semantics.md, "Totals, caps and the score").

Each rule's records and their points, the caps of rules and groups, the range
and the rounding.

`tally` computes every intermediate figure once; the score and its waterfall are
both read from a tally, so the two always agree.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import attrs

from credit_rules.dsl import ast
from credit_rules.engine.assessment import Contribution, ScoreParts
from credit_rules.engine.calendar import FOREVER, add, window_start
from credit_rules.engine.periods import Period
from credit_rules.errors import CreditRulesError
from credit_rules.records import Record

if TYPE_CHECKING:
    from credit_rules.engine.view import View

ZERO = Decimal(0)

DEFAULT_SCORE = ast.ScoreDecl()
"""The score of a policy that declares none: base 100, no range, no rounding."""


@attrs.frozen
class RuleTally:
    """A rule's records in force on a date, their points, and its capped total."""

    rule: ast.RuleDecl
    records: tuple[Record, ...]
    points: tuple[Decimal, ...]
    total: Decimal
    capped: Decimal


@attrs.frozen
class GroupTally:
    """A group's rules on a date, the sum of their capped totals, and its cap."""

    group: ast.GroupDecl
    rules: tuple[RuleTally, ...]
    total: Decimal
    capped: Decimal


@attrs.frozen
class Tally:
    """Every figure of the score on one date."""

    date: dt.date
    declaration: ast.ScoreDecl
    rules: tuple[RuleTally, ...]
    groups: tuple[GroupTally, ...]
    raw: Decimal
    clamped: Decimal
    score: Decimal


def tally(view: View, date: dt.date) -> Tally:
    """Return every figure of the score on `date`."""
    policy = view.policy
    declaration = policy.score or DEFAULT_SCORE
    rules = tuple(_rule_tally(view, rule, date) for rule in policy.rules.values())

    for rule in policy.rules.values():
        if rule.group is not None and rule.group not in policy.groups:
            raise CreditRulesError(
                f"rule `{rule.name}` is in group `{rule.group}`, which the policy "
                "does not declare; declare the group or fix the name"
            )

    groups = []
    for group in policy.groups.values():
        members = tuple(t for t in rules if t.rule.group == group.name)
        total = sum((t.capped for t in members), ZERO)
        groups.append(GroupTally(group, members, total, cap(total, group.cap)))

    ungrouped = sum((t.capped for t in rules if t.rule.group is None), ZERO)
    raw = declaration.base + sum((g.capped for g in groups), ZERO) + ungrouped
    clamped = clamp(raw, declaration.low, declaration.high)
    score = round_to(clamped, declaration.rounding)
    return Tally(date, declaration, rules, tuple(groups), raw, clamped, score)


def cap(total: Decimal, limit: Decimal | None) -> Decimal:
    """Limit `total` by `at most limit`, in the direction of the limit's sign.

    Example:
        >>> cap(Decimal(-45), Decimal(-30)), cap(Decimal(25), Decimal(20))
        (Decimal('-30'), Decimal('20'))
    """
    if limit is None:
        return total
    if limit < 0:
        return max(total, limit)
    if limit > 0:
        return min(total, limit)
    # `at most 0` has no direction: nothing of the total is left either way.
    return ZERO


def clamp(value: Decimal, low: Decimal | None, high: Decimal | None) -> Decimal:
    """Clamp `value` to `range low to high`; either bound may be absent."""
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def round_to(value: Decimal, step: Decimal | None) -> Decimal:
    """Round `value` half up (half away from zero) to a multiple of `step`.

    Example:
        >>> round_to(Decimal("89.95"), Decimal("0.1"))
        Decimal('90.0')
    """
    if step is None or step == 0:
        return value
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def parts(view: View, date: dt.date) -> ScoreParts:
    """Return the score on `date` as a waterfall that adds up to it exactly."""
    figures = tally(view, date)
    items: list[Contribution] = []
    for rule in figures.rules:
        items.extend(_record_items(view, rule, date))
        if rule.capped != rule.total:
            items.append(_cap_item(rule))

    for group in figures.groups:
        if group.capped != group.total:
            records = tuple(r.id for t in group.rules for r in t.records)
            items.append(_group_item(group, records))

    declaration = figures.declaration
    if figures.clamped != figures.raw:
        items.append(_score_item("range", figures.clamped - figures.raw, declaration))
    if figures.score != figures.clamped:
        cut = figures.score - figures.clamped
        items.append(_score_item("rounding", cut, declaration))

    subject = view.subject.id
    return ScoreParts(subject, date, declaration.base, tuple(items), figures.score)


def changes(view: View) -> set[dt.date]:
    """Return every date on which the score may change.

    A record starts or stops counting, or is repaired.
    """
    dates: set[dt.date] = set()
    for rule in view.policy.rules.values():
        for record in rule_records(view, rule):
            period = counting_period(rule, record)
            dates |= {period.start, period.end}
            repaired = view.repaired_on(record)
            if repaired is not None:
                dates.add(repaired)
    return dates


def rule_records(view: View, rule: ast.RuleDecl) -> tuple[Record, ...]:
    """The view's records that match `rule`, ordered by (date, id)."""

    def compute() -> tuple[Record, ...]:
        if rule.on is None:
            return ()
        query = rule.on
        return tuple(
            r for r in view.records_of(query.record_type) if view.matches(query, r)
        )

    return view.archive.remember(("rule records", rule.name), compute)


def points_of(view: View, rule: ast.RuleDecl) -> dict[str, Decimal]:
    """The points each record of `rule` gets, by record id.

    With `points p1, p2, ... within W`, a record gets the n-th value where n counts
    the rule's records dated within W before it, itself included, in (date, id)
    order; repaired records count too.
    """

    def compute() -> dict[str, Decimal]:
        if not rule.points:
            raise CreditRulesError(
                f"rule `{rule.name}` gives no points; add a `points` line"
            )
        records = rule_records(view, rule)
        result = {}
        for index, record in enumerate(records):
            n = 1
            if rule.window is not None:
                start = window_start(record.date, rule.window)
                n = sum(1 for other in records[: index + 1] if other.date >= start)
            result[record.id] = rule.points[min(n, len(rule.points)) - 1]
        return result

    return view.archive.remember(("points", rule.name), compute)


def counting_period(rule: ast.RuleDecl, record: Record) -> Period:
    """The days on which `record` counts for `rule`, before any repair.

    A record never counts before its own date, whatever its fields say.
    """
    match rule.counts:
        case ast.CountsFor(duration=duration):
            return Period(record.date, add(record.date, duration))
        case ast.CountsBetween(start_field=start, end_field=end):
            begins = max(record.date, _date_field(record, start))
            return Period(begins, _date_field(record, end))
    return Period(record.date, FOREVER)


def _date_field(record: Record, name: str) -> dt.date:
    value = record.field_map.get(name)
    if not isinstance(value, dt.date):
        raise CreditRulesError(
            f"record `{record.id}` has no date field `{name}` for `counts from`; "
            "give the record that date"
        )
    return value


def _rule_tally(view: View, rule: ast.RuleDecl, date: dt.date) -> RuleTally:
    points = points_of(view, rule) if rule_records(view, rule) else {}
    in_force = tuple(
        record
        for record in rule_records(view, rule)
        if _in_force(view, rule, record, date)
    )
    values = tuple(points[record.id] for record in in_force)
    total = sum(values, ZERO)
    return RuleTally(rule, in_force, values, total, cap(total, rule.cap))


def _in_force(view: View, rule: ast.RuleDecl, record: Record, date: dt.date) -> bool:
    repaired = view.repaired_on(record)
    unrepaired = repaired is None or repaired > date
    return unrepaired and counting_period(rule, record).covers(date)


def _record_items(view: View, rule: RuleTally, date: dt.date) -> list[Contribution]:
    items = []
    for record, points in zip(rule.records, rule.points, strict=True):
        until = counting_period(rule.rule, record).end
        repaired = view.repaired_on(record)
        if repaired is not None:
            until = min(until, repaired)
        items.append(
            Contribution(
                kind="record",
                rule=rule.rule.name,
                group=rule.rule.group,
                points=points,
                records=(record.id,),
                until=None if until == FOREVER else until,
                span=rule.rule.span,
                layer=rule.rule.layer,
            )
        )
    return items


def _cap_item(figures: RuleTally) -> Contribution:
    rule = figures.rule
    return Contribution(
        kind="rule_cap",
        rule=rule.name,
        group=rule.group,
        points=figures.capped - figures.total,
        records=tuple(record.id for record in figures.records),
        span=rule.span,
        layer=rule.layer,
    )


def _group_item(group: GroupTally, records: tuple[str, ...]) -> Contribution:
    return Contribution(
        kind="group_cap",
        rule=None,
        group=group.group.name,
        points=group.capped - group.total,
        records=records,
        span=group.group.span,
        layer=group.group.layer,
    )


def _score_item(kind: str, points: Decimal, declaration: ast.ScoreDecl) -> Contribution:
    return Contribution(
        kind="range" if kind == "range" else "rounding",
        rule=None,
        group=None,
        points=points,
        span=declaration.span,
        layer=declaration.layer,
    )
