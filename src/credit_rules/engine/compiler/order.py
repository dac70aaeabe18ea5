"""The `order` pass: put the nodes in evaluation order, or report a cycle.

The order is a topological order of the dependency graph that breaks ties by the
order in which the nodes were made, so that it is the same in every process.
"""

from __future__ import annotations

import attrs
import networkx as nx

from credit_rules.dsl.diagnostics import define
from credit_rules.dsl.span import NOWHERE
from credit_rules.engine.compiler.build_graph import Graph
from credit_rules.engine.plan import Node
from credit_rules.errors import PolicyError

CYCLE = define(
    "E0901",
    "the policy's conditions depend on each other in a cycle: {cycle}",
    "政策中的条件相互依赖，形成循环：{cycle}",
    help=(
        "break the cycle, e.g. do not test a list in the condition that enters it",
        "请打破循环，例如不要在进入名单的条件中引用该名单本身",
    ),
)


@attrs.frozen
class Ordered:
    """The nodes in evaluation order.

    Attributes:
        graph: The previous pass's result.
        nodes: Every node, each after the nodes it reads.
    """

    graph: Graph
    nodes: tuple[Node, ...]


def order(graph: Graph) -> Ordered:
    """Return the nodes in a deterministic evaluation order.

    Raises:
        PolicyError: If some nodes depend on each other in a cycle.
    """
    dependencies = graph.graph
    try:
        cycle = nx.find_cycle(dependencies)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle is not None:
        path = " -> ".join([*(edge[0] for edge in cycle), cycle[0][0]])
        raise PolicyError([CYCLE.at(NOWHERE, cycle=path)])

    by_name = {node.name: node for node in graph.lowered.nodes}
    names = nx.lexicographical_topological_sort(
        dependencies, key=lambda name: dependencies.nodes[name]["position"]
    )
    return Ordered(graph, tuple(by_name[name] for name in names))
