"""The compiled graph drawn for a person."""

from __future__ import annotations

import networkx as nx

from credit_rules import compile_policy
from credit_rules.dsl.policy import Policy
from credit_rules.explain.graph import plan_graph, to_dot, to_mermaid


def test_edges_run_from_record_types_to_effects(jiangsu: Policy) -> None:
    """A penalty leads to its rule, the score, the tier, the serious list and its sanctions."""
    graph = plan_graph(compile_policy(jiangsu))
    for source, target in [
        ("record:penalty", "rule:penalty_serious"),
        ("rule:penalty_serious", "score"),
        ("score", "tier"),
        ("record:penalty", "list:serious"),
        ("list:serious", "effect:project_funds_barred"),
        ("tier", "supervision"),
    ]:
        assert nx.has_path(graph, source, target), (source, target)
    assert nx.is_directed_acyclic_graph(graph)


def test_nodes_carry_names_and_labels(jiangsu: Policy) -> None:
    """Rules show name and both labels; conditions show their condition."""
    graph = plan_graph(compile_policy(jiangsu))
    assert (
        "rule sampling_failure\n监测抽检不合格 / sampling test failed"
        == graph.nodes["rule:sampling_failure"]["label"]
    )
    labels = [data["label"] for _, data in graph.nodes(data=True)]
    assert (
        "count(sampling_test where result == fail and (not disputed or retest == retest_fail) within 1 year) >= 2"
        in labels
    )


def test_dot_and_mermaid_have_every_node_and_edge(jiangsu: Policy) -> None:
    """Both drawings hold one line per node and per edge."""
    graph = plan_graph(compile_policy(jiangsu))
    dot = to_dot(graph, "jiangsu")
    mermaid = to_mermaid(graph)
    assert dot.startswith('digraph "jiangsu" {')
    assert graph.number_of_edges() == dot.count(" -> ")
    assert mermaid.startswith("flowchart LR\n")
    assert graph.number_of_edges() == mermaid.count(" --> ")
    assert graph.number_of_nodes() == mermaid.count('["')
