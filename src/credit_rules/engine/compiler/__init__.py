"""The compiler: a policy in, a `Plan` out, through named pure passes.

Each pass is a function of the previous pass's result and nothing else, one module
per pass, run in the order of `PASSES`:

| pass | gives |
|---|---|
| `resolve` | the policy with every name looked up: fields, repair classes |
| `lower` | the graph's nodes, conditions lowered to plain tuples |
| `build_graph` | the dependency graph (networkx), for cycle reports and export |
| `order` | the nodes in evaluation order; a cycle is a `PolicyError` |
| `fuse` | the `Plan`: positions, and per record type the nodes it touches |

Example, from the root of the repository:
    >>> from credit_rules.dsl import load_policy
    >>> plan = compile_policy(load_policy("policies/jiangsu"))
    >>> plan.nodes[plan.index["score"]].kind
    'score'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from credit_rules.dsl.policy import Policy
from credit_rules.engine.compiler.build_graph import build_graph
from credit_rules.engine.compiler.fuse import fuse
from credit_rules.engine.compiler.lower import lower
from credit_rules.engine.compiler.order import order
from credit_rules.engine.compiler.resolve import resolve
from credit_rules.engine.plan import Plan

PASSES: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("resolve", resolve),
    ("lower", lower),
    ("build_graph", build_graph),
    ("order", order),
    ("fuse", fuse),
)
"""The compiler's passes, in the order they run."""


def compile_policy(policy: Policy) -> Plan:
    """Compile a checked policy into a `Plan`.

    Raises:
        PolicyError: If the policy's conditions depend on each other in a cycle,
            or use a form the engine cannot evaluate.
    """
    value: Any = policy
    for _name, run in PASSES:
        value = run(value)
    plan: Plan = value
    return plan


__all__ = ["PASSES", "compile_policy"]
