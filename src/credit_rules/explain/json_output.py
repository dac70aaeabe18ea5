"""The explanation as JSON-ready data (`docs/schema/explanation.schema.json`).

Decimals are strings so that no program reads them as floats; dates are ISO
strings. The assessment's own fields come first, exactly as `Assessment.to_json`
writes them, so that a program reading `score` output reads these too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from credit_rules.dsl import ast
from credit_rules.dsl.formatter import condition
from credit_rules.dsl.policy import Policy
from credit_rules.engine.assessment import Contribution, TierTrace
from credit_rules.engine.explanation import Explanation
from credit_rules.explain.build import from_explanation
from credit_rules.explain.model import Report, Step, Upcoming
from credit_rules.explain.words import source

__all__ = ["render_json"]


def render_json(explanation: Explanation | Report) -> dict[str, Any]:
    """Return an explanation as JSON-ready data.

    `base` plus the `points` of every item of `contributions` is `score`,
    exactly.

    Args:
        explanation: The engine's explanation, or a report built from it.

    Example:
        >>> data = render_json(engine.explain("S-1"))  # doctest: +SKIP
        >>> data["base"], data["score"]  # doctest: +SKIP
        ('80', '70')
    """
    report = (
        explanation
        if isinstance(explanation, Report)
        else from_explanation(explanation)
    )
    found = report.explanation
    policy: Policy | None = found.policy
    data = found.assessment.to_json()
    data["subject_name"] = _name(report)
    data["base"] = str(found.parts.base)
    data["contributions"] = [
        _contribution(item, report, policy) for item in found.parts.items
    ]
    data["tier_decision"] = _tier_decision(found.tier, policy)
    data["list_entries"] = _list_entries(found, policy)
    data["effect_periods"] = [
        {
            "effect": period.effect,
            "kind": period.kind,
            "label": _label(policy.effects[period.effect].label if policy else None),
            "cause": _effect_cause(policy, period.effect),
            "since": _iso(period.since),
            "until": _iso(period.until),
            "lists": list(period.lists),
        }
        for period in found.effects
    ]
    data["upcoming"] = _upcoming(report.upcoming)
    data["paths"] = [_step(step) for step in report.paths]
    data["reasons"] = [
        {
            "rule": reason.rule,
            "label": _label(policy.rules[reason.rule].label if policy else None),
            "points": str(reason.points),
            "records": list(reason.records),
        }
        for reason in report.reasons
    ]
    return data


def _name(report: Report) -> str | None:
    if report.subject is None:
        return None
    value = report.subject.attribute_map.get("name")
    return value if isinstance(value, str) else None


def _contribution(
    item: Contribution, report: Report, policy: Policy | None
) -> dict[str, Any]:
    declared: ast.Label | None = None
    if policy is not None:
        if item.rule is not None and item.rule in policy.rules:
            declared = policy.rules[item.rule].label
        elif (
            item.kind == "group_cap"
            and item.group is not None
            and item.group in policy.groups
        ):
            declared = policy.groups[item.group].label
        elif policy.score is not None:
            declared = policy.score.label
    return {
        "kind": item.kind,
        "rule": item.rule,
        "group": item.group,
        "label": _label(declared),
        "points": str(item.points),
        "records": list(item.records),
        "record_dates": [
            _iso(report.record_dates.get(record)) for record in item.records
        ],
        "until": _iso(item.until),
        "source": source(item.span),
        "layer": item.layer,
    }


def _tier_decision(trace: TierTrace, policy: Policy | None) -> dict[str, Any]:
    tiers = (
        {tier.name: tier for tier in policy.tiers.tiers}
        if policy and policy.tiers
        else {}
    )
    return {
        "started": trace.started,
        "trials": [
            {
                "tier": trial.tier,
                "label": _label(
                    tiers[trial.tier].label if trial.tier in tiers else None
                ),
                "condition": _condition(
                    tiers[trial.tier].when if trial.tier in tiers else None
                ),
                "held": trial.held,
                "source": source(trial.span),
            }
            for trial in trace.trials
        ],
        "computed": trace.computed,
        "vetoes": [
            {
                "veto": hold.veto,
                "label": _label(policy.vetoes[hold.veto].label if policy else None),
                "forces": hold.forces,
                "since": _iso(hold.since),
                "until": _iso(hold.until),
                "source": source(hold.span),
                "layer": hold.layer,
            }
            for hold in trace.vetoes
        ],
        "tier": trace.tier,
    }


def _list_entries(found: Explanation, policy: Policy | None) -> list[dict[str, Any]]:
    as_of = found.assessment.as_of
    items = []
    for name, entries in found.entries:
        declared = policy.lists[name] if policy else None
        for entry in entries:
            if not entry.period.start <= as_of < entry.period.end:
                continue
            items.append(
                {
                    "list": name,
                    "label": _label(declared.label if declared else None),
                    "record": entry.record,
                    "cause": _list_cause(declared, entry.record),
                    "start": entry.period.start.isoformat(),
                    "earliest_end": _iso(
                        _plus(
                            entry.period.start, declared.min_stay if declared else None
                        )
                    ),
                    "end": _iso(entry.period.end),
                }
            )
    return items


def _list_cause(declared: ast.ListDecl | None, record: str | None) -> str:
    if record is not None:
        return f"record {record}"
    if declared is not None and declared.enter_when is not None:
        return condition(declared.enter_when)
    return ""


def _effect_cause(policy: Policy | None, name: str) -> str:
    when = policy.effects[name].when if policy else None
    return condition(when) if when is not None else ""


def _plus(start: dt.date, duration: ast.Duration | None) -> dt.date | None:
    if duration is None:
        return start
    from credit_rules.engine.calendar import add

    return add(start, duration)


def _upcoming(upcoming: Upcoming | None) -> dict[str, Any] | None:
    if upcoming is None:
        return None
    after = upcoming.after
    return {
        "on": upcoming.on.isoformat(),
        "events": [
            {"what": event.what, "name": event.name} for event in upcoming.events
        ],
        "score_after": str(after.score) if after else None,
        "tier_after": after.tier if after else None,
    }


def _step(step: Step) -> dict[str, Any]:
    return {
        "kind": step.kind,
        "on": step.on.isoformat(),
        "tier": step.tier,
        "score": str(step.score),
        "records": list(step.records),
        "missing": list(step.missing),
        "bonuses": list(step.bonuses),
    }


def _condition(when: ast.Expr | None) -> str:
    return "otherwise" if when is None else condition(when)


def _label(declared: ast.Label | None) -> dict[str, str | None] | None:
    if declared is None:
        return None
    return {"zh": declared.zh, "en": declared.en}


def _iso(date: dt.date | None) -> str | None:
    if date is None or date == dt.date.max:
        return None
    return date.isoformat()
