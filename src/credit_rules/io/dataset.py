"""Reading a dataset folder into typed subjects and records.

A dataset is a folder with `subjects.(csv|jsonl|yaml)` and
`records.(csv|jsonl|yaml)`. A subject row has `id`, `kind` and the attributes the
policy's `subject` declaration names; a record row has `id`, `subject`, `type`,
`date` and the fields its type declares. In CSV, records are one wide table whose
columns are the union of every type's fields, and an empty cell is an absent field.

A policy is required: cells are text, and only the policy's declarations say
whether `12` is a number, `ok` an enum value or `2021-02-30` a date that does not
exist. Rows are typed and checked by `credit_rules.engine.validation`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import attrs

from credit_rules.dsl.policy import Policy
from credit_rules.engine.validation import (
    LegacyCodes,
    LegacyCodeWarning,
    coerce_row,
    coerce_subject,
)
from credit_rules.errors import DataError, RecordError, UsageError
from credit_rules.io.report import FileCounts, Notice, Rejection, Report
from credit_rules.io.rows import Row, iter_rows
from credit_rules.records import Record, Subject

__all__ = [
    "Dataset",
    "dataset_files",
    "iter_records",
    "iter_subjects",
    "read_dataset",
]

SUFFIXES = (".csv", ".jsonl", ".yaml", ".yml")

T = TypeVar("T")
Item = TypeVar("Item", Subject, Record)
Sink = Callable[[LegacyCodeWarning], None]


@attrs.frozen
class Dataset:
    """The subjects and records of a dataset, and what was turned down.

    Attributes:
        subjects: Accepted subjects, in file order.
        records: Accepted records, in file order.
        rejected: Rows not imported, with file, line, field and reason.
        warnings: Notices about rows imported all the same.
        counts: Per file, read = accepted + rejected.
    """

    subjects: tuple[Subject, ...]
    records: tuple[Record, ...]
    rejected: tuple[Rejection, ...] = ()
    warnings: tuple[Notice, ...] = ()
    counts: tuple[FileCounts, ...] = ()

    def items(self) -> Iterator[Subject | Record]:
        """The subjects, then the records: what `Engine.ingest` takes."""
        yield from self.subjects
        yield from self.records

    def __iter__(self) -> Iterator[Subject | Record]:
        return self.items()


def read_dataset(
    path: str | os.PathLike[str],
    policy: Policy | None = None,
    *,
    rejects: str | os.PathLike[str] | None = None,
    legacy_codes: LegacyCodes = "reject",
) -> Dataset:
    """Read a dataset folder, typing every row by the policy.

    Bad rows never stop the import: each is rejected with its file, line, field
    and reason, and the rest are read. A record id given twice with the same
    contents is kept once (with a notice); with different contents the later row
    is rejected. A record whose subject is not among the accepted subjects is
    rejected.

    Args:
        path: The dataset folder.
        policy: The policy whose declarations type the rows; required.
        rejects: A CSV file to write the rejections to, or None.
        legacy_codes: What to do with credit codes that fail only their check
            character: `reject` the row, `warn` (a notice) or `accept`.

    Returns:
        The accepted subjects and records, the rejections and the counts.

    Raises:
        UsageError: If no policy is given.
        DataError: If a file is missing or cannot be read at all.

    Example:
        >>> policy = load_policy("policies/huaian")  # doctest: +SKIP
        >>> data = read_dataset("examples/huaian", policy)  # doctest: +SKIP
        >>> [c.summary() for c in data.counts]  # doctest: +SKIP
        ['subjects.csv: read 3000 = accepted 3000 + rejected 0', ...]
    """
    if policy is None:
        raise UsageError(
            "`read_dataset` needs a policy to type the rows; pass "
            "`load_policy(...)` as its second argument"
        )
    subjects_file, records_file = dataset_files(path)

    with Report(rejects) as report:
        subjects = _unique(
            iter_subjects(subjects_file, policy, report, legacy_codes), report
        )
        known = {s.id for s in subjects}
        rows = iter_records(
            records_file, policy, report, legacy_codes, known.__contains__
        )
        records = _unique(rows, report)

    return Dataset(
        tuple(subjects),
        tuple(records),
        tuple(report.rejected),
        tuple(report.notices),
        tuple(report.counts.values()),
    )


def dataset_files(path: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Find the subjects file and the records file of a dataset folder.

    Raises:
        DataError: If the folder lacks one of them or holds two of one kind.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DataError(
            f"`{folder}` is not a folder; a dataset is a folder with subjects and records"
        )
    return _one_file(folder, "subjects"), _one_file(folder, "records")


def _one_file(folder: Path, stem: str) -> Path:
    found = [
        folder / f"{stem}{s}" for s in SUFFIXES if (folder / f"{stem}{s}").is_file()
    ]
    if not found:
        raise DataError(
            f"`{folder}` has no `{stem}.csv`, `{stem}.jsonl` or `{stem}.yaml`; add one"
        )
    if len(found) > 1:
        names = ", ".join(f"`{f.name}`" for f in found)
        raise DataError(
            f"`{folder}` has {names}; keep one so that it is clear which to read"
        )
    return found[0]


def iter_subjects(
    path: str | os.PathLike[str],
    policy: Policy,
    report: Report,
    legacy_codes: LegacyCodes = "reject",
) -> Iterator[tuple[Row, Subject]]:
    """Yield the subjects of one file that pass their checks, in constant memory.

    Rejections, notices and counts go to `report`; nothing is yielded for a bad row.
    """

    def coerce(row: Row, sink: Sink) -> Subject:
        return coerce_subject(
            policy, row.cells, legacy_codes=legacy_codes, on_warning=sink
        )

    report.file(str(path))
    for row in iter_rows(path):
        subject = _typed(row, report, coerce)
        if subject is not None:
            yield row, subject


def iter_records(
    path: str | os.PathLike[str],
    policy: Policy,
    report: Report,
    legacy_codes: LegacyCodes = "reject",
    subject_known: Callable[[str], bool] | None = None,
) -> Iterator[tuple[Row, Record]]:
    """Yield the records of one file that pass their checks, in constant memory.

    Args:
        path: The records file.
        policy: The policy that types the rows.
        report: Receives rejections, notices and counts.
        legacy_codes: What to do with legacy credit codes.
        subject_known: Whether a subject id is known; a record for an unknown
            subject is rejected. None accepts every subject.

    Yields:
        Each good row with its record.
    """

    def coerce(row: Row, sink: Sink) -> Record:
        type_name = row.cells.get("type") or ""
        return coerce_row(
            policy, type_name, row.cells, legacy_codes=legacy_codes, on_warning=sink
        )

    report.file(str(path))
    for row in iter_rows(path):
        record = _typed(row, report, coerce)
        if record is None:
            continue
        if subject_known is not None and not subject_known(record.subject):
            report.undo_accept(row.file)
            report.reject(
                Rejection(
                    row.file,
                    row.line,
                    "subject",
                    f"subject `{record.subject}` is not among the subjects; add it to "
                    "the subjects file first",
                    row.raw,
                )
            )
            continue
        yield row, record


def _typed(row: Row, report: Report, coerce: Callable[[Row, Sink], T]) -> T | None:
    """Run `coerce` on a row, turning its problems into rejections."""
    if row.problem is not None:
        report.reject(Rejection(row.file, row.line, None, row.problem, row.raw))
        return None
    if row.notice is not None:
        report.notice(Notice(row.file, row.line, None, row.notice))

    def sink(warning: LegacyCodeWarning) -> None:
        report.notice(Notice(row.file, row.line, warning.field, warning.reason))

    try:
        value = coerce(row, sink)
    except RecordError as error:
        report.reject(Rejection(row.file, row.line, error.field, error.reason, row.raw))
        return None
    report.accept(row.file)
    return value


def _unique(rows: Iterator[tuple[Row, Item]], report: Report) -> list[Item]:
    """Keep the first of each id; a later different one is rejected."""
    first: dict[str, tuple[int, Item]] = {}
    kept: list[Item] = []
    for row, item in rows:
        seen = first.get(item.id)
        if seen is None:
            first[item.id] = (row.line, item)
            kept.append(item)
        elif seen[1] == item:
            report.notice(
                Notice(
                    row.file,
                    row.line,
                    "id",
                    f"`{item.id}` repeats line {seen[0]} exactly; kept once",
                )
            )
        else:
            report.undo_accept(row.file)
            report.reject(
                Rejection(
                    row.file,
                    row.line,
                    "id",
                    f"id `{item.id}` was given on line {seen[0]} with other contents; "
                    "give each row its own id, or send a correction",
                    row.raw,
                )
            )
    return kept
