"""`credit-rules diff`: what changing a policy does to the grades of a population.

The same data is graded under the old policy (`--policy`) and the new one
(`--against`) on one date. The output is the tier migration matrix (old tiers
as rows, new tiers as columns), then every subject whose tier moves, with the
rules whose points differ for it. The exit code is 0 whether or not anything
moves; 1 if input rows were rejected.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from credit_rules.cli.common import (
    add_as_of_argument,
    add_data_arguments,
    add_format_argument,
    add_policy_argument,
    example_parser,
)
from credit_rules.cli.grading import load, require_policy
from credit_rules.explain.migration import Migration, migrate

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

EXAMPLE = """
credit-rules diff --policy policies/jiangsu --against policies/huaian --data examples/huaian
credit-rules diff --policy policies/huaian --against draft/huaian --data examples/huaian --as-of 2026-06-30
"""


def register(subparsers: Subparsers) -> None:
    """Add the `diff` command's parser."""
    parser = example_parser(
        subparsers,
        "diff",
        "show how a policy change moves subjects between tiers",
        EXAMPLE,
    )
    add_policy_argument(parser, help="the current policy folder or `.rules` file")
    add_policy_argument(parser, "--against", help="the changed policy to compare with")
    add_data_arguments(parser)
    add_as_of_argument(parser)
    add_format_argument(parser, ("text", "json"), "text")


def run(args: argparse.Namespace) -> int:
    """Print the migration matrix and the subjects that move."""
    old_policy = require_policy(args.policy)
    new_policy = require_policy(args.against)
    as_of = args.as_of or dt.date.today()
    old = load(old_policy, args.data, args.archive, as_of)
    # The same rows, read a second time: their rejections are already shown.
    new = load(new_policy, args.data, args.archive, as_of, err=io.StringIO())
    shared = [
        subject
        for subject in old.engine.subjects()
        if subject in set(new.engine.subjects())
    ]
    migration = migrate(old.engine, new.engine, shared, as_of)
    if args.format == "json":
        json.dump(to_json(migration), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        write_text(migration, len(shared), sys.stdout)
    return 1 if old.rejected or new.rejected else 0


def write_text(migration: Migration, total: int, out: TextIO) -> None:
    """Write the matrix, a summary line and the moves."""
    rows = list(migration.old_tiers) or sorted({old for old, _ in migration.counts})
    columns = list(migration.new_tiers) or sorted({new for _, new in migration.counts})
    width = max([len("old \\ new"), *(len(c) for c in columns), 5])
    out.write(
        "old \\ new".ljust(width) + "".join(c.rjust(width + 2) for c in columns) + "\n"
    )
    for row in rows:
        cells = "".join(
            str(migration.counts.get((row, c), 0)).rjust(width + 2) for c in columns
        )
        out.write(row.ljust(width) + cells + "\n")
    out.write(
        f"\n{total} subjects: {len(migration.moves)} change tier, "
        f"{migration.score_changes} change score\n"
    )
    for move in migration.moves:
        out.write(
            f"\n{move.subject}: {move.old_tier} → {move.new_tier} "
            f"(score {move.old_score} → {move.new_score})\n"
        )
        for name, before, after in move.rules:
            out.write(f"  {name}: {before} → {after}\n")
        if move.vetoes[0] != move.vetoes[1]:
            out.write(
                f"  vetoes: {', '.join(move.vetoes[0]) or '-'} → {', '.join(move.vetoes[1]) or '-'}\n"
            )
        if not move.rules and move.vetoes[0] == move.vetoes[1]:
            out.write("  same points; the tier conditions differ\n")


def to_json(migration: Migration) -> dict[str, Any]:
    """Return the migration as JSON-ready data."""
    return {
        "old_tiers": list(migration.old_tiers),
        "new_tiers": list(migration.new_tiers),
        "matrix": [
            {"old": old, "new": new, "subjects": count}
            for (old, new), count in sorted(migration.counts.items())
        ],
        "score_changes": migration.score_changes,
        "moves": [
            {
                "subject": move.subject,
                "old_tier": move.old_tier,
                "new_tier": move.new_tier,
                "old_score": str(move.old_score),
                "new_score": str(move.new_score),
                "rules": [
                    {"rule": name, "old_points": str(before), "new_points": str(after)}
                    for name, before, after in move.rules
                ],
                "old_vetoes": list(move.vetoes[0]),
                "new_vetoes": list(move.vetoes[1]),
            }
            for move in migration.moves
        ],
    }
