"""The `fuse` pass: fix the nodes' positions and what each record type touches.

For every record type the pass computes, once, the nodes that read it directly
and the positions of everything downstream of them in evaluation order. At run
time an event then walks one precomputed tuple instead of a graph.
"""

from __future__ import annotations

import networkx as nx

from credit_rules.engine.compiler.order import Ordered
from credit_rules.engine.plan import ALL_TYPES, Plan, policy_digest


def fuse(ordered: Ordered) -> Plan:
    """Return the `Plan` of the ordered nodes."""
    nodes = ordered.nodes
    graph = ordered.graph.graph
    lowered = ordered.graph.lowered
    policy = lowered.resolved.policy
    index = {node.name: position for position, node in enumerate(nodes)}

    record_types = [*policy.records]
    for node in nodes:
        record_types.extend(t for t in node.reads if t != ALL_TYPES)
    sources: dict[str, tuple[int, ...]] = {}
    schedules: dict[str, tuple[int, ...]] = {}
    for record_type in [*dict.fromkeys(record_types), ALL_TYPES]:
        direct = {
            index[node.name]
            for node in nodes
            if record_type in node.reads
            or ALL_TYPES in node.reads
            or record_type == ALL_TYPES
        }
        reached = set(direct)
        for position in direct:
            reached.update(
                index[name] for name in nx.descendants(graph, nodes[position].name)
            )
        sources[record_type] = tuple(sorted(direct))
        schedules[record_type] = tuple(sorted(reached))

    return Plan(
        policy=policy,
        digest=policy_digest(policy),
        nodes=nodes,
        index=index,
        schedules=schedules,
        sources=sources,
        classifiers=lowered.classifiers,
        outputs=lowered.outputs,
    )
