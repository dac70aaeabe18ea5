"""`credit-rules ingest`: append a dataset to an archive, row by row.

Every row is typed and checked by the policy, then appended to the archive in one
transaction: a killed import leaves the archive as it was. Bad rows are rejected
with their file, line, field and reason, written to a rejects file (by default
beside the archive) and counted; the summary prints, per file, read = accepted +
rejected. Importing the same data again adds nothing; an id already in the
archive with other contents is rejected as a conflict. Exit codes: 0 when every
row was accepted, 1 when any was rejected, 2 for bad usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from credit_rules.cli.common import add_policy_argument, example_parser, progress
from credit_rules.dsl import load_policy
from credit_rules.io import (
    Rejection,
    Report,
    dataset_files,
    iter_records,
    iter_subjects,
)
from credit_rules.io.rows import Row
from credit_rules.store import Conflict, Entry, SqliteStore

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

SHOWN_REJECTIONS = 20
"""How many rejections are printed; the rejects file has them all."""


def register(subparsers: Subparsers) -> None:
    """Add the `ingest` command's parser."""
    parser = example_parser(
        subparsers,
        "ingest",
        help="append a dataset to an archive, rejecting bad rows with their reason",
        example="credit-rules ingest --archive huaian.db --data examples/huaian "
        "--policy policies/huaian",
    )
    parser.add_argument(
        "--archive",
        type=Path,
        required=True,
        metavar="PATH",
        help="the archive file, made if missing",
    )
    parser.add_argument(
        "--data",
        type=Path,
        required=True,
        metavar="DIR",
        help="the dataset folder with subjects and records",
    )
    add_policy_argument(parser, help="the policy whose declarations type the rows")
    parser.add_argument(
        "--rejects",
        type=Path,
        metavar="FILE",
        help="where to write rejected rows (default: ARCHIVE.rejects.csv)",
    )
    parser.add_argument(
        "--legacy-codes",
        choices=("reject", "warn"),
        default="reject",
        help="what to do with credit codes that fail only their check character (default: reject)",
    )
    parser.add_argument(
        "--by",
        default=None,
        metavar="NAME",
        help="who imports, kept in the audit trail (default: the login name)",
    )


def run(args: argparse.Namespace) -> int:
    """Ingest `args.data` into `args.archive` and return the exit code."""
    policy = load_policy(args.policy)
    subjects_file, records_file = dataset_files(args.data)
    rejects = args.rejects or args.archive.with_name(args.archive.name + ".rejects.csv")
    by = args.by or getpass.getuser()

    current: list[Row] = []

    def entries(report: Report) -> Iterator[Entry]:
        for row, subject in iter_subjects(
            subjects_file, policy, report, args.legacy_codes
        ):
            current[:] = [row]
            yield subject
        for row, record in iter_records(
            records_file, policy, report, args.legacy_codes
        ):
            current[:] = [row]
            yield record

    shown = _Shown()
    with (
        Report(rejects, keep=False, on_reject=shown) as report,
        SqliteStore(args.archive, by=by) as store,
    ):

        def conflict(found: Conflict) -> None:
            row = current[0]
            report.undo_accept(row.file)
            report.reject(Rejection(row.file, row.line, "id", found.reason, row.raw))

        items = progress(entries(report), None, "ingesting")
        result = store.append(items, by=by, source=str(args.data), on_conflict=conflict)

    for counts in report.counts.values():
        print(counts.summary())
    print(
        f"archive `{args.archive}`: added {result.added}, already there {result.unchanged}"
    )
    if report.total_rejected:
        print(f"rejected rows are in `{rejects}`", file=sys.stderr)
        return 1
    return 0


class _Shown:
    """Prints the first rejections on standard error as they happen."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, rejection: Rejection) -> None:
        self.count += 1
        if self.count > SHOWN_REJECTIONS:
            return
        field = f" field `{rejection.field}`:" if rejection.field else ""
        print(
            f"{rejection.file}:{rejection.line}:{field} {rejection.reason}",
            file=sys.stderr,
        )
