"""The text tree and the Markdown letter."""

from __future__ import annotations

from credit_rules import Engine
from credit_rules.dsl.policy import Policy
from credit_rules.explain import Report, render_markdown, render_text, report
from explain.scenario import AS_OF, RECORDS, SUBJECT


def _report(policy: Policy) -> Report:
    engine = Engine(policy, today=AS_OF)
    engine.ingest([SUBJECT, *RECORDS])
    return report(engine, SUBJECT.id, AS_OF)


def test_text_shows_every_contribution_with_its_source(jiangsu: Policy) -> None:
    """Each waterfall line shows points, rule, label, record and date, and `path:line`."""
    explained = _report(jiangsu)
    text = render_text(explained)
    assert "-10  penalty_general 一般违法行政处罚" in text
    assert "记录 P1 (2026-01-10) · 2027-01-10 起不再计分（还有 301 天）" in text
    for item in explained.explanation.parts.items:
        assert f"{item.span.file}:{item.span.line}" in text
    assert "= 合计 58" in text


def test_text_in_english_uses_english_labels(jiangsu: Policy) -> None:
    """`lang="en"` gives English words and labels."""
    text = render_text(_report(jiangsu), lang="en")
    assert "administrative penalty, general" in text
    assert "Reason codes (largest loss first)" in text
    assert "一般违法行政处罚" not in text


def test_text_draws_a_tree(jiangsu: Policy) -> None:
    """Below the two headline lines, every line is a branch of the tree."""
    lines = render_text(_report(jiangsu)).splitlines()
    assert all(line[:1] in "├└│ " for line in lines[2:])
    assert lines[-1].startswith("   └─ ")


def test_markdown_letter_names_the_grade_reasons_and_repairs(jiangsu: Policy) -> None:
    """The letter greets the producer by name and names the score, tier, reasons and repairs."""
    text = render_markdown(_report(jiangsu))
    assert text.startswith("# 信用评价说明\n")
    assert "淮安清江浦示例农业有限公司：" in text
    assert "信用分为 58 分，信用等级为 D（严重失信）" in text
    assert "## 可申请的信用修复" in text
    assert "记录 P1" in text
