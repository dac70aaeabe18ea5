"""The explanation as a Markdown letter to the producer."""

from __future__ import annotations

from credit_rules.engine.explanation import Explanation
from credit_rules.explain import sections
from credit_rules.explain.build import from_explanation
from credit_rules.explain.model import Report
from credit_rules.explain.words import label, words

__all__ = ["render_markdown"]


def render_markdown(explanation: Explanation | Report, lang: str = "zh") -> str:
    """Return an explanation as a short letter: the grade, the reasons, what to do.

    Args:
        explanation: The engine's explanation, or a report built from it.
        lang: `zh` (default) or `en`.

    Example:
        >>> render_markdown(engine.explain("S-1")).splitlines()[0]  # doctest: +SKIP
        '# 信用评价说明'
    """
    report = (
        explanation
        if isinstance(explanation, Report)
        else from_explanation(explanation)
    )
    say = words(lang)
    found = report.explanation
    assessment = found.assessment
    policy = found.policy
    name = report.subject.attribute_map.get("name") if report.subject else None

    lines = [f"# {say.say('title')}", ""]
    lines.append(say.say("letter_greeting", name=name or assessment.subject))
    lines.append("")
    lines.append(
        say.say(
            "letter_body",
            as_of=assessment.as_of,
            score=assessment.score,
            tier=assessment.tier,
            tier_label=sections.tier_label(policy, assessment.tier, lang),
        )
    )

    lines.extend(["", f"## {say.say('letter_reasons')}", ""])
    # The reason lines are numbered already: a numbered list, each with its source.
    reason_lines = sections.reason_lines(report, say)
    if not report.reasons:
        lines.extend(reason_lines)
    for line, reason in zip(reason_lines, report.reasons, strict=False):
        lines.append(line)
        rule = policy.rules.get(reason.rule) if policy else None
        if rule is not None and rule.source:
            lines.append(
                f"   - `{reason.rule}` " + say.say("letter_source", source=rule.source)
            )

    lines.extend(["", f"## {say.say('waterfall')}", ""])
    lines.append(f"| {say.say('score')} | {say.say('record')} | |")
    lines.append("|---:|---|---|")
    lines.append(f"| {found.parts.base} | {say.say('base')} | |")
    for item in found.parts.items:
        head, details = sections.contribution_lines(item, report, say)
        figure, _, what = head.partition("  ")
        lines.append(f"| {figure} | {what} | {' · '.join(details)} |")
    lines.append(f"| **{found.parts.score}** | {say.say('total')} | |")

    lines.extend(["", f"## {say.say('letter_repair')}", ""])
    repairs = sections.repair_lines(report, say)
    if not repairs:
        lines.append(f"- {say.say('no_repair')}")
    for head, details in repairs:
        lines.append(f"- {head}: {'; '.join(details)}")

    lines.extend(["", f"## {say.say('letter_path')}", ""])
    lines.extend(f"- {line}" for line in sections.path_lines(report, say))

    lines.extend(["", f"## {say.say('letter_next')}", ""])
    lines.extend(f"- {line}" for line in sections.next_change_lines(report, say))

    held = sections.list_lines(report, say) + sections.effect_lines(report, say)
    if held:
        lines.extend(["", f"## {say.say('letter_lists')}", ""])
        lines.extend(f"- {line}" for line in held)

    policy_name = (
        label(policy.header.label, lang) if policy and policy.header.label else ""
    )
    lines.extend(["", "---", ""])
    lines.append(
        say.say(
            "letter_close",
            policy=policy_name or (policy.name if policy else ""),
            digest=assessment.policy_digest[:12],
        )
    )
    return "\n".join(lines) + "\n"
