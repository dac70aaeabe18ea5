"""Which declarations the scenarios of a policy exercised.

A rule is exercised when some checkpoint's assessment had a record of it in force
(a record item of the score's parts); a veto when it was in force at a
checkpoint; a tier, list or effect when a checkpoint's assessment had it; a
repair class when a checkpoint offered a repair option of it.
"""

from __future__ import annotations

import attrs

from credit_rules.dsl.policy import Policy
from credit_rules.engine.assessment import Assessment, ScoreParts, TierTrace

KINDS = ("rule", "tier", "veto", "list", "effect", "repair")
"""The kinds of declaration that coverage counts, in report order."""


@attrs.frozen
class Observation:
    """What one checkpoint's assessment showed."""

    assessment: Assessment
    parts: ScoreParts | None
    trace: TierTrace | None


@attrs.define
class Coverage:
    """The declarations of a policy, by kind, and those some checkpoint exercised.

    Attributes:
        declared: The declared names of each kind, in declaration order.
        exercised: The names of each kind that some checkpoint exercised.
        unknown: Kinds the assessor could not observe (no score parts or tier
            trace), so their coverage is not known.
    """

    declared: dict[str, tuple[str, ...]]
    exercised: dict[str, set[str]] = attrs.field(
        factory=lambda: {k: set() for k in KINDS}
    )
    unknown: set[str] = attrs.field(factory=set)

    @classmethod
    def of(cls, policy: Policy) -> Coverage:
        """Start the coverage of a policy, with nothing exercised."""
        return cls(
            declared={
                "rule": tuple(policy.rules),
                "tier": policy.tier_names(),
                "veto": tuple(policy.vetoes),
                "list": tuple(policy.lists),
                "effect": tuple(policy.effects),
                "repair": tuple(policy.repairs),
            }
        )

    def note(self, seen: Observation) -> None:
        """Add what one checkpoint's assessment exercised."""
        assessment = seen.assessment
        self.exercised["tier"].add(assessment.tier)
        self.exercised["list"].update(assessment.lists)
        self.exercised["effect"].update(assessment.effects)
        self.exercised["repair"].update(
            o.repair_class for o in assessment.repair_options
        )

        if seen.parts is None:
            self.unknown.add("rule")
        else:
            self.exercised["rule"].update(
                item.rule
                for item in seen.parts.items
                if item.kind == "record" and item.rule
            )
        if seen.trace is None:
            self.unknown.add("veto")
        else:
            self.exercised["veto"].update(hold.veto for hold in seen.trace.vetoes)

    def uncovered(self) -> dict[str, tuple[str, ...]]:
        """Return, by kind, the declared names no checkpoint exercised."""
        return {
            kind: tuple(n for n in self.declared[kind] if n not in self.exercised[kind])
            for kind in KINDS
            if kind not in self.unknown
        }
