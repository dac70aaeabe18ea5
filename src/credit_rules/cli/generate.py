"""`credit-rules generate`: a realistic synthetic dataset of Huai'an producers.

Writes `subjects` and `records` (CSV or JSONL) for N subjects with about ten
records each over five years, the same for the same seed, streaming so that a
million subjects need no more memory than ten. The record types are those of the
policy given, by default `policies/huaian` of the current folder (the project's
own). Exit codes: 0 on success, 2 for bad usage.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from credit_rules.cli.common import (
    add_format_argument,
    add_policy_argument,
    example_parser,
    progress,
)
from credit_rules.dsl import load_policy
from credit_rules.errors import UsageError
from credit_rules.generate import generate
from credit_rules.io import write_dataset

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

DEFAULT_POLICY = Path("policies") / "huaian"
"""The policy used without `--policy`, relative to the current folder."""


def register(subparsers: Subparsers) -> None:
    """Add the `generate` command's parser."""
    parser = example_parser(
        subparsers,
        "generate",
        help="write a realistic synthetic dataset of producers and their records",
        example="credit-rules generate --subjects 3000 --seed 2020 --out examples/huaian "
        "--policy policies/huaian",
    )
    parser.add_argument(
        "--subjects", type=int, required=True, metavar="N", help="how many subjects"
    )
    parser.add_argument(
        "--seed",
        type=int,
        required=True,
        metavar="S",
        help="the seed; the same seed gives the same data",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="the dataset folder to write",
    )
    add_policy_argument(
        parser,
        required=False,
        help=f"the policy whose record types to fill (default: {DEFAULT_POLICY})",
    )
    add_format_argument(parser, ("csv", "jsonl"), "csv")


def run(args: argparse.Namespace) -> int:
    """Generate the dataset and return the exit code.

    Raises:
        UsageError: If the number of subjects is negative.
    """
    if args.subjects < 0:
        raise UsageError(
            f"`--subjects {args.subjects}` is negative; give a count of 0 or more"
        )
    path = args.policy or DEFAULT_POLICY
    if not path.exists():
        raise UsageError(f"there is no policy `{path}`; give one with `--policy PATH`")
    policy = load_policy(path)
    items = progress(generate(policy, args.subjects, args.seed), None, "generating")
    counts = write_dataset(args.out, policy, items, args.format)
    print(
        f"wrote {counts.subjects} subjects and {counts.records} records to `{args.out}`"
    )
    return 0
