"""Shared parts keep a large engine small without touching the caller's records."""

from __future__ import annotations

import datetime as dt

from credit_rules.engine.sharing import compact
from credit_rules.records import Record, Subject


def test_compact_records_share_their_fields_and_leave_the_originals_alone() -> None:
    """Two equal records compact to one tuple of fields; the inputs keep theirs."""
    subject = Subject("S", "family_farm")
    first = Record("R1", "S", "inspection", dt.date(2026, 1, 5), {"result": "ok"})
    second = Record("R2", "S", "inspection", dt.date(2026, 1, 5), {"result": "ok"})
    second_fields = second.fields

    one, two = compact(first, subject.id), compact(second, subject.id)

    assert (first, second) == (one, two)
    assert one.fields is two.fields
    assert second.fields is second_fields
    assert second.fields is not two.fields
    assert one.subject is subject.id
