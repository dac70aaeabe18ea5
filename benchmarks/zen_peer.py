"""The comparison policy as a JDM decision graph for `zen-engine`.

The graph: a decision table run once per record (loop mode, first hit) gives
each record its rule and points; an expression node sums and caps every rule; a
second one adds the bonus group, the base and the range; a last decision table
gives the tier by thresholds. Running this module writes the graph to
`peers_policy.jdm.json`, the file the benchmark loads.
"""

from __future__ import annotations

import itertools
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GRAPH = HERE / "peers_policy.jdm.json"

COLUMNS = ("type", "since", "until_today", "severity", "result", "revoked", "valid_from",
           "valid_until", "batches", "disputed", "retest", "substantiated")  # fmt: skip
FIELDS = {"since": "date", "until_today": "date"}
ON_OR_AFTER = ">= $nodes.request.since.{}"
TODAY = "$nodes.request.as_of"

# rule, points, cells by column (a missing column matches anything).
ROWS: list[tuple[str, int, dict[str, str]]] = [
    ("valid_certification", 5, {"type": '"certification"', "revoked": "false",
     "valid_from": f"<= {TODAY}", "valid_until": f"> {TODAY}"}),
    ("conformity_certificates", 1, {"type": '"conformity_certificate"', "batches": ">= 1", "since": "y1"}),
    ("traceability", 1, {"type": '"traceability_upload"', "since": "y1"}),
    ("standardized", 5, {"type": '"standardized_production"', "since": "y2"}),
    ("training_attended", 2, {"type": '"training"', "since": "y1"}),
    ("penalty_serious", -30, {"type": '"penalty"', "severity": '"serious"', "since": "y3"}),
    ("penalty_general", -10, {"type": '"penalty"', "severity": '"general"', "since": "y1"}),
    ("penalty_minor", -3, {"type": '"penalty"', "severity": '"minor"', "since": "m3"}),
    ("sampling_failure", -10, {"type": '"sampling_test"', "result": '"fail"', "disputed": "false", "since": "y1"}),
    ("sampling_failure", -10, {"type": '"sampling_test"', "result": '"fail"', "retest": '"retest_fail"', "since": "y1"}),
    ("inspection_problem", -2, {"type": '"inspection"', "result": '"problem"', "since": "m3"}),
    ("inspection_serious_problem", -5, {"type": '"inspection"', "result": '"serious_problem"', "since": "y1"}),
    ("substantiated_complaint", -2, {"type": '"complaint"', "substantiated": "true", "since": "m3"}),
    ("false_materials_found", -20, {"type": '"false_materials"', "since": "y3"}),
]  # fmt: skip
CAPS = {"valid_certification": 10, "conformity_certificates": 5, "traceability": 3,
        "standardized": 5, "training_attended": 4, "penalty_general": -30,
        "penalty_minor": -9, "sampling_failure": -45, "inspection_problem": -6,
        "substantiated_complaint": -6}  # fmt: skip
BONUS = (
    "valid_certification",
    "conformity_certificates",
    "traceability",
    "standardized",
    "training_attended",
)
TIERS = (("A", ">= 90"), ("B", ">= 75"), ("C", ">= 60"), ("D", ""))


def graph() -> dict[str, Any]:
    """Return the decision graph of the comparison policy."""
    nodes = [
        _node("inputNode", "request", None),
        _node("decisionTableNode", "points", _points_table()),
        _node("expressionNode", "totals", _expressions(_totals())),
        _node("expressionNode", "score", _expressions(_score())),
        _node("decisionTableNode", "tier", _tier_table()),
        _node("outputNode", "response", None),
    ]
    edges = [
        {"id": f"e{i}", "type": "edge", "sourceId": a["id"], "targetId": b["id"]}
        for i, (a, b) in enumerate(itertools.pairwise(nodes))
    ]
    return {
        "contentType": "application/vnd.gorules.decision",
        "nodes": nodes,
        "edges": edges,
    }


def _node(kind: str, name: str, content: dict[str, Any] | None) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": name,
        "type": kind,
        "name": name,
        "position": {"x": 0, "y": 0},
    }
    if content is not None:
        node["content"] = content
    return node


def _points_table() -> dict[str, Any]:
    inputs = [
        {"id": c, "name": c, "type": "expression", "field": FIELDS.get(c, c)}
        for c in COLUMNS
    ]
    outputs = [
        {"id": o, "name": o, "type": "expression", "field": o}
        for o in ("rule", "points")
    ]
    rules = []
    for index, (rule, points, cells) in enumerate([*ROWS, ("none", 0, {})]):
        row = {"_id": f"r{index}", "rule": json.dumps(rule), "points": str(points)}
        for column in COLUMNS:
            row[column] = cells.get(column, "")
        if "since" in cells:
            row["since"] = ON_OR_AFTER.format(cells["since"])
        if cells:
            row["until_today"] = f"<= {TODAY}"
        rules.append(row)
    return {"hitPolicy": "first", "executionMode": "loop", "inputField": "records",
            "outputPath": "matches", "inputs": inputs, "outputs": outputs, "rules": rules}  # fmt: skip


def _totals() -> list[tuple[str, str]]:
    names = dict.fromkeys(rule for rule, _, _ in ROWS)
    expressions = []
    for rule in names:
        total = f"sum(map(filter(matches, #.rule == '{rule}'), #.points))"
        cap = CAPS.get(rule)
        if cap is not None:
            total = f"{'min' if cap > 0 else 'max'}([{total}, {cap}])"
        expressions.append((rule, total))
    return expressions


def _score() -> list[tuple[str, str]]:
    names = dict.fromkeys(rule for rule, _, _ in ROWS)
    bonus = " + ".join(BONUS)
    others = " + ".join(rule for rule in names if rule not in BONUS)
    return [
        ("score", f"round(min([max([80 + min([{bonus}, 20]) + {others}, 0]), 100]), 1)")
    ]


def _expressions(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "expressions": [
            {"id": key, "key": key, "value": value} for key, value in pairs
        ],
        "passThrough": False,
    }


def _tier_table() -> dict[str, Any]:
    rules = [
        {"_id": tier, "score": cell, "tier": json.dumps(tier)} for tier, cell in TIERS
    ]
    return {"hitPolicy": "first", "passThrough": True,
            "inputs": [{"id": "score", "name": "score", "type": "expression", "field": "score"}],
            "outputs": [{"id": "tier", "name": "tier", "type": "expression", "field": "tier"}],
            "rules": rules}  # fmt: skip


def decision() -> Any:
    """Return the loaded decision, from the graph file."""
    import zen

    return zen.ZenEngine().create_decision(GRAPH.read_text(encoding="utf-8"))


def assess_all(
    decision: Any, inputs: list[dict[str, Any]]
) -> list[tuple[str, Decimal, str]]:
    """Evaluate the graph once per subject; return each id, score and tier."""
    results = []
    for subject in inputs:
        result = decision.evaluate(subject)["result"]
        results.append((subject["id"], Decimal(str(result["score"])), result["tier"]))
    return results


if __name__ == "__main__":
    GRAPH.write_text(
        json.dumps(graph(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {GRAPH.name}")
