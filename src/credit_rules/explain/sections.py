"""The sections of an explanation as lines of text, shared by the text and Markdown renderers.

Each function returns plain lines (no tree drawing, no Markdown), in the
reader's language; the renderers arrange them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credit_rules.dsl import ast
from credit_rules.dsl.formatter import condition
from credit_rules.dsl.policy import Policy
from credit_rules.engine.assessment import Contribution
from credit_rules.engine.calendar import add
from credit_rules.explain.model import Report, Step
from credit_rules.explain.words import Words, day, label, points, source

__all__ = [
    "contribution_lines",
    "effect_lines",
    "headline",
    "list_lines",
    "next_change_lines",
    "path_lines",
    "reason_lines",
    "repair_lines",
    "tier_lines",
]


def headline(report: Report, say: Words) -> list[str]:
    """Return the subject, the date, the score, the tier and the supervision."""
    found = report.explanation
    assessment = found.assessment
    policy = found.policy
    name = report.subject.attribute_map.get("name", "") if report.subject else ""
    supervision = assessment.supervision
    level = say.say("none")
    if supervision is not None:
        level = f"{supervision.name} {label(supervision.label, say.lang)}".strip()
    return [
        f"{say.say('subject')} {assessment.subject} {name} · "
        f"{say.say('as_of')} {assessment.as_of}".replace("  ", " "),
        f"{say.say('score')} {assessment.score} · {say.say('tier')} "
        f"{assessment.tier} {_tier_label(policy, assessment.tier, say.lang)} · "
        f"{say.say('supervision')} {level}",
    ]


def base_line(report: Report, say: Words) -> str:
    """Return the waterfall's first line: the base and where it is written."""
    policy = report.explanation.policy
    where = ""
    if policy is not None and policy.score is not None:
        where = f"  {source(policy.score.span)} [{policy.score.layer}]"
    return f"{say.say('base')} {report.explanation.parts.base}{where}"


def contribution_lines(
    item: Contribution, report: Report, say: Words
) -> tuple[str, list[str]]:
    """Return a waterfall item's headline and its detail lines."""
    policy = report.explanation.policy
    as_of = report.explanation.assessment.as_of
    where = f"{source(item.span)} · {say.say('layer')} {item.layer}"
    if item.kind == "record":
        rule_label = (
            label(policy.rules[item.rule].label, say.lang)
            if policy and item.rule
            else ""
        )
        dated = ", ".join(
            f"{record} ({day(report.record_dates.get(record), '?')})"
            if record in report.record_dates
            else record
            for record in item.records
        )
        until = say.say("counts_forever")
        if item.until is not None:
            until = say.say(
                "counts_until", date=item.until, days=(item.until - as_of).days
            )
        head = f"{points(item.points)}  {item.rule} {rule_label}"
        return head, [f"{say.say('record')} {dated} · {until}", where]
    return f"{points(item.points)}  {_cut(item, policy, say)}", [where]


def _cut(item: Contribution, policy: Policy | None, say: Words) -> str:
    if item.kind == "rule_cap":
        cap = policy.rules[item.rule].cap if policy and item.rule else None
        return f"{item.rule} {say.say('rule_cap', cap=_signed(cap))}"
    if item.kind == "group_cap":
        cap = policy.groups[item.group].cap if policy and item.group else None
        return say.say("group_cap", group=item.group, cap=_signed(cap))
    score = policy.score if policy else None
    if item.kind == "range":
        return say.say(
            "range", low=score.low if score else "", high=score.high if score else ""
        )
    return say.say("rounding", step=score.rounding if score else "")


def _signed(value: Decimal | None) -> str:
    return "" if value is None else points(value)


def tier_lines(report: Report, say: Words) -> list[str]:
    """Return the tier conditions tried in order, the vetoes and the final tier."""
    trace = report.explanation.tier
    policy = report.explanation.policy
    tiers = (
        {tier.name: tier for tier in policy.tiers.tiers}
        if policy and policy.tiers
        else {}
    )
    lines = []
    if trace.started:
        lines.append(say.say("started", tier=trace.computed))
    for trial in trace.trials:
        declared = tiers.get(trial.tier)
        when = declared.when if declared else None
        text = say.say("otherwise") if when is None else condition(when)
        held = say.say("held") if trial.held else say.say("not_held")
        tier_label = label(declared.label, say.lang) if declared else ""
        lines.append(
            f"{trial.tier} {tier_label}: {text} — {held}  {source(trial.span)}"
        )
    lines.append(say.say("computed", tier=trace.computed))
    for hold in trace.vetoes:
        veto = policy.vetoes.get(hold.veto) if policy else None
        lines.append(
            say.say(
                "veto",
                veto=hold.veto,
                label=label(veto.label if veto else None, say.lang),
                forces=hold.forces,
                since=day(hold.since, say.say("beginning")),
                until=day(hold.until, say.say("open_end")),
            )
            + f"  {source(hold.span)} [{hold.layer}]"
        )
    lines.append(say.say("final_tier", tier=trace.tier))
    return lines


