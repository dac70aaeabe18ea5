"""The benchmark population: generated subjects with their records, and the date.

Every implementation sees the same subjects and records from
`credit_rules.generate` for one seed, and is asked about the same day, the last
day of the generated history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from pathlib import Path

from credit_rules import Policy, Record, Subject, load_policy
from credit_rules.generate import DEFAULT_UNTIL, generate

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS_POLICY = HERE / "peers_policy.rules"
AS_OF = DEFAULT_UNTIL
SEED = 2026

Population = list[tuple[Subject, list[Record]]]
"""Each subject with its records, in the order they were generated."""

# The counting periods of the comparison policy, as (amount, unit), named so
# that every peer accepts the name as an identifier.
PERIODS = {"m3": (3, "month"), "y1": (1, "year"), "y2": (2, "year"), "y3": (3, "year")}


def peers_policy() -> Policy:
    """Return the checked comparison policy."""
    return load_policy(str(PEERS_POLICY))


def items(policy: Policy, subjects: int, seed: int = SEED) -> list[Subject | Record]:
    """Return the generated subjects and records, each subject before its records."""
    return list(generate(policy, subjects=subjects, seed=seed))


def grouped(stream: Iterable[Subject | Record]) -> Population:
    """Group a generated stream by subject."""
    population: Population = []
    for item in stream:
        if isinstance(item, Subject):
            population.append((item, []))
        else:
            population[-1][1].append(item)
    return population


def shift(date: dt.date, amount: int, unit: str) -> dt.date:
    """Return `date` plus whole months or years, on the month's last day if need be."""
    months = amount * 12 if unit == "year" else amount
    year, month = divmod(date.month - 1 + months, 12)
    year += date.year
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(date.day, last))


def first_counting_day(as_of: dt.date, amount: int, unit: str) -> dt.date:
    """Return the earliest record date `d` still counting on `as_of` for a period.

    A record dated `d` counts on `[d, d + period)`; `d + period` never decreases
    as `d` grows, so the dates counting on `as_of` are all those from this one on.
    """
    day = shift(as_of, -amount, unit)
    while shift(day, amount, unit) > as_of:
        day -= dt.timedelta(days=1)
    while shift(day, amount, unit) <= as_of:
        day += dt.timedelta(days=1)
    return day


def counting_since(as_of: dt.date) -> dict[str, dt.date]:
    """Return the first counting day of every period of the comparison policy."""
    return {
        name: first_counting_day(as_of, *period) for name, period in PERIODS.items()
    }


def chunks(population: Population, size: int) -> Iterator[Population]:
    """Yield the population in slices of `size` subjects."""
    for start in range(0, len(population), size):
        yield population[start : start + size]
