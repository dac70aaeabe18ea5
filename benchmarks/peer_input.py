"""The subjects and records as the peers take them: plain JSON-like dicts.

Dates become day numbers (proleptic ordinals) and numbers become ints, because
neither peer compares Python dates or decimals. The conversion is done before
timing: it stands for the host's own data, already in the peer's shape.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from population import Population, counting_since


def subject_inputs(population: Population, as_of: dt.date) -> list[dict[str, Any]]:
    """Return one input dict per subject: its records, the date and the periods."""
    since = {name: day.toordinal() for name, day in counting_since(as_of).items()}
    day = as_of.toordinal()
    return [
        {
            "id": subject.id,
            "as_of": day,
            "since": since,
            "records": [_record(r) for r in records],
        }
        for subject, records in population
    ]


def _record(record: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"type": record.type, "date": record.date.toordinal()}
    for name, value in record.fields:
        fields[name] = _plain(value)
    return fields


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, Decimal):
        return int(value)
    return value
