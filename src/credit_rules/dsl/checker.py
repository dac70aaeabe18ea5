"""Check a loaded policy: names, types, required parts, tiers, cycles, unused things.

The checker is a table of passes, each a function of the policy that reports what
it finds; all of them run, so that one run shows every problem. Every pass is in a
module of its own, which defines the codes it reports:

| pass | module | codes |
|---|---|---|
| names in declarations | `check_names` | E2001, E2005-E2008, E2011-E2013, E2015 |
| conditions and their types | `check_types` | E2002-E2004, E2009, E2010, E2014, E2016, E21xx |
| required parts and numbers | `check_parts` | E2201-E2211, W2201, W2202 |
| tiers over the score range | `check_tiers` | E23xx, W2301, W2302 |
| cycles of dependencies | `check_graph` | E2401 |
| unused declarations | `check_unused` | W2001 |
"""

from __future__ import annotations

from collections.abc import Callable

from credit_rules.dsl.check_common import Scope
from credit_rules.dsl.check_graph import check_graph
from credit_rules.dsl.check_names import check_names
from credit_rules.dsl.check_parts import check_parts
from credit_rules.dsl.check_tiers import check_tiers
from credit_rules.dsl.check_types import check_conditions
from credit_rules.dsl.check_unused import check_unused
from credit_rules.dsl.diagnostics import Diagnostic, define, sort_key
from credit_rules.dsl.policy import Policy
from credit_rules.dsl.span import Span

PASSES: tuple[tuple[str, Callable[[Scope], None]], ...] = (
    ("names", check_names),
    ("conditions", check_conditions),
    ("parts", check_parts),
    ("tiers", check_tiers),
    ("cycles", check_graph),
    ("unused", check_unused),
)
"""The checker's passes, in the order they run."""

TOO_DEEP = define(
    "E2901",
    "a condition of this policy nests too deeply to check",
    "本政策中有条件嵌套过深，无法检查",
    help=(
        "simplify long chains of `not` and brackets",
        "请简化过长的 `not` 链和括号嵌套",
    ),
)


def check(policy: Policy) -> list[Diagnostic]:
    """Return every problem the checker finds in a loaded policy, sorted.

    Args:
        policy: A policy as the loader returns it.

    Returns:
        The diagnostics, errors and warnings, sorted by file, line and column.

    Example:
        >>> from credit_rules.dsl.loader import load
        >>> policy = load("policies/jiangsu")  # doctest: +SKIP
        >>> [d.code for d in check(policy) if d.is_error]  # doctest: +SKIP
        []
    """
    scope = Scope(policy)
    for _, run in PASSES:
        try:
            run(scope)
        except RecursionError:
            # The parser's limits keep conditions shallow; this is the last
            # guard should a tree built another way be deeper still.
            scope.report(TOO_DEEP.at(Span.point(policy.root)))
    return sorted(set(scope.diagnostics), key=sort_key)
