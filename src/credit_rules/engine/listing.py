"""List entries and effects in force (docs/semantics.md, "Lists" and "Effects")."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import attrs

from credit_rules.dsl import ast
from credit_rules.engine.calendar import FOREVER, add
from credit_rules.engine.conditions import change_dates, holds
from credit_rules.engine.periods import Period, held_for, true_periods

if TYPE_CHECKING:
    from credit_rules.engine.view import View


@attrs.frozen
class Entry:
    """One stay of the subject on a list.

    Attributes:
        list_name: The list.
        period: The days it covers.
        record: The id of the record that opened it (`enter on`), or None when
            the list's `enter when` condition opened it.
    """

    list_name: str
    period: Period
    record: str | None = None


def entries(view: View, declared: ast.ListDecl) -> tuple[Entry, ...]:
    """Return the entries of list `declared`, ordered by start, then cause."""
    found = [*_record_entries(view, declared), *_condition_entries(view, declared)]
    kept = [entry for entry in found if entry.period.start < entry.period.end]
    return tuple(sorted(kept, key=lambda e: (e.period, e.record or "")))


def effect_periods(view: View, effect: ast.EffectDecl) -> tuple[Period, ...]:
    """Return the periods in which `effect` is in force.

    They are the periods its `when` holds, each kept for at least `lasts`.
    """
    if effect.when is None:
        return ()

    when = effect.when
    periods = true_periods(change_dates(when, view), lambda t: holds(when, view, t))
    return held_for(periods, effect.lasts)


def _record_entries(view: View, declared: ast.ListDecl) -> list[Entry]:
    query = declared.enter_on
    if query is None:
        return []

    found = []
    for record in view.records_of(query.record_type):
        if not view.matches(query, record):
            continue
        end = _stay_end(view, declared, record.date)
        repaired = view.repaired_on(record)
        if repaired is not None:
            end = min(end, repaired)
        found.append(Entry(declared.name, Period(record.date, end), record.id))
    return found


def _condition_entries(view: View, declared: ast.ListDecl) -> list[Entry]:
    condition = declared.enter_when
    if condition is None:
        return []

    periods = true_periods(
        change_dates(condition, view), lambda t: holds(condition, view, t)
    )
    found = []
    for held in periods:
        end = held.end
        if declared.min_stay is not None:
            end = max(end, add(held.start, declared.min_stay))
        end = min(end, _stay_end(view, declared, held.start))
        found.append(Entry(declared.name, Period(held.start, end)))
    return found


def _stay_end(view: View, declared: ast.ListDecl, start: dt.date) -> dt.date:
    """The end an entry opened on `start` gets from `stay at most` and `leave when`."""
    end = FOREVER
    if declared.max_stay is not None:
        end = add(start, declared.max_stay)

    if declared.leave_when is not None:
        earliest = add(start, declared.min_stay) if declared.min_stay else start
        leave = first_day_holding(view, declared.leave_when, earliest)
        if leave is not None:
            end = min(end, leave)
    return end


def first_day_holding(
    view: View, condition: ast.Expr, start: dt.date
) -> dt.date | None:
    """Return the first day on or after `start` on which `condition` holds.

    None if it never does as the view stands.

    The condition is constant between its change dates, so the first such day is
    `start` itself or one of its change dates after `start`.
    """
    later = sorted(d for d in change_dates(condition, view) if start < d < FOREVER)
    for day in [start, *later]:
        if day == FOREVER:
            return None
        if holds(condition, view, day):
            return day
    return None
