"""Periods of time in which something holds, built from a few candidate dates.

A value that can change only on known dates is constant from each such date to
the day before the next. Sampling it on those dates alone (and once before the
first) is therefore exact; this module turns such samples into periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from credit_rules.dsl.ast import Duration
from credit_rules.engine.calendar import FOREVER, add


@attrs.frozen(order=True)
class Period:
    """The days `[start, end)`; `end` is `FOREVER` for a period that never ends."""

    start: dt.date
    end: dt.date

    def covers(self, date: dt.date) -> bool:
        """Whether `date` lies inside the period."""
        return self.start <= date < self.end


def samples(dates: Iterable[dt.date]) -> list[dt.date]:
    """Return the sorted sample dates for change dates `dates`.

    The dawn of time stands for every day before the first change; then comes
    each change date.
    """
    return [dt.date.min, *sorted(set(dates) - {dt.date.min, FOREVER})]


def true_periods(
    dates: Iterable[dt.date], holds_on: Callable[[dt.date], bool]
) -> tuple[Period, ...]:
    """Return the maximal periods in which `holds_on` holds.

    `dates` must hold every date on which its value may change.
    """
    periods = []
    opened: dt.date | None = None
    for date in samples(dates):
        now = holds_on(date)
        if now and opened is None:
            opened = date
        elif not now and opened is not None:
            periods.append(Period(opened, date))
            opened = None
    if opened is not None:
        periods.append(Period(opened, FOREVER))
    return tuple(periods)


def held_for(
    periods: Iterable[Period], duration: Duration | None
) -> tuple[Period, ...]:
    """Return the periods each kept for at least `duration` from its start, merged.

    Example:
        >>> held_for([Period(dt.date(2026, 1, 1), dt.date(2026, 2, 1))],
        ...          Duration(1, "year"))
        (Period(start=datetime.date(2026, 1, 1), end=datetime.date(2027, 1, 1)),)
    """
    kept = [
        Period(p.start, max(p.end, add(p.start, duration)) if duration else p.end)
        for p in periods
    ]
    return merge(kept)


def merge(periods: Iterable[Period]) -> tuple[Period, ...]:
    """Return the union of `periods` as disjoint periods, in order; empty ones go."""
    merged: list[Period] = []
    for period in sorted(p for p in periods if p.start < p.end):
        if merged and period.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Period(last.start, max(last.end, period.end))
        else:
            merged.append(period)
    return tuple(merged)


def covering(periods: Iterable[Period], date: dt.date) -> Period | None:
    """Return the first period that covers `date`, or None."""
    return next((p for p in periods if p.covers(date)), None)


def bounds(periods: Iterable[Period]) -> set[dt.date]:
    """Return every start and end of `periods`: the dates on which coverage may change."""
    dates: set[dt.date] = set()
    for period in periods:
        dates.add(period.start)
        dates.add(period.end)
    return dates
