"""Calendar arithmetic: month ends clamp, leap days, half-open windows."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit_rules.dsl.ast import Duration
from credit_rules.engine.calendar import FOREVER, add, shift, subtract, window_start
from credit_rules.engine.conditions import window_end


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (dt.date(2026, 1, 31), Duration(1, "month"), dt.date(2026, 2, 28)),
        (dt.date(2024, 2, 29), Duration(1, "year"), dt.date(2025, 2, 28)),
        (dt.date(2026, 3, 31), Duration(1, "month"), dt.date(2026, 4, 30)),
        (dt.date(2026, 12, 15), Duration(10, "day"), dt.date(2026, 12, 25)),
        (dt.date(2024, 1, 31), Duration(1, "month"), dt.date(2024, 2, 29)),
        (dt.date(2026, 11, 30), Duration(3, "month"), dt.date(2027, 2, 28)),
        (dt.date(2024, 2, 29), Duration(4, "year"), dt.date(2028, 2, 29)),
    ],
)
def test_add_keeps_the_day_or_takes_the_month_end(
    start: dt.date, duration: Duration, expected: dt.date
) -> None:
    """Adding months or years keeps the day of the month, clamped to its last day."""
    assert expected == add(start, duration)


def test_subtract_clamps_to_the_month_end() -> None:
    """2026-03-31 minus 1 month is 2026-02-28; 2028-02-29 minus 1 year 2027-02-28."""
    assert dt.date(2026, 2, 28) == subtract(dt.date(2026, 3, 31), Duration(1, "month"))
    assert dt.date(2027, 2, 28) == subtract(dt.date(2028, 2, 29), Duration(1, "year"))


def test_add_saturates_at_forever() -> None:
    """Past the last representable date, a period simply never ends."""
    assert FOREVER == add(dt.date(9999, 6, 1), Duration(1, "year"))
    assert FOREVER == add(FOREVER, Duration(1, "day"))
    assert dt.date.min == shift(dt.date(1, 3, 1), -1, "year")


def test_window_start_is_the_day_after() -> None:
    """`within 1 year` at 2026-06-30 covers 2025-07-01 to 2026-06-30."""
    assert dt.date(2025, 7, 1) == window_start(
        dt.date(2026, 6, 30), Duration(1, "year")
    )


def test_window_end_past_a_clamped_month_end() -> None:
    """A record of 2026-01-31 is within 1 month up to 2026-02-28, not after.

    On 2026-02-28 the window starts the day after 2026-01-28; on 2026-03-01 the day
    after 2026-02-01, which is past the record.
    """
    assert dt.date(2026, 3, 1) == window_end(dt.date(2026, 1, 31), Duration(1, "month"))


def test_window_end_of_a_leap_day() -> None:
    """A record of 2024-02-29 is within 1 year on 2025-02-28 and leaves it on 03-01."""
    assert dt.date(2025, 3, 1) == window_end(dt.date(2024, 2, 29), Duration(1, "year"))


durations = st.builds(
    Duration, st.integers(1, 40), st.sampled_from(["day", "month", "year"])
)
dates = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31))


@given(dates, dates, durations)
def test_window_end_is_where_the_window_lets_go(
    record_date: dt.date, day: dt.date, duration: Duration
) -> None:
    """A date is within the window at `day` exactly on `[date, window_end)`."""
    inside = window_start(day, duration) <= record_date <= day
    end = window_end(record_date, duration)
    assert inside == (record_date <= day < end)


@given(dates, durations)
def test_add_then_subtract_never_passes_the_start(
    start: dt.date, duration: Duration
) -> None:
    """Clamping only ever moves a date back: `(d + D) - D <= d`."""
    assert subtract(add(start, duration), duration) <= start
