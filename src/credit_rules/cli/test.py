"""`credit-rules test PATH...`: run the scenario tests beside policies.

Each failing checkpoint is shown as `file:line`, scenario, subject and date, then
each item as expected and as assessed, and the explanation of what was assessed
(unless `--no-explain`). A summary line `N passed, M failed` follows,
then the rules, tiers, vetoes, lists, effects and repair classes no scenario
exercised. With `--engine`, the incremental engine lives through every scenario
too and its checkpoints count as well. The exit code is 1 if any checkpoint failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from credit_rules.cli.common import add_lang_argument, example_parser
from credit_rules.errors import UsageError

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers
    from credit_rules.scenarios import PolicyReport

EXAMPLE = """
credit-rules test policies/jiangsu policies/huaian
credit-rules test --engine --no-coverage policies/huaian
"""

_KIND_WORDS = {
    "rule": "rules",
    "tier": "tiers",
    "veto": "vetoes",
    "list": "lists",
    "effect": "effects",
    "repair": "repair classes",
}


def register(subparsers: Subparsers) -> None:
    """Add the `test` command's parser."""
    parser = example_parser(
        subparsers,
        "test",
        "run the scenario tests beside policies and report what they do not cover",
        EXAMPLE,
    )
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="policy folders"
    )
    parser.add_argument(
        "--engine",
        action="store_true",
        help="also live through every scenario in the incremental engine",
    )
    add_lang_argument(parser)
    parser.add_argument(
        "--no-explain",
        action="store_true",
        help="do not explain the assessment of a failed checkpoint",
    )
    parser.add_argument(
        "--no-coverage",
        action="store_true",
        help="do not list the declarations no scenario exercised",
    )


def run(args: argparse.Namespace) -> int:
    """Run every policy's scenarios; return 1 if any checkpoint failed."""
    from credit_rules.scenarios import run_policy, scenario_files

    reports = []
    for path in args.paths:
        if not path.exists():
            raise UsageError(f"`{path}` does not exist; give a policy folder")
        if not scenario_files(path):
            raise UsageError(
                f"`{path}` has no `scenarios/*.yaml`; add scenario files beside "
                "the policy"
            )
        explain = None if args.no_explain else args.lang
        reports.append(run_policy(path, engine=args.engine, explain=explain))

    out = sys.stdout
    for report in reports:
        _print_failures(report, out)
    passed = sum(report.passed for report in reports)
    failed = sum(report.failed for report in reports)
    scenarios = sum(report.scenario_count for report in reports)
    print(f"{passed} passed, {failed} failed ({scenarios} scenarios)", file=out)
    if not args.no_coverage:
        for report in reports:
            _print_uncovered(report, out)
    return 1 if failed else 0


def _print_failures(report: PolicyReport, out: TextIO) -> None:
    """Show each failing checkpoint, item by item."""
    for result in report.results:
        if result.passed:
            continue
        print(f"FAIL {result.where}", file=out)
        if result.error is not None:
            print(f"  error: {result.error}", file=out)
        for mismatch in result.mismatches:
            print(f"  {mismatch.item}: expected {mismatch.expected}", file=out)
            print(f"  {' ' * len(mismatch.item)}    actual {mismatch.actual}", file=out)
        if result.explanation:
            print("  why the assessment is what it is:", file=out)
            for line in result.explanation.splitlines():
                print(f"    {line}", file=out)


def _print_uncovered(report: PolicyReport, out: TextIO) -> None:
    """List the declarations of one policy that no checkpoint exercised."""
    uncovered = {
        kind: names for kind, names in report.coverage.uncovered().items() if names
    }
    if not uncovered and not report.coverage.unknown:
        print(
            f"{report.path}: every rule, tier, veto, list, effect and repair class is covered",
            file=out,
        )
        return
    for kind, names in uncovered.items():
        shown = ", ".join(f"`{name}`" for name in names)
        print(f"{report.path}: {_KIND_WORDS[kind]} not covered: {shown}", file=out)
    for kind in sorted(report.coverage.unknown):
        print(f"{report.path}: coverage of {_KIND_WORDS[kind]} unknown", file=out)
