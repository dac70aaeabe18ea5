"""What a policy change does to a population: the tier migration and the rules behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from credit_rules.engine.explanation import Explanation
from credit_rules.engine.runtime import Engine

__all__ = ["Migration", "Move", "migrate", "rule_points"]


@attrs.frozen
class Move:
    """A subject whose tier differs under the new policy.

    Attributes:
        subject: The subject's id.
        old_score: Its score under the old policy.
        new_score: Its score under the new one.
        old_tier: Its tier under the old policy.
        new_tier: Its tier under the new one.
        rules: The rules (or caps, range, rounding) whose points differ, as
            (name, old points, new points), in name order.
        vetoes: The vetoes in force under the old and under the new policy.
    """

    subject: str
    old_score: Decimal
    new_score: Decimal
    old_tier: str
    new_tier: str
    rules: tuple[tuple[str, Decimal, Decimal], ...]
    vetoes: tuple[tuple[str, ...], tuple[str, ...]]


@attrs.frozen
class Migration:
    """How many subjects go from each old tier to each new tier, and who moves.

    Attributes:
        old_tiers: The old policy's tiers, best first (rows).
        new_tiers: The new policy's tiers, best first (columns).
        counts: Subjects per (old tier, new tier).
        moves: The subjects whose tier changed, in input order.
        score_changes: How many subjects' scores changed.
    """

    old_tiers: tuple[str, ...]
    new_tiers: tuple[str, ...]
    counts: dict[tuple[str, str], int]
    moves: tuple[Move, ...]
    score_changes: int


def rule_points(explanation: Explanation) -> dict[str, Decimal]:
    """Return the points of the waterfall by rule; caps, range and rounding by kind."""
    totals: dict[str, Decimal] = {}
    for item in explanation.parts.items:
        if item.kind == "group_cap":
            key = f"group {item.group} cap"
        elif item.kind in ("range", "rounding"):
            key = item.kind
        else:
            key = item.rule or item.kind
        totals[key] = totals.get(key, Decimal(0)) + item.points
    return totals


def migrate(
    old: Engine, new: Engine, subjects: Iterable[str], as_of: dt.date
) -> Migration:
    """Compare the grades of the same subjects under two policies on one date.

    Example:
        >>> migrate(old, new, old.subjects(), dt.date(2026, 6, 30)).counts  # doctest: +SKIP
        {('B', 'B'): 180, ('B', 'C'): 3, ...}
    """
    counts: dict[tuple[str, str], int] = {}
    moves = []
    changed = 0
    for subject in subjects:
        before = old.assess(subject, as_of)
        after = new.assess(subject, as_of)
        pair = (before.tier, after.tier)
        counts[pair] = counts.get(pair, 0) + 1
        changed += before.score != after.score
        if before.tier != after.tier:
            moves.append(
                _move(old.explain(subject, as_of), new.explain(subject, as_of))
            )
    return Migration(
        old.policy.tier_names(), new.policy.tier_names(), counts, tuple(moves), changed
    )


def _move(before: Explanation, after: Explanation) -> Move:
    old_points = rule_points(before)
    new_points = rule_points(after)
    zero = Decimal(0)
    rules = tuple(
        (name, old_points.get(name, zero), new_points.get(name, zero))
        for name in sorted({*old_points, *new_points})
        if old_points.get(name, zero) != new_points.get(name, zero)
    )
    vetoes = (
        tuple(hold.veto for hold in before.tier.vetoes),
        tuple(hold.veto for hold in after.tier.vetoes),
    )
    return Move(
        before.assessment.subject,
        before.assessment.score,
        after.assessment.score,
        before.assessment.tier,
        after.assessment.tier,
        rules,
        vetoes,
    )
