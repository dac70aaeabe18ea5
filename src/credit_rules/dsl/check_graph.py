"""Check that tiers, vetoes, lists and effects do not depend on themselves.

The tier depends on the score, on every veto (each can force it down) and on what
its conditions read; a veto, a list or an effect depends on what its conditions
read (`tier`, `listed(L)`, `active(E)`). A circle among them has no meaning, such
as a tier that needs `listed(red)` while the red list enters `when tier == A`. The
score cannot take part: point rules read records only. Each circle is reported
once, with its whole path.
"""

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx

from credit_rules.dsl import ast
from credit_rules.dsl.check_common import Scope, walk
from credit_rules.dsl.diagnostics import define
from credit_rules.dsl.span import Span

TIER = "tier"
"""The node of the tier."""

CYCLE = define(
    "E2401",
    "these depend on each other in a circle: {path}",
    "以下各项循环依赖：{path}",
    help=(
        "break the circle, e.g. by basing one of them on records or the score instead",
        "请打破循环，例如让其中一项改为依据记录或分数",
    ),
)


def check_graph(scope: Scope) -> None:
    """Report every circle of dependencies among tiers, vetoes, lists and effects."""
    graph = dependency_graph(scope)
    order = {node: index for index, node in enumerate(graph.nodes)}
    components = [
        sorted(component, key=order.__getitem__)
        for component in nx.strongly_connected_components(graph)
    ]
    for component in sorted(components, key=lambda c: order[c[0]]):
        first = component[0]
        if len(component) == 1 and not graph.has_edge(first, first):
            continue
        cycle = _rotate(nx.find_cycle(graph.subgraph(component), source=first))
        path = " → ".join([*(u for u, _ in cycle), cycle[0][0]])
        spans = [graph.edges[u, v]["span"] for u, v in cycle]
        span = next((s for s in spans if s is not None), Span.point(scope.policy.root))
        scope.report(CYCLE.at(span, path=path))


def dependency_graph(scope: Scope) -> nx.DiGraph:
    """Return the graph of what reads what.

    An edge `a → b` says that `a` reads `b`; its `span` is the reference that
    makes it, or None when the reading is implied (the tier reads every veto).
    """
    policy = scope.policy
    graph = nx.DiGraph()
    sources: list[tuple[str, list[ast.Expr | None]]] = []
    if policy.tiers is not None:
        sources.append((TIER, [t.when for t in policy.tiers.tiers]))
    sources += [(f"veto {n}", [v.when]) for n, v in policy.vetoes.items()]
    sources += [
        (f"list {n}", [entry.enter_when, entry.leave_when])
        for n, entry in policy.lists.items()
    ]
    sources += [(f"effect {n}", [e.when]) for n, e in policy.effects.items()]
    graph.add_nodes_from(node for node, _ in sources)

    if policy.tiers is not None:
        for name in policy.vetoes:
            # The veto forces the tier down: the tier reads the veto.
            graph.add_edge(TIER, f"veto {name}", span=None)

    for node, conditions in sources:
        for condition in conditions:
            for target, span in _reads(condition):
                if target in graph and not graph.has_edge(node, target):
                    graph.add_edge(node, target, span=span)
    return graph


def _reads(expr: ast.Expr | None) -> Iterator[tuple[str, Span]]:
    if expr is None:
        return
    for node in walk(expr):
        match node:
            case ast.TierRef():
                yield TIER, node.span
            case ast.Listed(list_name=name):
                yield f"list {name}", node.span
            case ast.Active(effect_name=name):
                yield f"effect {name}", node.span


def _rotate(cycle: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Start a cycle at the tier, where a reader looks first, if it passes there."""
    for index, (u, _) in enumerate(cycle):
        if u == TIER:
            return cycle[index:] + cycle[:index]
    return cycle
