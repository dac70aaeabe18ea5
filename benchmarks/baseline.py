"""The hand-written baseline: the comparison policy as one plain Python function.

Straightforward loops over each subject's records, the rules written out as
`if` statements, caps and the score as the semantics describe them. It is the
yardstick the engine is measured against, and the answer every other
implementation must agree with.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from population import Population, counting_since

Result = tuple[str, Decimal, str]
"""A subject's id, score and tier."""

CAPS = {
    "valid_certification": 10,
    "conformity_certificates": 5,
    "traceability": 3,
    "standardized": 5,
    "training_attended": 4,
    "penalty_general": -30,
    "penalty_minor": -9,
    "sampling_failure": -45,
    "inspection_problem": -6,
    "substantiated_complaint": -6,
}
BONUS = (
    "valid_certification",
    "conformity_certificates",
    "traceability",
    "standardized",
    "training_attended",
)
BONUS_CAP = 20
BASE = 80
TENTH = Decimal("0.1")


def assess_all(population: Population, as_of: dt.date) -> list[Result]:
    """Return the score and tier of every subject as of one date."""
    since = counting_since(as_of)
    return [
        (subject.id, *assess(records, as_of, since)) for subject, records in population
    ]


def assess(
    records: list, as_of: dt.date, since: dict[str, dt.date]
) -> tuple[Decimal, str]:
    """Return one subject's score and tier from its records."""
    totals = dict.fromkeys(
        [
            *CAPS,
            "penalty_serious",
            "inspection_serious_problem",
            "false_materials_found",
        ],
        0,
    )
    for record in records:
        date = record.date
        if date > as_of:
            continue
        kind = record.type
        field = record.field
        if kind == "certification":
            if not field("revoked") and field("valid_from") <= as_of < field(
                "valid_until"
            ):
                totals["valid_certification"] += 5
        elif kind == "conformity_certificate":
            if field("batches") >= 1 and date >= since["y1"]:
                totals["conformity_certificates"] += 1
        elif kind == "traceability_upload":
            if date >= since["y1"]:
                totals["traceability"] += 1
        elif kind == "standardized_production":
            if date >= since["y2"]:
                totals["standardized"] += 5
        elif kind == "training":
            if date >= since["y1"]:
                totals["training_attended"] += 2
        elif kind == "penalty":
            severity = field("severity")
            if severity == "serious" and date >= since["y3"]:
                totals["penalty_serious"] -= 30
            elif severity == "general" and date >= since["y1"]:
                totals["penalty_general"] -= 10
            elif severity == "minor" and date >= since["m3"]:
                totals["penalty_minor"] -= 3
        elif kind == "sampling_test":
            failed = field("result") == "fail"
            confirmed = not field("disputed") or field("retest") == "retest_fail"
            if failed and confirmed and date >= since["y1"]:
                totals["sampling_failure"] -= 10
        elif kind == "inspection":
            result = field("result")
            if result == "problem" and date >= since["m3"]:
                totals["inspection_problem"] -= 2
            elif result == "serious_problem" and date >= since["y1"]:
                totals["inspection_serious_problem"] -= 5
        elif kind == "complaint":
            if field("substantiated") and date >= since["m3"]:
                totals["substantiated_complaint"] -= 2
        elif kind == "false_materials" and date >= since["y3"]:
            totals["false_materials_found"] -= 20

    for rule, cap in CAPS.items():
        totals[rule] = min(totals[rule], cap) if cap > 0 else max(totals[rule], cap)
    bonus = min(sum(totals[rule] for rule in BONUS), BONUS_CAP)
    others = sum(total for rule, total in totals.items() if rule not in BONUS)
    raw = BASE + bonus + others
    score = Decimal(min(max(raw, 0), 100)).quantize(TENTH, rounding=ROUND_HALF_UP)
    return score, tier_of(score)


def tier_of(score: Decimal) -> str:
    """Return the tier of a score."""
    if score >= 90:
        return "A"
    if score >= 75:
        return "B"
    if score >= 60:
        return "C"
    return "D"
