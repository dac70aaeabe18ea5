"""The reference evaluator: a subject's assessment computed from scratch.

This module is meant to be read as the specification of docs/semantics.md made
executable; the incremental engine must agree with it on every input.

How it stays exact without looking at every day. Every derived value (a query, the
score, a tier, a list, an effect, a veto, a repair) is piecewise constant in time,
and each knows the finite set of dates on which it *may* change:

- a query: each matching record's date, the day it leaves the query's window
  (`conditions.window_end`), and the day it is repaired;
- the score: each record's first and last day of counting, and its repair;
- a condition: the union of the dates of its parts;
- something held for at least `D` (veto, effect): the starts and ends of the
  periods its condition holds, and each start plus `D`;
- a list entry: its start, and its end, which is `stay at most` after the start,
  a repair, or the first day on or after `stay at least` on which `leave when`
  holds, itself either that day or one of the condition's change dates;
- a repair: the first day on or after the earliest possible one on which the bar
  does not hold, found the same way.

Each set may hold dates on which nothing changes; none misses a date on which
something does, by induction over the (acyclic) policy. A value is therefore
found by evaluating at the date asked; a history (when a condition first held,
when a list entry ends, when anything changes next) by evaluating at those
candidate dates only, in order. No value on a date depends on records dated after
it: a query looks at records dated on or before the date, a record counts from
its own date on, a repair is granted no earlier than its request.

Example:
    >>> import datetime as dt
    >>> from credit_rules.dsl import ast
    >>> from credit_rules.dsl.policy import Policy
    >>> from credit_rules.records import Subject
    >>> policy = Policy(
    ...     name="demo", header=ast.PolicyHeader("demo"), root=".", layers=("demo",),
    ...     enums={}, records={}, subject=None, score=ast.ScoreDecl(), groups={},
    ...     rules={}, tiers=None, vetoes={}, supervision={}, lists={}, effects={},
    ...     repairs={})
    >>> assess(policy, Subject("S", "enterprise"), [], dt.date(2026, 1, 1)).score
    Decimal('100')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy
from credit_rules.engine import repair, scoring, standing
from credit_rules.engine.assessment import (
    Assessment,
    ScoreParts,
    SupervisionLevel,
    TierTrace,
)
from credit_rules.engine.listing import Entry
from credit_rules.engine.plan import digest_of
from credit_rules.engine.view import View
from credit_rules.errors import CreditRulesError
from credit_rules.records import Record, Subject

__all__ = ["assess", "list_entries", "score_parts", "tier_trace", "view_of"]

Retractions = Mapping[str, dt.date]
"""The day each retracted record was retracted, by record id."""


def assess(
    policy: Policy,
    subject: Subject,
    records: Iterable[Record],
    as_of: dt.date,
    *,
    retractions: Retractions | None = None,
) -> Assessment:
    """Assess `subject` as of `as_of` from its records, from scratch.

    Args:
        policy: The checked policy.
        subject: The subject.
        records: The subject's records, each in its last corrected version.
        as_of: The date assessed.
        retractions: The day each retracted record was retracted; a record
            retracted on or before `as_of` is out of the view.

    Returns:
        The assessment; its `policy_digest` is the one a `Plan` of the
        policy carries.

    Raises:
        CreditRulesError: A record is of another subject or two share an id, or
            the policy is not one the checker accepts.
    """
    view = view_of(policy, subject, records, as_of, retractions=retractions)
    supervision = standing.supervision_at(view, as_of)
    return Assessment(
        subject=subject.id,
        as_of=as_of,
        score=view.score_at(as_of),
        tier=view.tier_at(as_of),
        lists=_lists_at(view, as_of),
        effects=_effects_at(view, as_of),
        supervision=_level(supervision),
        repair_options=repair.options(view, as_of),
        next_change=next_change(view, as_of),
        policy_digest=digest_of(policy),
    )


def score_parts(
    policy: Policy,
    subject: Subject,
    records: Iterable[Record],
    as_of: dt.date,
    *,
    retractions: Retractions | None = None,
) -> ScoreParts:
    """Return the score as of `as_of` as a waterfall.

    `base` plus the points of every item is the score, exactly.
    """
    view = view_of(policy, subject, records, as_of, retractions=retractions)
    return scoring.parts(view, as_of)


def tier_trace(
    policy: Policy,
    subject: Subject,
    records: Iterable[Record],
    as_of: dt.date,
    *,
    retractions: Retractions | None = None,
) -> TierTrace:
    """Return how the tier as of `as_of` is reached.

    It holds the tier conditions tried, in order, and the vetoes in force with
    their periods.
    """
    view = view_of(policy, subject, records, as_of, retractions=retractions)
    return standing.trace(view, as_of)


def list_entries(
    policy: Policy,
    subject: Subject,
    records: Iterable[Record],
    as_of: dt.date,
    list_name: str,
    *,
    retractions: Retractions | None = None,
) -> tuple[Entry, ...]:
    """Return every entry of list `list_name` in the view of `as_of`.

    Past, present and (as the view stands) future entries, ordered by start.
    """
    view = view_of(policy, subject, records, as_of, retractions=retractions)
    return view.list_entries(list_name)


def view_of(
    policy: Policy,
    subject: Subject,
    records: Iterable[Record],
    as_of: dt.date,
    *,
    retractions: Retractions | None = None,
) -> View:
    """Return the view of `as_of`.

    It holds every record except those retracted on or before `as_of`.
    """
    retracted = retractions or {}
    kept: dict[str, Record] = {}
    for record in records:
        if record.subject != subject.id:
            raise CreditRulesError(
                f"record `{record.id}` is about subject `{record.subject}`, not "
                f"`{subject.id}`; pass only the subject's own records"
            )
        if record.id in kept:
            raise CreditRulesError(
                f"two records share the id `{record.id}`; pass each record once, "
                "in its last corrected version"
            )
        kept[record.id] = record

    in_view = [
        record
        for record in kept.values()
        if record.id not in retracted or retracted[record.id] > as_of
    ]
    return View.of(policy, subject, in_view)


def next_change(view: View, as_of: dt.date) -> dt.date | None:
    """Return the first date after `as_of` on which the assessment changes.

    That is the score, the tier, a list, an effect or the supervision entry, if
    nothing new is recorded.
    """
    candidates = set(view.score_changes()) | set(view.tier_changes())
    for name in view.policy.lists:
        candidates |= set(view.list_changes(name))
    for name in view.policy.effects:
        candidates |= set(view.effect_changes(name))
    candidates |= standing.supervision_changes(view)

    now = _state(view, as_of)
    for day in sorted(d for d in candidates if as_of < d < dt.date.max):
        if _state(view, day) != now:
            return day
    return None


def _state(view: View, date: dt.date) -> tuple[object, ...]:
    supervision = standing.supervision_at(view, date)
    return (
        view.score_at(date),
        view.tier_at(date),
        _lists_at(view, date),
        _effects_at(view, date),
        supervision.name if supervision else None,
    )


def _lists_at(view: View, date: dt.date) -> tuple[str, ...]:
    return tuple(name for name in view.policy.lists if view.listed_at(name, date))


def _effects_at(view: View, date: dt.date) -> tuple[str, ...]:
    return tuple(name for name in view.policy.effects if view.active_at(name, date))


def _level(entry: ast.SupervisionDecl | None) -> SupervisionLevel | None:
    if entry is None:
        return None
    return SupervisionLevel(
        name=entry.name,
        label=entry.label,
        inspections=entry.inspections,
        sampling=entry.sampling,
    )
