from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal as D

import pytest

import credit_rules.dsl  # noqa: F401  (loads the package before its submodules)
from credit_rules.dsl import ast
from credit_rules.dsl.parser import MAX_FILE_BYTES, decode, parse, parse_collect
from credit_rules.errors import PolicyError


def _only(text: str) -> ast.Item:
    items = parse(text).items
    assert 1 == len(items)
    return items[0]


def _when(condition: str) -> ast.Expr | None:
    veto = _only(f"veto v {{ when {condition} }}")
    assert isinstance(veto, ast.VetoDecl)
    return veto.when


a, b, c = (ast.Ref((name,)) for name in "abc")
LABEL = ast.Label("守信", "trustworthy")

DECLARATIONS = [
    (
        'policy p "政策" / "policy" { extends "../base" version "1" source "s" note "n" }',
        ast.PolicyHeader("p", ast.Label("政策", "policy"), "../base", "1", "s", ("n",)),
    ),
    ("import stdlib.agri", ast.Import("stdlib.agri")),
    (
        'enum 等级 "等级" { 高 "高" / "high"  low }',
        ast.EnumDecl(
            "等级",
            ast.Label("等级"),
            (ast.EnumValue("高", ast.Label("高", "high")), ast.EnumValue("low")),
        ),
    ),
    (
        'record penalty { article: text "条款"  source "s" note "n" }',
        ast.RecordDecl(
            "penalty",
            None,
            (ast.FieldDecl("article", "text", ast.Label("条款")),),
            "s",
            ("n",),
        ),
    ),
    (
        'subject "主体" { name: text }',
        ast.SubjectDecl(ast.Label("主体"), (ast.FieldDecl("name", "text"),)),
    ),
    (
        "score { base 80 range 0 to 100 rounding 0.1 }",
        ast.ScoreDecl(None, D(80), D(0), D(100), D("0.1")),
    ),
    (
        'group bonus { at most +20 assumed "x" }',
        ast.GroupDecl("bonus", cap=D(20), assumed="x"),
    ),
    (
        "rule r { on test where result == fail points -10, -15 within 1 year "
        "at most -30 in g counts for 2 years repair general }",
        ast.RuleDecl(
            "r",
            on=ast.Query(
                "test", ast.Compare("==", ast.Ref(("result",)), ast.Ref(("fail",)))
            ),
            points=(D(-10), D(-15)),
            window=ast.Duration(1, "year"),
            cap=D(-30),
            group="g",
            counts=ast.CountsFor(ast.Duration(2, "year")),
            repair="general",
        ),
    ),
    (
        "rule r { points -1 each counts from valid_from until valid_until repair none }",
        ast.RuleDecl(
            "r",
            points=(D(-1),),
            counts=ast.CountsBetween("valid_from", "valid_until"),
            repair="none",
        ),
    ),
    ("rule r { counts forever }", ast.RuleDecl("r", counts=ast.CountsForever())),
    (
        'tiers { A "守信" / "trustworthy" when score >= 90  D otherwise  start A }',
        ast.TiersDecl(
            None,
            (
                ast.TierDef(
                    "A", LABEL, ast.Compare(">=", ast.ScoreRef(), ast.Number(D(90)))
                ),
                ast.TierDef("D"),
            ),
            "A",
        ),
    ),
    (
        "veto v { forces D when listed(black) locked 2 years }",
        ast.VetoDecl(
            "v", forces="D", when=ast.Listed("black"), locked=ast.Duration(2, "year")
        ),
    ),
    (
        "supervision s { tiers A, B when active(e) inspections 2 per month sampling 5% }",
        ast.SupervisionDecl(
            "s",
            tiers=("A", "B"),
            when=ast.Active("e"),
            inspections=ast.Rate(D(2), "month"),
            sampling=ast.Rate(D(5)),
        ),
    ),
    (
        "list l { enter on p enter when a stay at least 1 year stay at most 3 years "
        "leave when b publish name, credit_code }",
        ast.ListDecl(
            "l",
            enter_on=ast.Query("p"),
            enter_when=a,
            min_stay=ast.Duration(1, "year"),
            max_stay=ast.Duration(3, "year"),
            leave_when=b,
            publish=("name", "credit_code"),
        ),
    ),
    (
        "effect e { incentive when tier == A lasts 10 days }",
        ast.EffectDecl(
            "e",
            kind="incentive",
            when=ast.Compare("==", ast.TierRef(), ast.Ref(("A",))),
            lasts=ast.Duration(10, "day"),
        ),
    ),
    (
        "repair general { after 3 months requires letter, rectification unless a }",
        ast.RepairDecl(
            "general",
            after=ast.Duration(3, "month"),
            requires=("letter", "rectification"),
            unless=a,
        ),
    ),
    ("override group g {}", ast.Override(ast.GroupDecl("g"))),
    ("remove rule old", ast.Remove("rule", "old")),
]


