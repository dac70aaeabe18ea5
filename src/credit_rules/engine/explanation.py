"""Why an assessment is what it is, built from the evaluation graph's values.

An `Explanation` holds the assessment and its reasons: the score as a waterfall
(base plus every record's points, every cap that cut, the range and the
rounding, adding up to the score exactly), how the tier was reached, the list
entries and effects in force with their causes and end dates, the next change
and the repair options. Rendering it as text or JSON is not this module's job.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import attrs

from credit_rules.engine import dates
from credit_rules.engine.assessing import Reader
from credit_rules.engine.assessment import (
    Assessment,
    Contribution,
    RepairOption,
    ScoreParts,
    TierTrace,
    TierTrial,
    VetoHold,
)
from credit_rules.engine.changes import Decision
from credit_rules.engine.kernels import ZERO, finish_score
from credit_rules.engine.listing import Entry
from credit_rules.engine.periods import Period
from credit_rules.engine.plan import ListSpec
from credit_rules.engine.subject_records import SubjectRecords
from credit_rules.engine.timeline import DAWN, NEVER, Timeline


@attrs.frozen
class EffectPeriod:
    """An effect in force, and the period it is in force as the archive stands.

    Attributes:
        effect: The effect's name.
        kind: `incentive` or `sanction`.
        since: The first day in force, or None if from before any record.
        until: The first day no longer in force, or None if never.
        lists: The lists the subject is on that day (what effects usually
            follow from).
    """

    effect: str
    kind: str
    since: dt.date | None
    until: dt.date | None
    lists: tuple[str, ...] = ()


@attrs.frozen
class Explanation:
    """The reasons of one subject's assessment as of one date.

    Attributes:
        assessment: The assessment explained.
        parts: The score's waterfall.
        tier: How the tier was reached.
        entries: Every list entry of the view, past and future too, by list.
        effects: The effects in force, in declaration order.
        policy: The policy that assessed, for labels and declarations.
    """

    assessment: Assessment
    parts: ScoreParts
    tier: TierTrace
    entries: tuple[tuple[str, tuple[Entry, ...]], ...]
    effects: tuple[EffectPeriod, ...]
    policy: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def next_change(self) -> dt.date | None:
        """The next date on which the assessment changes, if nothing new arrives."""
        return self.assessment.next_change

    @property
    def repair_options(self) -> tuple[RepairOption, ...]:
        """What the subject could repair."""
        return self.assessment.repair_options

    def list_entries(self, list_name: str) -> tuple[Entry, ...]:
        """Return the entries of one list."""
        return dict(self.entries).get(list_name, ())


def decide(explanation: Explanation, effect: str, kind: str) -> Decision:
    """Return whether the subject may have an effect's benefit on the date.

    Args:
        explanation: The subject's explanation on the date.
        effect: The effect's name.
        kind: The effect's kind, `incentive` or `sanction`.
    """
    as_of = explanation.assessment.as_of
    for period in explanation.effects:
        if period.effect != effect:
            continue
        since = f" since {period.since}" if period.since else ""
        until = f" until {period.until}" if period.until else ""
        because = (
            f", as the subject is on list {_names(period.lists)}"
            if period.lists
            else ""
        )
        state = f"is in force{since}{until}{because}"
        if kind == "sanction":
            return Decision(
                False, effect, True, f"sanction `{effect}` {state} on {as_of}"
            )
        return Decision(True, effect, True, f"incentive `{effect}` {state} on {as_of}")
    if kind == "sanction":
        return Decision(
            True, effect, False, f"sanction `{effect}` is not in force on {as_of}"
        )
    return Decision(
        False, effect, False, f"incentive `{effect}` is not in force on {as_of}"
    )


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def explain(
    reader: Reader, view: SubjectRecords, values: Sequence[Any], day: int
) -> Explanation:
    """Return the explanation of a view's values as of `day`."""
    assessment = reader.assess(view, values, day)
    entries = tuple(
        (name, list_entries(reader, view, values, name)) for name in reader.policy.lists
    )
    return Explanation(
        assessment=assessment,
        parts=score_parts(reader, view, values, day),
        tier=tier_trace(reader, values, day),
        entries=entries,
        effects=_effects(reader, values, day, assessment.lists),
        policy=reader.policy,
    )


