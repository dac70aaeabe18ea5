"""The records of one subject that one view of the archive holds, with lookups by type and id."""

from __future__ import annotations

from collections.abc import Sequence

from credit_rules.records import Record, Subject


class SubjectRecords:
    """A subject and the records in its view, sorted by (date, id).

    Attributes:
        subject: The subject.
        records: Its records in the view, sorted by (date, id).
    """

    __slots__ = ("_by_id", "_by_type", "records", "subject")

    def __init__(
        self,
        subject: Subject,
        records: Sequence[Record],
        by_type: dict[str, list[Record]] | None = None,
    ) -> None:
        self.subject = subject
        self.records = records
        self._by_type = by_type
        self._by_id: dict[str, Record] | None = None

    def of_type(self, record_type: str) -> Sequence[Record]:
        """Return the records of one type, sorted by (date, id)."""
        if self._by_type is None:
            self._by_type = index_by_type(self.records)
        return self._by_type.get(record_type, ())

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