@pytest.mark.parametrize(("text", "expected"), DECLARATIONS, ids=lambda x: str(x)[:30])
def test_declaration(text: str, expected: ast.Item) -> None:
    """Each kind of declaration and statement parses into its syntax tree."""
    assert expected == _only(text)


CONDITIONS = [
    ("a or b and not c", ast.Or((a, ast.And((b, ast.Not(c)))))),
    ("(a or b) and c", ast.And((ast.Or((a, b)), c))),
    ("a and (b and c)", ast.And((a, b, c))),
    ("x.y != 1.5", ast.Compare("!=", ast.Ref(("x", "y")), ast.Number(D("1.5")))),
    (
        'a in ["x", 2026-04-01]',
        ast.Member(a, (ast.String("x"), ast.DateLiteral(dt.date(2026, 4, 1)))),
    ),
    ("a not in [true, false]", ast.Member(a, (ast.Bool(True), ast.Bool(False)), True)),
    (
        "any(p where a within 3 years)",
        ast.AnyOf(ast.Query("p", a, ast.Duration(3, "year"))),
    ),
    ("none(p)", ast.NoneOf(ast.Query("p"))),
    ("count(p) >= 2", ast.Compare(">=", ast.Count(ast.Query("p")), ast.Number(D(2)))),
    (
        "subject.kind == family_farm",
        ast.Compare("==", ast.Ref(("subject", "kind")), ast.Ref(("family_farm",))),
    ),
    ('note == "中\\"文"', ast.Compare("==", ast.Ref(("note",)), ast.String('中"文'))),
]


@pytest.mark.parametrize(
    ("text", "expected"), CONDITIONS, ids=[t for t, _ in CONDITIONS]
)
def test_condition(text: str, expected: ast.Expr) -> None:
    """Each form of condition parses with `or` < `and` < `not` precedence."""
    assert expected == _when(text)


def test_comments_are_kept_with_spans() -> None:
    """Comments are collected with their line, and `#` inside a string is not one."""
    module = parse('# one\nrecord r { source "#x" }  # two\n')

    assert ["# one", "# two"] == [comment.text for comment in module.comments]
    assert [1, 2] == [comment.span.line for comment in module.comments]


def test_three_broken_declarations_give_three_diagnostics() -> None:
    """Parsing resumes at the next top-level declaration after each error."""
    text = (
        "rule a { points }\n"
        "rule ok { points -1 }\n"
        "veto b { forces }\n"
        "group c { at most }\n"
    )

    module, diagnostics = parse_collect(text)

    assert [1, 3, 4] == [d.span.line for d in diagnostics]
    assert [ast.RuleDecl("ok", points=(D(-1),))] == list(module.items)


def test_statement_given_twice_is_reported() -> None:
    """A statement given twice in one declaration is an error, E0010."""
    _, diagnostics = parse_collect("rule r { points -1 points -2 }")

    assert ["E0010"] == [d.code for d in diagnostics]


def test_file_too_large() -> None:
    """Text over the size limit gets E0007 and is not parsed."""
    _, diagnostics = parse_collect("#" * (MAX_FILE_BYTES + 1))

    assert ["E0007"] == [d.code for d in diagnostics]


def test_one_million_brackets_fail_fast() -> None:
    """A file of one million `(`, right at the size limit, gets E0008 at once."""
    started = time.monotonic()

    _, diagnostics = parse_collect("(" * 1_000_000)

    assert ["E0008"] == [d.code for d in diagnostics]
    assert time.monotonic() - started < 5


def test_binary_data_is_rejected() -> None:
    """Bytes with a NUL are called a binary file, E0006."""
    text, diagnostics = decode(b"rule \x00\x01\x02", "x.rules")

    assert text is None
    assert ["E0006"] == [d.code for d in diagnostics]


def test_invalid_utf8_is_rejected_with_its_offset() -> None:
    """Bytes that are not UTF-8 get E0005 pointing at the first bad byte."""
    text, diagnostics = decode(b"rule r {}\n\xff", "x.rules")

    assert text is None
    assert ["E0005"] == [d.code for d in diagnostics]
    assert (2, 1) == (diagnostics[0].span.line, diagnostics[0].span.column)


def test_utf8_with_bom_is_read() -> None:
    """A byte order mark at the start of a file is dropped."""
    text, diagnostics = decode("\ufeffimport stdlib.agri".encode(), "x.rules")

    assert ("import stdlib.agri", []) == (text, diagnostics)


def test_parse_raises_policy_error() -> None:
    """`parse` raises PolicyError carrying the diagnostics."""
    with pytest.raises(PolicyError) as caught:
        parse("rule r {")

    assert caught.value.diagnostics
