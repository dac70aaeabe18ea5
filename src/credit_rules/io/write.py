"""Writing subjects and records to a dataset folder, as they come.

`write_dataset` streams an iterable of subjects and records into
`subjects.(csv|jsonl)` and `records.(csv|jsonl)` without holding them, in the form
that `read_dataset` reads back: CSV records are one wide table whose columns are
`id`, `subject`, `type`, `date` and the union of every declared field.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Literal, TextIO, TypeVar

import attrs

from credit_rules.dsl.policy import Policy
from credit_rules.engine.validation import RECORD_COLUMNS, SUBJECT_COLUMNS
from credit_rules.records import FieldValue, Record, Subject

__all__ = ["Format", "WriteCounts", "cell", "write_dataset"]

Format = Literal["csv", "jsonl"]

_Item = TypeVar("_Item", Subject, Record)
_Write = Callable[[_Item], object]


@attrs.define
class WriteCounts:
    """How many subjects and records were written."""

    subjects: int = 0
    records: int = 0


def cell(value: FieldValue) -> str:
    """Write a value as the text of a CSV cell that reads back as the same value.

    Example:
        >>> cell(True), cell(dt.date(2026, 4, 1)), cell(Decimal("2.50"))
        ('true', '2026-04-01', '2.50')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _json_value(value: FieldValue) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Whole numbers as JSON numbers; others as text, which is exact.
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def write_dataset(
    folder: str | os.PathLike[str],
    policy: Policy,
    items: Iterable[Subject | Record],
    format: Format = "csv",
) -> WriteCounts:
    """Write subjects and records to a dataset folder, one item at a time.

    Args:
        folder: The folder; made if missing. Existing files of the same names are
            replaced.
        policy: Its declarations give the CSV columns.
        items: Subjects and records, in any order.
        format: `csv` or `jsonl`.

    Returns:
        How many of each were written.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    counts = WriteCounts()
    with (
        (out / f"subjects.{format}").open(
            "w", encoding="utf-8", newline=""
        ) as subjects,
        (out / f"records.{format}").open("w", encoding="utf-8", newline="") as records,
    ):
        write_subject, write_record = _writers(policy, format, subjects, records)
        for item in items:
            if isinstance(item, Subject):
                write_subject(item)
                counts.subjects += 1
            else:
                write_record(item)
                counts.records += 1
    return counts


def _writers(
    policy: Policy, format: Format, subjects: TextIO, records: TextIO
) -> tuple[_Write[Subject], _Write[Record]]:
    if format == "jsonl":
        return _jsonl_subject(subjects), _jsonl_record(records)
    return _csv_subject(policy, subjects), _csv_record(policy, records)


def _subject_row(subject: Subject) -> dict[str, FieldValue]:
    return {"id": subject.id, "kind": subject.kind, **subject.attribute_map}


def _record_row(record: Record) -> dict[str, FieldValue]:
    return {
        "id": record.id,
        "subject": record.subject,
        "type": record.type,
        "date": record.date,
        **record.field_map,
    }


def _csv_subject(policy: Policy, stream: TextIO) -> _Write[Subject]:
    names = [f.name for f in policy.subject.fields] if policy.subject else []
    writer = csv.DictWriter(stream, [*SUBJECT_COLUMNS, *names])
    writer.writeheader()
    return lambda subject: writer.writerow(
        {k: cell(v) for k, v in _subject_row(subject).items()}
    )


def _csv_record(policy: Policy, stream: TextIO) -> _Write[Record]:
    columns = list(RECORD_COLUMNS)
    for decl in policy.records.values():
        columns.extend(f.name for f in decl.fields if f.name not in columns)
    writer = csv.DictWriter(stream, columns)
    writer.writeheader()
    return lambda record: writer.writerow(
        {k: cell(v) for k, v in _record_row(record).items()}
    )


def _jsonl_subject(stream: TextIO) -> _Write[Subject]:
    return lambda subject: _json_line(stream, _subject_row(subject))


def _jsonl_record(stream: TextIO) -> _Write[Record]:
    return lambda record: _json_line(stream, _record_row(record))


def _json_line(stream: TextIO, row: dict[str, FieldValue]) -> None:
    values = {key: _json_value(value) for key, value in row.items()}
    stream.write(json.dumps(values, ensure_ascii=False) + "\n")
