"""The shortest paths to the next better tier: waiting, repairing, adding bonuses.

Each path is computed by the engine itself on the subject's records, so its
figures are what the engine would give: waiting follows the subject's own next
change dates; a repair is the engine's repair option; bonuses are new
credit-enhancing records dated the assessment's day, ingested into a scratch
engine with the same compiled policy, one at a time, until the tier lifts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from credit_rules.dsl import ast
from credit_rules.engine.assessment import Assessment
from credit_rules.engine.calendar import add
from credit_rules.engine.explanation import Explanation
from credit_rules.engine.runtime import Engine
from credit_rules.explain.model import Step
from credit_rules.records import FieldValue, Record, Subject

__all__ = ["paths_to_better_tier"]

MAX_WAIT_STEPS = 60
"""How many of the subject's change dates waiting looks ahead."""

MAX_BONUS_RECORDS = 12
"""How many new credit-enhancing records the bonus path tries at most."""

_Better = Callable[[str], bool]
"""Whether a tier is better than the subject's current one."""


def paths_to_better_tier(
    engine: Engine, subject_id: str, explanation: Explanation
) -> tuple[Step, ...]:
    """Return the ways to a tier better than the explanation's, earliest first.

    Ties go to the way with fewer things to do. A subject in the best tier, or
    without tiers, has none.
    """
    assessment = explanation.assessment
    names = engine.policy.tier_names()
    if assessment.tier not in names or names.index(assessment.tier) == 0:
        return ()

    def better(tier: str) -> bool:
        return tier in names and names.index(tier) < names.index(assessment.tier)

    found: list[Step] = []
    waited = _wait(engine, subject_id, explanation, better)
    if waited is not None:
        found.append(waited)
    found.extend(
        Step(
            "repair",
            max(assessment.as_of, option.available_from),
            option.tier_after,
            option.score_after,
            records=(option.record,),
            missing=option.missing,
        )
        for option in assessment.repair_options
        if better(option.tier_after)
    )
    bonus = _bonus(engine, subject_id, assessment, better)
    if bonus is not None:
        found.append(bonus)
    return tuple(sorted(found, key=_effort))


def _effort(step: Step) -> tuple[dt.date, int]:
    actions = len(step.bonuses) + len(step.missing) + (step.kind == "repair")
    return step.on, actions


def _wait(
    engine: Engine,
    subject_id: str,
    explanation: Explanation,
    better: _Better,
) -> Step | None:
    """Follow the subject's change dates until the tier is better, if ever."""
    day = explanation.next_change
    for _ in range(MAX_WAIT_STEPS):
        if day is None:
            return None
        later = engine.assess(subject_id, day)
        if better(later.tier):
            expired = tuple(
                record
                for item in explanation.parts.items
                if item.kind == "record"
                and item.points < 0
                and item.until is not None
                and item.until <= day
                for record in item.records
            )
            return Step("wait", day, later.tier, later.score, records=expired)
        day = later.next_change
    return None


def _bonus(
    engine: Engine, subject_id: str, assessment: Assessment, better: _Better
) -> Step | None:
    """Add credit-enhancing records dated the assessment's day until the tier lifts."""
    subject = next((s for s in engine.store.subjects() if s.id == subject_id), None)
    rules = [rule for rule in engine.policy.rules.values() if _is_bonus(engine, rule)]
    # The largest points first, so that the path needs the fewest new records.
    rules.sort(key=lambda rule: -max(rule.points))
    if subject is None or not rules:
        return None

    on = assessment.as_of
    scratch = _scratch(engine, subject, on)
    score = assessment.score
    added: list[str] = []
    for rule in rules:
        while len(added) < MAX_BONUS_RECORDS:
            record = _record(engine, subject, rule, on, len(added))
            scratch.ingest([record])
            after = scratch.assess(subject.id, on)
            if after.score <= score:
                break
            score = after.score
            added.append(rule.name)
            if better(after.tier):
                return Step("bonus", on, after.tier, after.score, bonuses=tuple(added))
    return None


def _is_bonus(engine: Engine, rule: ast.RuleDecl) -> bool:
    positive = bool(rule.points) and all(point > 0 for point in rule.points)
    return (
        positive
        and rule.on is not None
        and rule.on.record_type in engine.policy.records
    )


def _scratch(engine: Engine, subject: Subject, on: dt.date) -> Engine:
    """Return a new engine with the subject's records as the engine holds them."""
    scratch = Engine(engine.plan, today=on)
    scratch.ingest([subject, *engine.records(subject.id)])
    for record_id, day in sorted(engine.retractions(subject.id).items()):
        scratch.retract(record_id, on=day)
    return scratch


def _record(
    engine: Engine, subject: Subject, rule: ast.RuleDecl, on: dt.date, number: int
) -> Record:
    """Return a plain record of a bonus rule's type, valid for a year from `on`.

    Fields get neutral values: false, 1, the first enum value, `on` for the first
    date field and a year later for the others, so a validity period starts
    `on`. A record whose fields do not meet the rule's condition adds nothing,
    and the path moves on to the next rule.
    """
    assert rule.on is not None
    declared = engine.policy.records[rule.on.record_type]
    fields: dict[str, FieldValue] = {}
    dated = False
    for field in declared.fields:
        if field.type == "date":
            fields[field.name] = add(on, ast.Duration(1, "year")) if dated else on
            dated = True
        else:
            fields[field.name] = _neutral(engine, field.type, subject)
    record_id = f"what-if-{number + 1}-{rule.name}"
    return Record(record_id, subject.id, rule.on.record_type, on, fields)


def _neutral(engine: Engine, field_type: str, subject: Subject) -> FieldValue:
    if field_type == "bool":
        return False
    if field_type == "number":
        return Decimal(1)
    if field_type == "credit_code":
        return subject.id
    enum = engine.policy.enums.get(field_type)
    if enum is not None and enum.values:
        return enum.values[0].name
    return "-"
