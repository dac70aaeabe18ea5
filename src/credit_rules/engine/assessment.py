"""What an assessment of one subject on one date says.

The reference evaluator and the incremental engine both return these classes, so
that the two can be compared field by field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from credit_rules.dsl import ast


@attrs.frozen
class SupervisionLevel:
    """The supervision frequency that applies (分级分类监管).

    Attributes:
        name: The supervision entry's name, e.g. `reduced`.
        label: Its label.
        inspections: Routine inspections (日常巡查), per period or as a share.
        sampling: Sampling tests (监测抽检), per period or as a share.
    """

    name: str
    label: ast.Label | None = attrs.field(default=None, eq=False)
    inspections: ast.Rate | None = None
    sampling: ast.Rate | None = None


@attrs.frozen
class RepairOption:
    """A record the subject could repair (信用修复), and what repair would give.

    Attributes:
        record: The id of the record that would stop counting.
        rule: The rule whose repair class applies.
        repair_class: The repair class's name.
        available_from: The first date on which a repair can take effect: the
            class's minimum period has passed and no bar (`unless`) holds, as the
            archive stands.
        missing: Evidence record types the class requires that the archive does
            not yet hold, dated on or after the violation.
        score_after: The score on the later of the assessment's date and
            `available_from`, if the repair is granted on that day.
        tier_after: The tier on that day, likewise.
    """

    record: str
    rule: str
    repair_class: str
    available_from: dt.date
    missing: tuple[str, ...]
    score_after: Decimal
    tier_after: str


@attrs.frozen
class Assessment:
    """A subject's grade and everything that follows from it, as of one date.

    Attributes:
        subject: The subject's id.
        as_of: The date assessed.
        score: The score, exact, rounded as the policy says.
        tier: The tier's name.
        lists: The lists the subject is on, in declaration order.
        effects: The effects in force, in declaration order.
        supervision: The supervision frequency, or None if no entry applies.
        repair_options: What the subject could repair, by record id.
        next_change: The first date after `as_of` on which any of the above changes
            if nothing new is recorded, or None if nothing ever will.
        policy_digest: The digest of the compiled policy that assessed.
    """

    subject: str
    as_of: dt.date
    score: Decimal
    tier: str
    lists: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    supervision: SupervisionLevel | None = None
    repair_options: tuple[RepairOption, ...] = ()
    next_change: dt.date | None = None
    policy_digest: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the assessment as JSON-ready data (the schema in the docs)."""
        return {
            "subject": self.subject,
            "as_of": self.as_of.isoformat(),
            "score": str(self.score),
            "tier": self.tier,
            "lists": list(self.lists),
            "effects": list(self.effects),
            "supervision": _supervision_json(self.supervision),
            "repair_options": [_repair_json(option) for option in self.repair_options],
            "next_change": self.next_change.isoformat() if self.next_change else None,
            "policy_digest": self.policy_digest,
        }


def _rate_json(rate: ast.Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    if rate.per is None:
        return {"share_percent": str(rate.value)}
    return {"times": str(rate.value), "per": rate.per}


def _supervision_json(level: SupervisionLevel | None) -> dict[str, Any] | None:
    if level is None:
        return None
    return {
        "name": level.name,
        "label": level.label.zh if level.label else None,
        "inspections": _rate_json(level.inspections),
        "sampling": _rate_json(level.sampling),
    }


def _repair_json(option: RepairOption) -> dict[str, Any]:
    return {
        "record": option.record,
        "rule": option.rule,
        "repair_class": option.repair_class,
        "available_from": option.available_from.isoformat(),
        "missing": list(option.missing),
        "score_after": str(option.score_after),
        "tier_after": option.tier_after,
    }
