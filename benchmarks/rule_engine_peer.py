"""The comparison policy as `rule-engine` rules, evaluated per record and per subject.

Each point rule is one rule-engine expression over a record, compiled for the
date asked (the first counting day of each period is a constant of the
expression). The rules are indexed by the record type they are about, so a
record is matched only against its type's rules, as a host would do. Per
subject, one expression caps every rule's total, adds the bonus group, the base
and the range; the tiers are four rules tried in order.

(One expression per rule summing over all a subject's records with a
comprehension gives the same answers but was some 200 times slower than the
engine, so each record is matched on its own.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from population import counting_since

# rule: (record type, points, condition on the record's fields, cap or None)
RULES: dict[str, tuple[str, int, str, int | None]] = {
    "valid_certification": ("certification", 5, "not revoked and date <= {today} and valid_from <= {today} and {today} < valid_until", 10),
    "conformity_certificates": ("conformity_certificate", 1, "batches >= 1 and date >= {y1}", 5),
    "traceability": ("traceability_upload", 1, "date >= {y1}", 3),
    "standardized": ("standardized_production", 5, "date >= {y2}", 5),
    "training_attended": ("training", 2, "date >= {y1}", 4),
    "penalty_serious": ("penalty", -30, 'severity == "serious" and date >= {y3}', None),
    "penalty_general": ("penalty", -10, 'severity == "general" and date >= {y1}', -30),
    "penalty_minor": ("penalty", -3, 'severity == "minor" and date >= {m3}', -9),
    "sampling_failure": ("sampling_test", -10, 'result == "fail" and (not disputed or retest == "retest_fail") and date >= {y1}', -45),
    "inspection_problem": ("inspection", -2, 'result == "problem" and date >= {m3}', -6),
    "inspection_serious_problem": ("inspection", -5, 'result == "serious_problem" and date >= {y1}', None),
    "substantiated_complaint": ("complaint", -2, "substantiated and date >= {m3}", -6),
    "false_materials_found": ("false_materials", -20, "date >= {y3}", None),
}  # fmt: skip
BONUS = (
    "valid_certification",
    "conformity_certificates",
    "traceability",
    "standardized",
    "training_attended",
)
TIERS = (
    ("A", "score >= 90"),
    ("B", "score >= 75"),
    ("C", "score >= 60"),
    ("D", "true"),
)


class Compiled:
    """The rules compiled for one date: by record type, the score, the tiers."""

    def __init__(self, as_of: dt.date) -> None:
        import rule_engine

        constants = {
            name: day.toordinal() for name, day in counting_since(as_of).items()
        }
        constants["today"] = as_of.toordinal()
        self.by_type: dict[str, list[tuple[str, int, Any]]] = {}
        for name, (record_type, points, condition, _) in RULES.items():
            rule = rule_engine.Rule(condition.format(**constants))
            self.by_type.setdefault(record_type, []).append((name, points, rule))
        self.score = rule_engine.Rule(_score_expression())
        self.tiers = [(tier, rule_engine.Rule(text)) for tier, text in TIERS]


def _score_expression() -> str:
    capped = {}
    for name, (_, _, _, cap) in RULES.items():
        capped[name] = (
            name if cap is None else f"{'$min' if cap > 0 else '$max'}([{name}, {cap}])"
        )
    bonus = " + ".join(capped[name] for name in BONUS)
    others = " + ".join(text for name, text in capped.items() if name not in BONUS)
    return f"$min([$max([80 + $min([{bonus}, 20]) + {others}, 0]), 100])"


def assess_all(
    compiled: Compiled, inputs: list[dict[str, Any]]
) -> list[tuple[str, Decimal, str]]:
    """Match every record, then score and tier every subject; return id, score, tier."""
    results = []
    for subject in inputs:
        totals = dict.fromkeys(RULES, 0)
        for record in subject["records"]:
            for name, points, rule in compiled.by_type.get(record["type"], ()):
                if rule.matches(record):
                    totals[name] += points
        score = compiled.score.evaluate(totals)
        tier = next(
            name for name, rule in compiled.tiers if rule.matches({"score": score})
        )
        results.append((subject["id"], Decimal(score).quantize(Decimal("0.1")), tier))
    return results
