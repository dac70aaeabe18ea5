"""Where an engine keeps its archive: every subject, record version and retraction.

The engine holds what it needs to compute in memory and writes every change
through to a `Store`, which keeps the audit trail: a corrected record's old
versions stay there. `MemoryStore` is the default; a durable archive (SQLite)
implements the same protocol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from credit_rules.records import Record, Subject


@runtime_checkable
class Store(Protocol):
    """The archive behind an engine.

    An engine given a store that already holds an archive starts from it:
    `subjects`, `records` and `retractions` are read once, at construction.
    """

    def put_subject(self, subject: Subject) -> None:
        """Keep a subject, or its new attributes."""
        ...

    def put_record(self, record: Record) -> None:
        """Keep a new record, or a corrected version of a known one."""
        ...

    def put_retraction(self, record_id: str, on: dt.date) -> None:
        """Keep that a record was retracted on a date."""
        ...

    def subjects(self) -> Iterator[Subject]:
        """Every subject, in the order first kept."""
        ...

    def records(self) -> Iterator[Record]:
        """Every record in its last version, in the order first kept."""
        ...

    def retractions(self) -> Iterator[tuple[str, dt.date]]:
        """Every retraction, as (record id, date)."""
        ...

    def versions(self, record_id: str) -> tuple[Record, ...]:
        """Every version of a record, oldest first; empty for an unknown id."""
        ...

    def record(self, record_id: str) -> Record | None:
        """The last version of a record, or None for an unknown id."""
        ...


class MemoryStore:
    """A store in memory: the default archive of an engine.

    Example:
        >>> store = MemoryStore()
        >>> store.put_subject(Subject("S-1", "enterprise"))
        >>> [subject.id for subject in store.subjects()]
        ['S-1']
    """

    def __init__(self) -> None:
        self._subjects: dict[str, Subject] = {}
        self._records: dict[str, Record] = {}
        self._superseded: dict[str, list[Record]] = {}
        self._retractions: dict[str, dt.date] = {}

    def put_subject(self, subject: Subject) -> None:
        """Keep a subject, or its new attributes."""
        self._subjects[subject.id] = subject

    def put_record(self, record: Record) -> None:
        """Keep a new record, or a corrected version of a known one."""
        known = self._records.get(record.id)
        if known is not None:
            self._superseded.setdefault(record.id, []).append(known)
        self._records[record.id] = record

    def put_retraction(self, record_id: str, on: dt.date) -> None:
        """Keep that a record was retracted on a date."""
        self._retractions[record_id] = on

    def subjects(self) -> Iterator[Subject]:
        """Every subject, in the order first kept."""
        return iter(self._subjects.values())

    def records(self) -> Iterator[Record]:
        """Every record in its last version, in the order first kept."""
        return iter(self._records.values())

    def retractions(self) -> Iterator[tuple[str, dt.date]]:
        """Every retraction, as (record id, date)."""
        return iter(self._retractions.items())

    def versions(self, record_id: str) -> tuple[Record, ...]:
        """Every version of a record, oldest first; empty for an unknown id."""
        current = self._records.get(record_id)
        if current is None:
            return ()
        return (*self._superseded.get(record_id, ()), current)

    def record(self, record_id: str) -> Record | None:
        """The last version of a record, or None for an unknown id."""
        return self._records.get(record_id)
