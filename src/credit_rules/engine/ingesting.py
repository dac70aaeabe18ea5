"""Checking a batch of subjects and records before any of it changes the engine.

`prepare_batch` validates every item and sorts out what is new, what repeats
something known (and changes nothing) and what conflicts; it raises before the
engine changes at all, so that a batch is applied entirely or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from credit_rules.dsl.policy import Policy
from credit_rules.engine.shapes import RecordShapes
from credit_rules.engine.state import SubjectState
from credit_rules.engine.store import Store
from credit_rules.engine.validation import check_record, check_subject
from credit_rules.errors import RecordError
from credit_rules.records import Record, Subject


@attrs.define
class Batch:
    """What a checked batch changes.

    Attributes:
        subjects: Subjects new to the engine or with new attributes.
        records: Records new to the engine.
        corrections: New versions of known records.
        replaced: The known version of each corrected record, by id.
    """

    subjects: list[Subject]
    records: list[Record]
    corrections: list[Record]
    replaced: dict[str, Record]

    def by_subject(self) -> dict[str, tuple[list[Record], list[tuple[Record, Record]]]]:
        """Return, per subject id, its new records and its (old, new) corrections."""
        grouped: dict[str, tuple[list[Record], list[tuple[Record, Record]]]] = {}
        for record in self.records:
            grouped.setdefault(record.subject, ([], []))[0].append(record)
        for record in self.corrections:
            pair = (self.replaced[record.id], record)
            grouped.setdefault(record.subject, ([], []))[1].append(pair)
        return grouped


def prepare_batch(
    policy: Policy,
    store: Store,
    states: Mapping[str, SubjectState],
    items: Iterable[Subject | Record],
    *,
    corrections: Iterable[Record] = (),
    shapes: RecordShapes | None = None,
) -> Batch:
    """Check a batch against the policy and the engine's archive.

    `shapes`, the policy's record shapes, lets the records that surely fit skip
    the full check.

    Raises:
        RecordError: For the first item that does not fit, naming it.
    """
    subjects: dict[str, Subject] = {}
    records: dict[str, Record] = {}
    for item in items:
        if isinstance(item, Subject):
            check_subject(policy, item)
            known = states.get(item.id)
            if known is None or known.subject != item:
                subjects[item.id] = item
        elif isinstance(item, Record):
            if shapes is None or not shapes.fits(item):
                check_record(policy, item)
            _check_new(store, records, item)
        else:
            raise RecordError(
                f"cannot ingest a `{type(item).__name__}`; pass `Subject` and `Record` objects"
            )

    for record in records.values():
        if record.subject not in states and record.subject not in subjects:
            raise RecordError(
                f"unknown subject `{record.subject}`; ingest the subject first",
                record_id=record.id,
                field="subject",
            )

    fixed: list[Record] = []
    replaced: dict[str, Record] = {}
    for record in corrections:
        check_record(policy, record)
        previous = store.record(record.id)
        if previous is None:
            raise RecordError(
                "there is no such record to correct; ingest it first",
                record_id=record.id,
            )
        replaced[record.id] = previous
        fixed.append(record)
    return Batch(list(subjects.values()), list(records.values()), fixed, replaced)


def _check_new(store: Store, batch: dict[str, Record], record: Record) -> None:
    """Keep a record that is new; skip one already known as it is; refuse a clash."""
    known = store.record(record.id) or batch.get(record.id)
    if known is None:
        batch[record.id] = record
        return
    if known != record:
        raise RecordError(
            "a record with this id is already known with other content; "
            "use `Engine.correct` to replace it",
            record_id=record.id,
        )
