"""`credit-rules history`: the audit trail of one subject in an archive.

Each line is one entry as it was appended: when (UTC), by whom, what (the subject,
a record, a correction or a retraction), its id, a summary and where it came
from. Nothing in an archive is changed in place, so the trail is complete.
Exit codes: 0 when the subject has a trail, 1 when the archive has nothing on it,
2 for bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from credit_rules.cli.common import add_format_argument, example_parser
from credit_rules.errors import UsageError
from credit_rules.store import HistoryEntry, SqliteStore

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers


def register(subparsers: Subparsers) -> None:
    """Add the `history` command's parser."""
    parser = example_parser(
        subparsers,
        "history",
        help="show the audit trail of one subject in an archive",
        example="credit-rules history --archive huaian.db 92320803MA3AGYGL5L",
    )
    parser.add_argument(
        "--archive", type=Path, required=True, metavar="PATH", help="the archive file"
    )
    parser.add_argument("subject", metavar="SUBJECT", help="the subject's id")
    add_format_argument(parser, ("text", "json"), "text")


def run(args: argparse.Namespace) -> int:
    """Print the trail of `args.subject` and return the exit code.

    Raises:
        UsageError: If the archive file does not exist.
    """
    if not args.archive.is_file():
        raise UsageError(
            f"there is no archive `{args.archive}`; make one with `credit-rules ingest`"
        )
    with SqliteStore(args.archive) as store:
        trail = store.history(args.subject)
    if not trail:
        print(
            f"the archive has nothing on subject `{args.subject}`; check the id",
            file=sys.stderr,
        )
        return 1

    if args.format == "json":
        print(
            json.dumps([_json(entry) for entry in trail], ensure_ascii=False, indent=2)
        )
    else:
        for entry in trail:
            print(_line(entry))
    return 0


def _line(entry: HistoryEntry) -> str:
    at = entry.at.strftime("%Y-%m-%d %H:%M:%S")
    source = f"  ({entry.source})" if entry.source else ""
    return f"{at}  {entry.by}  {entry.kind:<10}  {entry.id}  {entry.summary}{source}"


def _json(entry: HistoryEntry) -> dict[str, object]:
    data = attrs.asdict(entry)
    data["at"] = entry.at.isoformat()
    return data
