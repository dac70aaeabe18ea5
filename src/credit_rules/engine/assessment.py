"""What an assessment of one subject on one date says.

The reference evaluator and the incremental engine both return these classes, so
that the two can be compared field by field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.span import NOWHERE, Span


def plain(value: Decimal | int) -> Decimal:
    """Return a score in one canonical form: no trailing zeros, no exponent.

    Equal scores computed along different paths (`80`, `80.0`, `8E+1`) then read
    the same wherever they are published. A whole score held as an `int` (see
    `credit_rules.engine.kernels.Program`) becomes its decimal.

    Example:
        >>> plain(Decimal("80.0")), plain(Decimal("8E+1")), plain(Decimal("89.50"))
        (Decimal('80'), Decimal('80'), Decimal('89.5'))
        >>> plain(80)
        Decimal('80')
    """
    if isinstance(value, int):
        return Decimal(value)
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    return (
        normal.quantize(Decimal(1))
        if isinstance(exponent, int) and exponent > 0
        else normal
    )


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
    score_after: Decimal = attrs.field(converter=plain)
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
    score: Decimal = attrs.field(converter=plain)
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


ContributionKind = Literal["record", "rule_cap", "group_cap", "range", "rounding"]
"""What a part of the score's waterfall is."""


@attrs.frozen
class Contribution:
    """One part of the score's waterfall.

    The points of a record, or the points a cap, the range or the rounding took
    away or added.

    Attributes:
        kind: `record`, `rule_cap`, `group_cap`, `range` or `rounding`.
        rule: The rule the points belong to, for a record or a rule's cap.
        group: The group of that rule, or the group whose cap cut.
        points: The points, signed; a cap's item has the opposite sign of the
            points it cut.
        records: The ids of the records the points come from; for a cap, the
            records of its rule or group that were in force.
        until: The day a record stops counting, if it ever does.
        span: Where the rule, group or score declaration is written.
        layer: The policy layer that declared it.
    """

    kind: ContributionKind
    rule: str | None
    group: str | None
    points: Decimal
    records: tuple[str, ...] = ()
    until: dt.date | None = None
    span: Span = NOWHERE
    layer: str = ""


@attrs.frozen
class ScoreParts:
    """The score as a waterfall: `base` plus every item's points is the score.

    The sum is exact, to the last digit.

    Attributes:
        subject: The subject's id.
        as_of: The date of the score.
        base: The policy's base score.
        items: The parts, in order: each rule's records and its cap (rules in
            declaration order), then group caps, then the range, then rounding.
        score: The score.
    """

    subject: str
    as_of: dt.date
    base: Decimal
    items: tuple[Contribution, ...]
    score: Decimal


@attrs.frozen
class TierTrial:
    """One tier whose condition was tried, best first.

    Attributes:
        tier: The tier's name.
        held: Whether its condition held (`otherwise` always holds).
        span: Where the tier is written.
    """

    tier: str
    held: bool
    span: Span = NOWHERE


@attrs.frozen
class VetoHold:
    """A veto in force on the date of a tier trace.

    Attributes:
        veto: The veto's name.
        forces: The tier it makes the subject no better than.
        since: The first day of the period in force, or None if it has held from
            before the subject's first record.
        until: The first day it is no longer in force as the archive stands, or
            None if never.
        span: Where the veto is written.
        layer: The policy layer that declared it.
    """

    veto: str
    forces: str
    since: dt.date | None
    until: dt.date | None
    span: Span = NOWHERE
    layer: str = ""


@attrs.frozen
class TierTrace:
    """How a tier was reached on one date.

    Attributes:
        as_of: The date.
        started: Whether the subject had no record yet, so the start tier applied.
        trials: The tier conditions tried, in order, up to the first that held;
            empty when the start tier applied.
        computed: The tier before vetoes.
        vetoes: Every veto in force, in declaration order.
        tier: The tier: the worst of `computed` and every veto's forced tier.
    """

    as_of: dt.date
    started: bool
    trials: tuple[TierTrial, ...]
    computed: str
    vetoes: tuple[VetoHold, ...]
    tier: str


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