def score_parts(
    reader: Reader, view: SubjectRecords, values: Sequence[Any], day: int
) -> ScoreParts:
    """Return the score on `day` as a waterfall that adds up to it exactly."""
    policy = reader.policy
    spec = reader.program.plan.nodes[reader.score].spec
    items: list[Contribution] = []
    capped: dict[str, tuple[Decimal, list[str]]] = {}
    for rule_spec, entries in reader.in_force(view, values, day):
        rule = policy.rules[rule_spec.name]
        total = sum((entry.points for entry in entries), ZERO)
        for entry in entries:
            items.append(
                Contribution(
                    kind="record",
                    rule=rule.name,
                    group=rule.group,
                    points=entry.points,
                    records=(entry.record.id,),
                    until=None if entry.end >= NEVER else dates.to_date(entry.end),
                    span=rule.span,
                    layer=rule.layer,
                )
            )
        rule_total = values[reader.index[f"rule:{rule.name}"]].value_at(day)
        if rule_total != total:
            items.append(
                Contribution(
                    kind="rule_cap",
                    rule=rule.name,
                    group=rule.group,
                    points=rule_total - total,
                    records=tuple(entry.record.id for entry in entries),
                    span=rule.span,
                    layer=rule.layer,
                )
            )
        capped[rule.name] = (rule_total, [entry.record.id for entry in entries])

    raw = spec.base
    for name, group in policy.groups.items():
        members = [
            rule
            for rule in policy.rules.values()
            if rule.group == name and rule.name in capped
        ]
        group_sum = sum((capped[rule.name][0] for rule in members), ZERO)
        group_total = values[reader.index[f"group:{name}"]].value_at(day)
        raw += group_total
        if group_total != group_sum:
            records = tuple(
                record for rule in members for record in capped[rule.name][1]
            )
            items.append(
                Contribution(
                    kind="group_cap",
                    rule=None,
                    group=name,
                    points=group_total - group_sum,
                    records=records,
                    span=group.span,
                    layer=group.layer,
                )
            )
    for name, (total, _) in capped.items():
        if policy.rules[name].group not in policy.groups:
            raw += total

    declaration = policy.score
    span_args: dict[str, Any] = {}
    if declaration is not None:
        span_args = {"span": declaration.span, "layer": declaration.layer}
    clamped = finish_score(attrs.evolve(spec, rounding=None), raw)
    score = finish_score(spec, raw)
    if clamped != raw:
        items.append(
            Contribution(
                kind="range", rule=None, group=None, points=clamped - raw, **span_args
            )
        )
    if score != clamped:
        items.append(
            Contribution(
                kind="rounding",
                rule=None,
                group=None,
                points=score - clamped,
                **span_args,
            )
        )
    return ScoreParts(
        view.subject.id, dates.to_date(day), spec.base, tuple(items), score
    )


def tier_trace(reader: Reader, values: Sequence[Any], day: int) -> TierTrace:
    """Return how the tier on `day` is reached."""
    policy = reader.policy
    as_of = dates.to_date(day)
    tiers = policy.tiers
    if tiers is None or not tiers.tiers:
        return TierTrace(as_of, False, (), "", (), "")

    index = reader.index
    spec = reader.program.plan.nodes[reader.tier].spec
    started = spec.start is not None and not values[index["first_record"]].value_at(day)
    trials: list[TierTrial] = []
    computed = spec.start or ""
    if not started:
        computed = tiers.tiers[-1].name
        for tier, condition in zip(tiers.tiers, spec.conditions, strict=True):
            held = condition is None or bool(values[index[condition]].value_at(day))
            trials.append(TierTrial(tier.name, held, tier.span))
            if held:
                computed = tier.name
                break

    holds = []
    for veto_name, forced in spec.vetoes:
        timeline: Timeline = values[index[veto_name]]
        if not timeline.value_at(day):
            continue
        start, end = _piece(timeline, day)
        veto = policy.vetoes[veto_name.split(":", 1)[1]]
        holds.append(VetoHold(veto.name, forced, start, end, veto.span, veto.layer))
    tier = values[reader.tier].value_at(day)
    return TierTrace(as_of, started, tuple(trials), computed, tuple(holds), tier)


def list_entries(
    reader: Reader, view: SubjectRecords, values: Sequence[Any], name: str
) -> tuple[Entry, ...]:
    """Return every entry of a list in the view, ordered by start, then cause."""
    spec: ListSpec = reader.program.plan.nodes[reader.index[f"list:{name}"]].spec
    found = []
    for start, end, record in reader.program.list_entries(spec, view, values):
        if start < end:
            period = Period(
                dates.to_date(start),
                dt.date.max if end >= NEVER else dates.to_date(end),
            )
            found.append(Entry(name, period, record))
    return tuple(sorted(found, key=lambda entry: (entry.period, entry.record or "")))


def _effects(
    reader: Reader, values: Sequence[Any], day: int, lists: tuple[str, ...]
) -> tuple[EffectPeriod, ...]:
    found = []
    for name, position in reader.effects:
        timeline: Timeline = values[position]
        if timeline.value_at(day):
            start, end = _piece(timeline, day)
            kind = reader.policy.effects[name].kind or "incentive"
            found.append(EffectPeriod(name, kind, start, end, lists))
    return tuple(found)


def _piece(timeline: Timeline, day: int) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and the end day of the piece of a timeline holding `day`."""
    for start, end, _ in timeline.pieces():
        if (start is None or start <= day) and (end is None or day < end):
            since = None if start is None or start <= DAWN else dates.to_date(start)
            return since, None if end is None else dates.to_date(end)
    return None, None
