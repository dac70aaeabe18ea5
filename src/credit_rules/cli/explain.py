"""`credit-rules explain`: why one subject has its grade, what changes it, how to repair.

The output is a tree of text (Chinese by default, `--lang en`), JSON
(`docs/schema/explanation.schema.json`) or a Markdown letter to the producer.
An unknown subject is one line with the closest known id, and exit code 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import TYPE_CHECKING

from credit_rules.cli.common import (
    add_as_of_argument,
    add_data_arguments,
    add_format_argument,
    add_lang_argument,
    add_policy_argument,
    example_parser,
)
from credit_rules.cli.grading import (
    add_reproduction_arguments,
    check_reproduction,
    load,
    require_policy,
    unknown_subject,
)
from credit_rules.explain import render_json, render_markdown, render_text, report

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

EXAMPLE = """
credit-rules explain --policy policies/huaian --data examples/huaian 92320813MANHHB2U52 --as-of 2026-06-30
credit-rules explain --policy policies/huaian --data examples/huaian 92320813MANHHB2U52 --lang en --format markdown
"""


def register(subparsers: Subparsers) -> None:
    """Add the `explain` command's parser."""
    parser = example_parser(
        subparsers,
        "explain",
        "explain one subject's grade: points, tier, lists, next change, repair",
        EXAMPLE,
    )
    add_policy_argument(parser)
    add_data_arguments(parser)
    parser.add_argument("subject", metavar="SUBJECT", help="the subject's id")
    add_as_of_argument(parser)
    add_lang_argument(parser)
    add_format_argument(parser, ("text", "json", "markdown"), "text")
    add_reproduction_arguments(parser)


def run(args: argparse.Namespace) -> int:
    """Print the explanation of one subject; 1 if the subject is unknown or rows were rejected."""
    policy = require_policy(args.policy)
    as_of = args.as_of or dt.date.today()
    loaded = load(
        policy,
        args.data,
        args.archive,
        as_of,
        only=args.subject,
        known_at=args.known_at,
    )
    engine = loaded.engine
    check_reproduction(args, engine)
    known = list(loaded.known)
    if args.subject not in known:
        print(
            f"credit-rules: error: {unknown_subject(args.subject, known)}",
            file=sys.stderr,
        )
        return 1

    explained = report(engine, args.subject, as_of)
    if args.format == "json":
        json.dump(render_json(explained), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(explained, args.lang))
    else:
        sys.stdout.write(render_text(explained, args.lang))
    return 1 if loaded.rejected else 0
