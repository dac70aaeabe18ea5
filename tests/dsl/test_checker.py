"""The checker's passes, one behaviour per test; the corpus covers each code too."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from credit_rules.dsl import ast, check_collect
from credit_rules.dsl.check_tiers import EVERYTHING, Interval, score_sets
from credit_rules.dsl.checker import check
from credit_rules.dsl.diagnostics import MESSAGES, Diagnostic
from credit_rules.dsl.loader import load

ROOT = Path(__file__).resolve().parents[2]

PRELUDE = """\
import stdlib.agri
score { base 80 range 0 to 100 rounding 0.1 }
"""

TIERS = """\
tiers "等级" {
  A "守信" when score >= 90
  B "基本守信" when score >= 75
  C "失信" otherwise
}
"""


def diagnostics(tmp_path: Path, text: str) -> list[Diagnostic]:
    """Load and check `text` as a policy file of its own."""
    path = tmp_path / "policy.rules"
    path.write_text(PRELUDE + text, encoding="utf-8")
    _, found = check_collect(path)
    return found


def codes(tmp_path: Path, text: str) -> list[str]:
    """The codes of the diagnostics of `text`, in order."""
    return [d.code for d in diagnostics(tmp_path, text)]


@pytest.mark.parametrize("name", ["jiangsu", "huaian"])
def test_real_policies_have_no_diagnostic(name: str) -> None:
    """The bundled policies get neither an error nor a warning."""
    folder = ROOT / "policies" / name
    if not folder.is_dir():
        pytest.skip(f"{name} is not written yet")

    _, found = check_collect(folder)

    assert [] == [f"{d.span}: {d.code} {d.message()}" for d in found]


def test_a_valid_policy_has_no_diagnostic(tmp_path: Path) -> None:
    """Tiers, a rule, a veto, a list, an effect and repair together check clean."""
    text = (
        TIERS
        + """
rule failed "抽检不合格" {
  on sampling_test where result == fail and subject.kind != family_farm
  points -10, -15 within 1 year
  at most -30
  counts for 1 year
  repair general
}
veto serious "严重违法" { forces C when any(penalty where severity == serious) }
list red "红名单" { enter when tier == A  publish name, since, until }
effect funds "项目资金" { incentive when listed(red) or tier in [A, B] }
repair general "一般" {
  after 3 months
  requires commitment_letter
  unless count(false_materials within 3 years) >= 1
}
"""
    )
    assert [] == codes(tmp_path, text)


def test_enum_value_help_names_the_valid_values(tmp_path: Path) -> None:
    """A misspelt enum value suggests the closest one and lists them all."""
    text = 'rule r "r" { on inspection where result == problme points -1 }'

    [found] = diagnostics(tmp_path, text)

    assert "E2004" == found.code
    assert (
        "did you mean `problem`? the values are `ok`, `problem`, `serious_problem`"
        == (found.help_text())
    )


def test_a_field_is_found_before_an_enum_value(tmp_path: Path) -> None:
    """A bare name that is a field of the record is the field, as the engine reads it."""
    text = """
enum answer "答复" { yes "是" no "否" }
record survey "调查" { yes: answer  given: answer }
rule r "r" { on survey where given == yes points -1 }
"""
    assert [] == codes(tmp_path, text)


def test_text_field_against_a_bare_name_suggests_a_string(tmp_path: Path) -> None:
    """Comparing text with an unquoted word says to quote it."""
    text = 'rule r "r" { on penalty where article == 七十条 points -1 }'

    [found] = diagnostics(tmp_path, text)

    assert "E2002" == found.code
    assert 'to compare with text, write a string: `"七十条"`' == found.help_text()


def test_query_inside_where_is_refused(tmp_path: Path) -> None:
    """A query inside a `where` would make matching change with time."""
    text = 'rule r "r" { on inspection where any(penalty) points -1 }'

    assert ["E2105"] == codes(tmp_path, text)


def test_listed_in_unless_is_refused(tmp_path: Path) -> None:
    """Repair cannot be barred by a list, which repair itself ends."""
    text = """
