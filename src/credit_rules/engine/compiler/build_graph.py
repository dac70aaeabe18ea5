"""The `build_graph` pass: the dependency graph of the nodes, as networkx.

An edge `a -> b` means that `b` reads `a`'s value. The graph serves the compiler
only (ordering, cycle reports, export as a picture); the runtime never touches
it.
"""

from __future__ import annotations

from typing import Any

import attrs
import networkx as nx

from credit_rules.engine.compiler.lower import Lowered


@attrs.frozen
class Graph:
    """The lowered nodes and their dependency graph.

    Attributes:
        lowered: The previous pass's result.
        graph: A `networkx.DiGraph` over node names, with `position` (the order
            the node was made in) and `kind` as node attributes.
    """

    lowered: Lowered
    graph: Any = attrs.field(eq=False)


def build_graph(lowered: Lowered) -> Graph:
    """Return the dependency graph of the lowered nodes."""
    graph = nx.DiGraph()
    for position, node in enumerate(lowered.nodes):
        graph.add_node(node.name, position=position, kind=node.kind)
    for node in lowered.nodes:
        for source in node.inputs:
            graph.add_edge(source, node.name)
    return Graph(lowered, graph)
