"""The lexer: keywords where the parser wants them, names elsewhere, exact spans."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credit_rules.dsl import ast
from credit_rules.dsl.parser import parse
from credit_rules.errors import PolicyError


def test_a_keyword_serves_as_a_name_where_only_a_name_fits() -> None:
    """`score` names a rule after `rule`, and a field after `where`."""
    module = parse("rule score { on penalty where source == true points -1 }")

    rule = module.items[0]
    assert isinstance(rule, ast.RuleDecl)
    assert "score" == rule.name
    assert rule.on is not None
    assert ast.Compare("==", ast.Ref(("source",)), ast.Bool(True)) == rule.on.where


def test_units_are_units_after_a_number_and_names_elsewhere() -> None:
    """`years` after a number is a unit; a field called `days` is a name."""
    module = parse("rule r { on x where days > 3 points -1 counts for 2 years }")

    rule = module.items[0]
    assert isinstance(rule, ast.RuleDecl)
    assert ast.CountsFor(ast.Duration(2, "year")) == rule.counts
    assert rule.on is not None
    assert ast.Compare(">", ast.Ref(("days",)), ast.Number(Decimal(3))) == rule.on.where


def test_spans_count_lines_and_columns_across_comments() -> None:
    """A token after comments and blank lines has its true line and column."""
    text = "# one\n\n  # two\n   rule late { on inspection points -1 }\n"

    rule = parse(text, "a.rules").items[0]

    assert isinstance(rule, ast.RuleDecl)
    assert (4, 4) == (rule.span.line, rule.span.column)


def test_a_character_no_token_starts_with_is_reported_where_it_is() -> None:
    """A stray `@` on line 2 is an error at line 2, column of the `@`."""
    with pytest.raises(PolicyError) as raised:
        parse("rule a { on x points -1 }\nrule b @ { }\n", "a.rules")

    diagnostic = raised.value.diagnostics[0]
    assert ("E0003", 2, 8) == (
        diagnostic.code,
        diagnostic.span.line,
        diagnostic.span.column,
    )