list red "红名单" { enter on penalty }
rule r "r" { on inspection points -1 repair general }
repair general "一般" { requires commitment_letter unless listed(red) }
"""
    assert ["E2106"] == codes(tmp_path, text)


def test_count_compared_with_a_truth_is_a_mismatch(tmp_path: Path) -> None:
    """`count(...)` is a number and cannot equal `true`."""
    text = TIERS + 'effect e "e" { incentive when count(inspection) == true }'

    assert ["E2102"] == codes(tmp_path, text)


def test_rounding_closes_gaps_smaller_than_a_step(tmp_path: Path) -> None:
    """With rounding 0.1 no score lies between 89.9 and 90, so there is no gap."""
    text = 'tiers "t" { A "a" when score >= 90  B "b" when score <= 89.9 }'

    assert [] == codes(tmp_path, text)


def test_a_gap_between_steps_is_reported(tmp_path: Path) -> None:
    """With rounding 0.1, the scores between 89.8 and 90 leave 89.9 without a tier."""
    text = 'tiers "t" { A "a" when score >= 90  B "b" when score <= 89.8 }'

    [found] = diagnostics(tmp_path, text)

    assert "E2302" == found.code
    assert "no tier covers the scores `(89.8, 90)`" == found.message()


def test_score_sets_of_comparisons() -> None:
    """Comparisons, flipped comparisons, `in`, `and`, `or` and `not` are exact."""
    score, ninety = ast.ScoreRef(), ast.Number(Decimal(90))
    at_least = ast.Compare(">=", score, ninety)
    flipped = ast.Compare("<=", ninety, score)
    members = ast.Member(score, (ast.Number(Decimal(1)), ast.Number(Decimal(2))))
    opaque = ast.Listed("red")

    assert score_sets(at_least) == score_sets(flipped)
    assert ((Interval(Decimal(90), Decimal("Infinity"), True, False),),) * 2 == (
        score_sets(at_least)
    )
    assert (Interval(Decimal(1), Decimal(1)), Interval(Decimal(2), Decimal(2))) == (
        score_sets(members)[0]
    )
    assert ((), EVERYTHING) == score_sets(opaque)
    assert ((), score_sets(at_least)[1]) == score_sets(ast.And((at_least, opaque)))
    assert (score_sets(at_least)[0], EVERYTHING) == score_sets(
        ast.Or((at_least, opaque))
    )
    below = (Interval(Decimal("-Infinity"), Decimal(90), False, False),)
    assert (below, below) == score_sets(ast.Not(at_least))


def test_tiers_without_range_still_find_gaps(tmp_path: Path) -> None:
    """Without a range, a score below every threshold is a gap down to -∞."""
    path = tmp_path / "t.rules"
    path.write_text('tiers "t" { A "a" when score >= 90 }', encoding="utf-8")

    _, found = check_collect(path)

    assert ["no tier covers the scores `(-∞, 90)`"] == [d.message() for d in found]


def test_veto_reading_the_tier_is_a_cycle(tmp_path: Path) -> None:
    """A veto forces the tier, so a veto that reads the tier is a circle."""
    text = TIERS + 'veto v "v" { forces C when tier == A }'

    [found] = diagnostics(tmp_path, text)

    assert "E2401" == found.code
    assert "these depend on each other in a circle: tier → veto v → tier" == (
        found.message()
    )


def test_list_reading_the_tier_alone_is_no_cycle(tmp_path: Path) -> None:
    """A list that reads the tier is fine while the tier does not read the list."""
    text = TIERS + 'list red "红" { enter when tier == A }'

    assert [] == codes(tmp_path, text)


def test_stdlib_declarations_are_never_unused(tmp_path: Path) -> None:
    """A policy that uses few stdlib record types gets no unused warning for them."""
    assert [] == codes(tmp_path, TIERS)


def test_deeply_nested_tree_is_a_diagnostic_not_a_crash(tmp_path: Path) -> None:
    """A tree deeper than the parser would build is reported, not a RecursionError."""
    path = tmp_path / "t.rules"
    path.write_text(TIERS, encoding="utf-8")
    policy = load(path)
    deep: ast.Expr = ast.Compare(">=", ast.ScoreRef(), ast.Number(Decimal(90)))
    for _ in range(5000):
        deep = ast.Not(deep)
    assert policy.tiers is not None
    tiers = attrs.evolve(policy.tiers, tiers=(ast.TierDef("A", when=deep),))

    found = check(attrs.evolve(policy, tiers=tiers))

    assert "E2901" in [d.code for d in found]


def test_diagnostics_are_sorted_and_repeatable(tmp_path: Path) -> None:
    """Two runs give the same diagnostics in file, line and column order."""
    text = 'rule b "b" { on inspektion points -1 }\nrule a "a" { points -1, -2 in x }\n'

    first, second = diagnostics(tmp_path, text), diagnostics(tmp_path, text)

    assert first == second
    assert sorted(first, key=lambda d: (d.span.line, d.span.column)) == first


def test_every_checker_message_has_chinese() -> None:
    """Each checker code has a message in Chinese and a lowercase one in English."""
    import credit_rules.dsl.checker  # noqa: F401  (defines the codes)

    kinds = [kind for kind in MESSAGES if kind.code[1] == "2"]

    assert len(kinds) > 40
    for kind in kinds:
        assert re.search(r"[\u4e00-\u9fff]", kind.text.zh), kind.code
        assert kind.text.en[0].islower() or kind.text.en[0] in "`{", kind.code
