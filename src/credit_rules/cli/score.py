"""`credit-rules score`: grade every subject of a dataset or an archive as of one date.

The table shows subject, name, score, tier, lists and supervision; `--format
json` writes one assessment object per subject (`docs/schema/assessment.schema.json`)
in a JSON array; `--format csv` one row per subject. A progress bar is drawn on
standard error when it is a terminal. Rejected input rows are reported on
standard error and make the exit code 1; the accepted subjects are graded all
the same.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from credit_rules.cli.common import (
    add_as_of_argument,
    add_data_arguments,
    add_format_argument,
    add_policy_argument,
    example_parser,
    progress,
)
from credit_rules.cli.grading import (
    add_reproduction_arguments,
    check_reproduction,
    load,
    require_policy,
)
from credit_rules.engine.assessment import Assessment

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

EXAMPLE = """
credit-rules score --policy policies/huaian --data examples/huaian --as-of 2026-06-30
credit-rules score --policy policies/huaian --data examples/huaian --format csv > grades.csv
"""

COLUMNS = ("subject", "name", "score", "tier", "lists", "supervision")
"""The columns of the table and of the CSV (which adds effects and next change)."""


def register(subparsers: Subparsers) -> None:
    """Add the `score` command's parser."""
    parser = example_parser(
        subparsers, "score", "grade every subject as of one date", EXAMPLE
    )
    add_policy_argument(parser)
    add_data_arguments(parser)
    add_as_of_argument(parser)
    add_format_argument(parser, ("table", "json", "csv"), "table")
    add_reproduction_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Grade every subject and print the grades; 1 if input rows were rejected."""
    policy = require_policy(args.policy)
    as_of = args.as_of or dt.date.today()
    loaded = load(policy, args.data, args.archive, as_of, known_at=args.known_at)
    engine = loaded.engine
    check_reproduction(args, engine)

    names = {s.id: _name(s.attribute_map.get("name")) for s in engine.store.subjects()}
    total = len(names)
    assessments = list(progress(engine.assess_all(as_of), total, "scoring"))

    out = sys.stdout
    if args.format == "json":
        json.dump([a.to_json() for a in assessments], out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        write_csv(assessments, names, out)
    else:
        write_table(assessments, names, out)
    return 1 if loaded.rejected else 0


def _name(value: object) -> str:
    return value if isinstance(value, str) else ""


def _row(assessment: Assessment, names: dict[str, str]) -> list[str]:
    supervision = assessment.supervision.name if assessment.supervision else ""
    return [
        assessment.subject,
        names.get(assessment.subject, ""),
        str(assessment.score),
        assessment.tier,
        ",".join(assessment.lists),
        supervision,
    ]


def write_csv(
    assessments: Sequence[Assessment], names: dict[str, str], out: TextIO
) -> None:
    """Write one CSV row per assessment, with a header."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*COLUMNS, "effects", "next_change"])
    for assessment in assessments:
        change = assessment.next_change.isoformat() if assessment.next_change else ""
        writer.writerow(
            [*_row(assessment, names), ",".join(assessment.effects), change]
        )


def write_table(
    assessments: Sequence[Assessment], names: dict[str, str], out: TextIO
) -> None:
    """Write the assessments as an aligned table (Chinese counts two columns wide)."""
    rows = [list(COLUMNS), *(_row(a, names) for a in assessments)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in rows:
        cells = [
            cell + " " * (width - _width(cell))
            for cell, width in zip(row, widths, strict=True)
        ]
        out.write("  ".join(cells).rstrip() + "\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
