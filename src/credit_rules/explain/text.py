"""The explanation as a readable tree of text, Chinese by default."""

from __future__ import annotations

from credit_rules.engine.explanation import Explanation
from credit_rules.explain import sections
from credit_rules.explain.build import from_explanation
from credit_rules.explain.model import Report
from credit_rules.explain.words import words

__all__ = ["render_text"]

Node = tuple[str, list["Node"]]
"""A line of the tree and the lines under it."""


def render_text(explanation: Explanation | Report, lang: str = "zh") -> str:
    """Return an explanation as a tree: score, tier, lists, next change, repair, reasons.

    Args:
        explanation: The engine's explanation, or a report built from it.
        lang: `zh` (default) or `en`.

    Example:
        >>> print(render_text(engine.explain("S-1"), lang="en"))  # doctest: +SKIP
        Subject S-1 · As of 2026-06-30
        ...
    """
    report = (
        explanation
        if isinstance(explanation, Report)
        else from_explanation(explanation)
    )
    say = words(lang)
    parts = report.explanation.parts

    waterfall: list[Node] = [(sections.base_line(report, say), [])]
    for item in parts.items:
        head, details = sections.contribution_lines(item, report, say)
        waterfall.append((head, _leaves(details)))
    waterfall.append((f"= {say.say('total')} {parts.score}", []))

    repairs: list[Node] = [
        (head, _leaves(details)) for head, details in sections.repair_lines(report, say)
    ]
    tree: list[Node] = [
        (say.say("waterfall"), waterfall),
        (say.say("tier_decision"), _leaves(sections.tier_lines(report, say))),
        (
            say.say("lists"),
            _leaves(sections.list_lines(report, say) or [say.say("none")]),
        ),
        (
            say.say("effects"),
            _leaves(sections.effect_lines(report, say) or [say.say("none")]),
        ),
        (say.say("next_change"), _leaves(sections.next_change_lines(report, say))),
        (say.say("repair"), repairs or [(say.say("no_repair"), [])]),
        (say.say("paths"), _leaves(sections.path_lines(report, say))),
        (say.say("reasons"), _leaves(sections.reason_lines(report, say))),
    ]
    lines = sections.headline(report, say)
    lines.extend(_draw(tree, ""))
    return "\n".join(lines) + "\n"


def _leaves(lines: list[str]) -> list[Node]:
    return [(line, []) for line in lines]


def _draw(nodes: list[Node], indent: str) -> list[str]:
    lines = []
    for number, (text, children) in enumerate(nodes):
        last = number == len(nodes) - 1
        lines.append(f"{indent}{'└─ ' if last else '├─ '}{text}")
        lines.extend(_draw(children, indent + ("   " if last else "│  ")))
    return lines