def list_lines(report: Report, say: Words) -> list[str]:
    """Return every list entry in force, with its cause and dates."""
    found = report.explanation
    policy = found.policy
    as_of = found.assessment.as_of
    lines = []
    for name, entries in found.entries:
        declared = policy.lists.get(name) if policy else None
        for entry in entries:
            if not entry.period.start <= as_of < entry.period.end:
                continue
            cause = f"{say.say('record')} {entry.record}"
            if (
                entry.record is None
                and declared is not None
                and declared.enter_when is not None
            ):
                cause = say.say(
                    "condition_cause", condition=condition(declared.enter_when)
                )
            earliest = _plus(
                entry.period.start, declared.min_stay if declared else None
            )
            end = say.say("list_never")
            if entry.period.end != dt.date.max:
                end = say.say("list_end", date=entry.period.end)
            lines.append(
                say.say(
                    "list_entry",
                    name=name,
                    label=label(declared.label if declared else None, say.lang),
                    cause=cause,
                    start=entry.period.start,
                    earliest=earliest,
                    end=end,
                )
            )
    return lines


def _plus(start: dt.date, duration: ast.Duration | None) -> dt.date:
    return start if duration is None else add(start, duration)


def effect_lines(report: Report, say: Words) -> list[str]:
    """Return every effect in force, with its cause and end date."""
    policy = report.explanation.policy
    lines = []
    for period in report.explanation.effects:
        declared = policy.effects.get(period.effect) if policy else None
        cause = condition(declared.when) if declared and declared.when else ""
        lines.append(
            say.say(
                "effect",
                kind=say.say(period.kind),
                name=period.effect,
                label=label(declared.label if declared else None, say.lang),
                cause=cause,
                since=day(period.since, say.say("beginning")),
                until=day(period.until, say.say("open_end")),
            )
        )
    return lines


def next_change_lines(report: Report, say: Words) -> list[str]:
    """Return the next change's date, what happens and the grade after it."""
    upcoming = report.upcoming
    if upcoming is None:
        return [say.say("no_change")]
    events = "; ".join(
        say.say(f"ev_{event.what}", name=event.name) for event in upcoming.events
    )
    lines = [say.say("change_on", date=upcoming.on, events=events)]
    if upcoming.after is not None:
        before = report.explanation.assessment
        lines.append(
            say.say(
                "change_after",
                score_before=before.score,
                score_after=upcoming.after.score,
                tier_before=before.tier,
                tier_after=upcoming.after.tier,
            )
        )
    return lines


def repair_lines(report: Report, say: Words) -> list[tuple[str, list[str]]]:
    """Return each repair option with its missing evidence and its after figures."""
    policy = report.explanation.policy
    items = []
    for option in report.explanation.repair_options:
        rule = policy.rules.get(option.rule) if policy else None
        repair = policy.repairs.get(option.repair_class) if policy else None
        head = say.say(
            "repair_option",
            record=option.record,
            rule=option.rule,
            rule_label=label(rule.label if rule else None, say.lang),
            cls=option.repair_class,
            cls_label=label(repair.label if repair else None, say.lang),
            available=option.available_from,
        )
        missing = say.say("complete")
        if option.missing:
            names = ", ".join(
                _record_type(policy, name, say) for name in option.missing
            )
            missing = say.say("missing", missing=names)
        after = say.say(
            "repair_after", score=option.score_after, tier=option.tier_after
        )
        items.append((head, [missing, after]))
    return items


def _record_type(policy: Policy | None, name: str, say: Words) -> str:
    declared = policy.records.get(name) if policy else None
    return f"{name} {label(declared.label if declared else None, say.lang)}".strip()


def path_lines(report: Report, say: Words) -> list[str]:
    """Return the ways to a better tier, the shortest marked."""
    assessment = report.explanation.assessment
    policy = report.explanation.policy
    names = policy.tier_names() if policy else ()
    if names and assessment.tier == names[0]:
        return [say.say("best_tier")]
    if not report.paths:
        return [say.say("no_path")]
    lines = [_path(step, say) for step in report.paths]
    lines[0] += say.say("shortest")
    return lines


def _path(step: Step, say: Words) -> str:
    figures = {"date": step.on, "score": step.score, "tier": step.tier}
    if step.kind == "wait":
        if not step.records:
            return say.say("path_wait_nothing", **figures)
        return say.say("path_wait", records=", ".join(step.records), **figures)
    if step.kind == "repair":
        text = say.say("path_repair", record=step.records[0], **figures)
        if step.missing:
            text += " · " + say.say("missing", missing=", ".join(step.missing))
        return text
    return say.say("path_bonus", bonuses=", ".join(step.bonuses), **figures)


def reason_lines(report: Report, say: Words) -> list[str]:
    """Return the reason codes, largest loss first."""
    policy = report.explanation.policy
    if not report.reasons:
        return [say.say("no_reasons")]
    return [
        say.say(
            "reason",
            rank=rank,
            rule=reason.rule,
            label=label(policy.rules[reason.rule].label if policy else None, say.lang),
            points=points(reason.points),
            records=", ".join(reason.records),
        )
        for rank, reason in enumerate(report.reasons, start=1)
    ]


def _tier_label(policy: Policy | None, tier: str, lang: str) -> str:
    if policy is None or policy.tiers is None:
        return ""
    for declared in policy.tiers.tiers:
        if declared.name == tier:
            return label(declared.label, lang)
    return ""


def tier_label(policy: Policy | None, tier: str, lang: str) -> str:
    """Return a tier's label in `lang`, or empty if the policy has none."""
    return _tier_label(policy, tier, lang)
