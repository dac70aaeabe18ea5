"""`credit-rules publish`: the public form of one list, personal data left out.

The policy's engine grades every subject of the dataset or archive as of a date
and the subjects on the list are written with their name, credit code, the
list, the reason (the record that put them there) and the dates of the entry,
as CSV or JSON. Personal data (a representative's name, telephone and ID card
numbers) never appears: see `credit_rules.publish`. Exit codes: 0 on success,
1 when rows of the dataset were rejected (the list is still written from the
rest), 2 for bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from credit_rules.cli.common import (
    add_as_of_argument,
    add_data_arguments,
    add_format_argument,
    add_policy_argument,
    example_parser,
)
from credit_rules.dsl import load_policy
from credit_rules.dsl.policy import Policy
from credit_rules.engine.calendar import FOREVER
from credit_rules.engine.runtime import Engine
from credit_rules.errors import UsageError
from credit_rules.io import read_dataset
from credit_rules.publish import ListEntry, publish
from credit_rules.records import Record, Subject
from credit_rules.store import SqliteStore

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers


def register(subparsers: Subparsers) -> None:
    """Add the `publish` command's parser."""
    parser = example_parser(
        subparsers,
        "publish",
        help="write the public form of a list, without personal data",
        example="credit-rules publish --policy policies/huaian --data examples/huaian "
        "--list serious --format json",
    )
    add_policy_argument(parser)
    add_data_arguments(parser)
    parser.add_argument(
        "--list",
        required=True,
        metavar="NAME",
        help="the list to publish, e.g. `red` or `serious`",
    )
    add_as_of_argument(parser)
    add_format_argument(parser, ("csv", "json"), "csv")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="write to FILE instead of standard output",
    )


def run(args: argparse.Namespace) -> int:
    """Publish `args.list` and return the exit code.

    Raises:
        UsageError: If the policy has no such list.
    """
    policy = load_policy(args.policy)
    if args.list not in policy.lists:
        known = ", ".join(f"`{name}`" for name in policy.lists) or "none"
        raise UsageError(f"the policy has no list `{args.list}`; its lists: {known}")
    as_of: dt.date = args.as_of or dt.date.today()

    items, rejected = _items(args, policy, as_of)
    engine = Engine(policy, today=as_of)
    engine.ingest(items)
    subjects = {item.id: item for item in items if isinstance(item, Subject)}
    text = publish(
        policy,
        _entries(engine, policy, subjects, args.list, as_of),
        args.list,
        args.format,
    )

    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    if rejected:
        print(
            f"{rejected} rows of the dataset were rejected; run `credit-rules ingest` to see why",
            file=sys.stderr,
        )
        return 1
    return 0


def _items(
    args: argparse.Namespace, policy: Policy, as_of: dt.date
) -> tuple[list[Subject | Record], int]:
    if args.archive is not None:
        if not args.archive.is_file():
            raise UsageError(
                f"there is no archive `{args.archive}`; make one with `credit-rules ingest`"
            )
        with SqliteStore(args.archive) as store:
            return list(store.view(as_of)), 0
    data = read_dataset(args.data, policy)
    return list(data.items()), len(data.rejected)


def _entries(
    engine: Engine,
    policy: Policy,
    subjects: dict[str, Subject],
    list_name: str,
    as_of: dt.date,
) -> Iterator[ListEntry]:
    """The list's entries that cover `as_of`, with their cause in words."""
    for subject_id, subject in subjects.items():
        if list_name not in engine.assess(subject_id, as_of).lists:
            continue
        explanation = engine.explain(subject_id, as_of)
        for name, entries in explanation.entries:
            if name != list_name:
                continue
            for entry in entries:
                if entry.period.covers(as_of):
                    until = None if entry.period.end == FOREVER else entry.period.end
                    yield ListEntry(
                        subject,
                        name,
                        entry.period.start,
                        until,
                        _reason(engine, policy, entry.record, name),
                    )


def _reason(
    engine: Engine, policy: Policy, record_id: str | None, list_name: str
) -> str:
    """The cause of an entry: the record type's label and the record's id and date."""
    if record_id is None:
        label = policy.lists[list_name].label
        return f"符合{label.zh}条件" if label else "meets the list's condition"
    record = engine.store.record(record_id)
    if record is None:
        return record_id
    decl = policy.records.get(record.type)
    kind = decl.label.zh if decl is not None and decl.label else record.type
    return f"{kind} {record.id} ({record.date.isoformat()})"
