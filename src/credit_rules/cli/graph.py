"""`credit-rules graph`: the compiled evaluation graph as DOT or Mermaid.

Record types lead to rules, rules to groups and the score, the score and the
vetoes to the tier, the tier to lists, supervision and effects. Pipe DOT into
Graphviz (`dot -Tsvg`), or paste Mermaid into any Markdown page that renders it.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from credit_rules.cli.common import (
    add_format_argument,
    add_policy_argument,
    example_parser,
)
from credit_rules.cli.grading import require_policy
from credit_rules.engine.compiler import compile_policy
from credit_rules.explain.graph import plan_graph, to_dot, to_mermaid

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

EXAMPLE = """
credit-rules graph --policy policies/huaian | dot -Tsvg > huaian.svg
credit-rules graph --policy policies/jiangsu --format mermaid
"""


def register(subparsers: Subparsers) -> None:
    """Add the `graph` command's parser."""
    parser = example_parser(
        subparsers, "graph", "draw the compiled evaluation graph", EXAMPLE
    )
    add_policy_argument(parser)
    add_format_argument(parser, ("dot", "mermaid"), "dot")


def run(args: argparse.Namespace) -> int:
    """Print the policy's graph."""
    policy = require_policy(args.policy)
    graph = plan_graph(compile_policy(policy))
    text = to_mermaid(graph) if args.format == "mermaid" else to_dot(graph, policy.name)
    sys.stdout.write(text)
    return 0
