"""Calendar arithmetic on dates, as the language reference defines it.

Adding months or years keeps the day of the month, or takes the month's last day
when that day does not exist: 2026-01-31 plus 1 month is 2026-02-28.
"""

from __future__ import annotations

import calendar
import datetime as dt

from credit_rules.dsl.ast import Duration

FOREVER = dt.date.max
"""The end of a period that never ends."""


def add(date: dt.date, duration: Duration) -> dt.date:
    """Return `date` moved forward by `duration`; `FOREVER` past the last date.

    Example:
        >>> add(dt.date(2026, 1, 31), Duration(1, "month"))
        datetime.date(2026, 2, 28)
    """
    return shift(date, duration.amount, duration.unit)


def subtract(date: dt.date, duration: Duration) -> dt.date:
    """Return `date` moved back by `duration`; `date.min` before the first date."""
    return shift(date, -duration.amount, duration.unit)


def shift(date: dt.date, amount: int, unit: str) -> dt.date:
    """Move `date` by `amount` days, months or years, clamping to the month's end."""
    if date == FOREVER and amount >= 0:
        return FOREVER

    try:
        if unit == "day":
            return date + dt.timedelta(days=amount)
        months = amount * 12 if unit == "year" else amount
        index = date.year * 12 + (date.month - 1) + months
        year, month = divmod(index, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return dt.date(year, month + 1, min(date.day, last))
    except (OverflowError, ValueError):
        return FOREVER if amount >= 0 else dt.date.min


def window_start(date: dt.date, duration: Duration) -> dt.date:
    """Return the first date of the window `within duration` at `date`.

    The window `(date - duration, date]` is half-open, so it starts the day after
    `date - duration`.

    Example:
        >>> window_start(dt.date(2026, 6, 30), Duration(1, "year"))
        datetime.date(2025, 7, 1)
    """
    start = subtract(date, duration)
    return start if start == dt.date.min else start + dt.timedelta(days=1)
