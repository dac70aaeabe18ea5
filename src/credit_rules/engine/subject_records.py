"""The records of one subject that one view of the archive holds, with lookups by type and id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from heapq import merge
from operator import attrgetter

from credit_rules.records import Record, Subject

record_order = attrgetter("date", "id")
"""The order of a subject's records: by date, then by id."""


class SubjectRecords:
    """A subject and the records in its view, sorted by (date, id).

    A view is built either from the records in order or from the records
    grouped by type, each group in order; it works out the other when asked.

    Attributes:
        subject: The subject.
    """

    __slots__ = ("_by_id", "_by_type", "_records", "subject")

    def __init__(
        self,
        subject: Subject,
        records: Sequence[Record] | None = None,
        by_type: Mapping[str, Sequence[Record]] | None = None,
    ) -> None:
        self.subject = subject
        if records is None and not by_type:
            records = ()
        self._records = records
        self._by_type = by_type
        self._by_id: dict[str, Record] | None = None

    @property
    def records(self) -> Sequence[Record]:
        """The records in the view, sorted by (date, id)."""
        if self._records is None:
            self._records = merged(self._by_type or {})
        return self._records

    def of_type(self, record_type: str) -> Sequence[Record]:
        """Return the records of one type, sorted by (date, id)."""
        if self._by_type is None:
            self._by_type = index_by_type(self.records)
        return self._by_type.get(record_type, ())

    def first(self) -> Record | None:
        """Return the earliest record of the view, if it holds any."""
        if self._records is not None:
            return self._records[0] if self._records else None
        firsts = [group[0] for group in (self._by_type or {}).values() if group]
        return min(firsts, key=record_order) if firsts else None

    def has_before(self, record: Record) -> bool:
        """Tell whether the view holds a record sorting before `record`."""
        date = record.date
        if self._records is not None:
            groups: Iterable[Sequence[Record]] = (self._records,)
        else:
            groups = (self._by_type or {}).values()
        for group in groups:
            # Each group is sorted: its first record is its earliest.
            if group and (
                group[0].date < date
                or (group[0].date == date and group[0].id < record.id)
            ):
                return True
        return False

    def get(self, record_id: str) -> Record | None:
        """Return the record with this id, if the view holds it."""
        if self._by_id is None:
            self._by_id = {record.id: record for record in self.records}
        return self._by_id.get(record_id)


def index_by_type(records: Sequence[Record]) -> dict[str, list[Record]]:
    """Return records grouped by type, each group in the order of `records`."""
    by_type: dict[str, list[Record]] = {}
    for record in records:
        by_type.setdefault(record.type, []).append(record)
    return by_type


def merged(by_type: Mapping[str, Sequence[Record]]) -> list[Record]:
    """Return the records of every group in one list, sorted by (date, id)."""
    return list(merge(*by_type.values(), key=record_order))
