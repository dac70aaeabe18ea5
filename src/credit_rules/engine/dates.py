"""Calendar arithmetic on date ordinals, remembered.

The runtime keeps dates as ordinals (`date.toordinal()`); these functions apply
`credit_rules.engine.calendar` to them and remember the answers, since the same
few dates and durations come back for every subject.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from credit_rules.dsl.ast import Duration
from credit_rules.engine import calendar
from credit_rules.engine.timeline import NEVER

_PLUS: Final[dict[tuple[int, int, str], int]] = {}
_WINDOW_START: Final[dict[tuple[int, int, str], int]] = {}
_WINDOW_END: Final[dict[tuple[int, int, str], int]] = {}
_ORDINALS: Final[dict[dt.date, int]] = {}
_CACHE_LIMIT: Final = 1 << 18


def ordinal(date: dt.date) -> int:
    """Return a date's ordinal: for each date, one and the same `int` object.

    Timelines' points are these ordinals; one object per date keeps the many
    timelines that change on one date from holding a number each. (Compiled
    code, see `hatch_build.py`, makes a new object of each number it stores;
    `credit_rules.engine.sharing.share` puts the shared ones back.)
    """
    known = _ORDINALS.get(date)
    if known is None:
        known = date.toordinal()
        _remember(_ORDINALS, date, known)
    return known


def to_date(ordinal: int) -> dt.date:
    """Return the date of an ordinal."""
    return dt.date.fromordinal(ordinal)


def plus(ordinal: int, duration: Duration | None) -> int:
    """Return `ordinal` moved forward by `duration` (no duration: unchanged)."""
    if duration is None:
        return ordinal
    key = (ordinal, duration.amount, duration.unit)
    known = _PLUS.get(key)
    if known is None:
        if ordinal >= NEVER:
            return NEVER
        known = calendar.add(dt.date.fromordinal(ordinal), duration).toordinal()
        _remember(_PLUS, key, known)
    return known


def window_start(ordinal: int, duration: Duration) -> int:
    """Return the first date of `within duration` at `ordinal`."""
    key = (ordinal, duration.amount, duration.unit)
    known = _WINDOW_START.get(key)
    if known is None:
        known = calendar.window_start(
            dt.date.fromordinal(ordinal), duration
        ).toordinal()
        _remember(_WINDOW_START, key, known)
    return known


def window_end(ordinal: int, duration: Duration) -> int:
    """Return the first date whose `within duration` no longer covers `ordinal`.

    A record dated `d` is within the window on `[d, window_end(d))`. Because a
    month after the 31st may be the 28th, this is not always `d + duration`; it
    is the first date `t` with `window_start(t) > d`.
    """
    key = (ordinal, duration.amount, duration.unit)
    known = _WINDOW_END.get(key)
    if known is None:
        known = plus(ordinal, duration)
        if known < NEVER:
            while known > ordinal and window_start(known - 1, duration) > ordinal:
                known -= 1
            while known < NEVER and window_start(known, duration) <= ordinal:
                known += 1
        _remember(_WINDOW_END, key, known)
    return known


def _remember(cache: dict[Any, int], key: Any, value: int) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[key] = value
