"""The compiled evaluation graph, drawn for a person: DOT (Graphviz) or Mermaid.

Nodes are the plan's nodes, labelled with the names and labels of the rules,
groups, tiers, vetoes, lists, effects and repair classes they compute; queries
and conditions show their condition. Record types are nodes of their own, so
the edges run from record types to rules, groups, the score, the tier, lists
and effects.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from credit_rules.dsl import ast
from credit_rules.engine.plan import Plan

__all__ = ["plan_graph", "to_dot", "to_mermaid"]

ANY_RECORD = "record:*"

_SHAPES = {
    "record": "note",
    "rule": "box",
    "group": "box3d",
    "score": "doubleoctagon",
    "query": "ellipse",
    "condition": "diamond",
    "veto": "octagon",
    "tier": "doubleoctagon",
    "list": "folder",
    "effect": "component",
    "supervision": "tab",
    "repairs": "cds",
    "first_record": "ellipse",
}


def plan_graph(plan: Plan) -> nx.DiGraph:
    r"""Return the plan as a graph whose nodes carry `kind` and a readable `label`.

    Example:
        >>> graph = plan_graph(compile_policy(load_policy("policies/jiangsu")))  # doctest: +SKIP
        >>> graph.nodes["rule:sampling_failure"]["label"]  # doctest: +SKIP
        'rule sampling_failure\n监测抽检不合格 / sampling test failed'
    """
    graph = nx.DiGraph()
    policy = plan.policy
    queries: dict[str, str] = {}
    for node in plan.nodes:
        text = _label(policy, node.name, node.kind, node.spec, queries)
        if node.kind == "query":
            queries[node.name] = text
        graph.add_node(node.name, kind=node.kind, label=text)
        for name in node.inputs:
            graph.add_edge(name, node.name)
        for record_type in node.reads:
            source = ANY_RECORD if record_type == "*" else f"record:{record_type}"
            if source not in graph:
                declared = policy.records.get(record_type) if policy else None
                text = "any record" if record_type == "*" else f"record {record_type}"
                graph.add_node(source, kind="record", label=_with_label(text, declared))
            graph.add_edge(source, node.name)
    return graph


def _label(
    policy: Any, name: str, kind: str, spec: Any, queries: dict[str, str]
) -> str:
    short = name.split(":", 1)[-1]
    declared: Any = None
    if policy is not None:
        tables = {
            "rule": policy.rules,
            "group": policy.groups,
            "veto": policy.vetoes,
            "list": policy.lists,
            "effect": policy.effects,
            "repairs": policy.repairs,
        }
        declared = tables.get(kind, {}).get(short)
    if kind == "query":
        within = f" within {_duration(spec.within)}" if spec.within else ""
        where = f" where {_expr(spec.where, queries)}" if spec.where is not None else ""
        return f"{spec.record_type}{where}{within}"
    if kind == "condition":
        return _expr(spec.expr, queries)
    if kind == "tier" and policy is not None and policy.tiers is not None:
        tiers = " > ".join(tier.name for tier in policy.tiers.tiers)
        return _with_label(f"tier {tiers}", policy.tiers)
    if kind == "score" and policy is not None and policy.score is not None:
        return _with_label("score", policy.score)
    if kind in ("score", "tier", "supervision", "first_record"):
        return kind.replace("_", " ")
    word = "repair" if kind == "repairs" else kind
    return _with_label(f"{word} {short}", declared)


def _with_label(text: str, declared: Any) -> str:
    found: ast.Label | None = getattr(declared, "label", None)
    if found is None:
        return text
    both = f"{found.zh} / {found.en}" if found.en else found.zh
    return f"{text}\n{both}"


def _duration(duration: ast.Duration) -> str:
    plural = "" if duration.amount == 1 else "s"
    return f"{duration.amount} {duration.unit}{plural}"


def _expr(expr: Any, queries: dict[str, str]) -> str:
    """Return a lowered condition as text close to how the policy writes it."""
    if not isinstance(expr, tuple) or not expr:
        return queries.get(str(expr), str(expr))
    tag, *rest = expr
    if tag in ("and", "or"):
        parts = []
        for part in rest[0]:
            text = _expr(part, queries)
            nested = isinstance(part, tuple) and part[:1] in (("and",), ("or",))
            parts.append(f"({text})" if nested and part[0] != tag else text)
        return f" {tag} ".join(parts)
    if tag == "not":
        return f"not {_expr(rest[0], queries)}"
    if tag == "cmp":
        op, left, right = rest
        return f"{_expr(left, queries)} {op} {_expr(right, queries)}"
    if tag in ("node", "const", "field") and len(rest) == 1:
        return queries.get(str(rest[0]), str(rest[0]))
    if tag == "subject" and len(rest) == 1:
        return f"subject.{rest[0]}"
    return f"{tag}({', '.join(_expr(part, queries) for part in rest)})"


def _order(graph: nx.DiGraph) -> list[str]:
    return list(nx.lexicographical_topological_sort(graph))


def to_dot(graph: nx.DiGraph, name: str = "policy") -> str:
    """Return the graph in Graphviz DOT, left to right, nodes in dependency order."""
    lines = [
        f"digraph {_quote(name)} {{",
        "  rankdir=LR;",
        '  node [fontname="sans-serif"];',
    ]
    for node in _order(graph):
        data = graph.nodes[node]
        shape = _SHAPES.get(data["kind"], "box")
        lines.append(
            f"  {_quote(node)} [label={_quote(data['label'])}, shape={shape}];"
        )
    for source, target in sorted(graph.edges):
        lines.append(f"  {_quote(source)} -> {_quote(target)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def to_mermaid(graph: nx.DiGraph) -> str:
    """Return the graph as a Mermaid flowchart, left to right."""
    ids = {node: f"n{number}" for number, node in enumerate(_order(graph))}
    lines = ["flowchart LR"]
    for node, short in ids.items():
        text = graph.nodes[node]["label"].replace('"', "#quot;").replace("\n", "<br/>")
        lines.append(f'  {short}["{text}"]')
    for source, target in sorted(graph.edges):
        lines.append(f"  {ids[source]} --> {ids[target]}")
    return "\n".join(lines) + "\n"
