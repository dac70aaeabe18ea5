from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

import credit_rules.dsl  # noqa: F401  (loads the package before its submodules)
from credit_rules.dsl import ast
from credit_rules.dsl.formatter import condition, format_module, format_text
from credit_rules.dsl.parser import parse
from credit_rules.errors import PolicyError
from dsl import strategies

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def _repo_rules_files() -> list[Path]:
    found = [
        *ROOT.glob("policies/**/*.rules"),
        *ROOT.glob("src/credit_rules/stdlib/*.rules"),
    ]
    return sorted(found)


def _comment_texts(module: ast.Module) -> list[str]:
    """The texts of a file's comments, sorted: statements may move, comments with them."""
    return sorted(comment.text.rstrip() for comment in module.comments)


@given(strategies.modules)
def test_generated_trees_survive_format_and_parse(module: ast.Module) -> None:
    """Printing any tree and parsing the text back gives the same tree."""
    text = format_module(module)

    assert module == parse(text)


@given(strategies.modules)
def test_formatting_generated_trees_is_idempotent(module: ast.Module) -> None:
    """Formatting formatted text changes nothing."""
    text = format_module(module)

    assert text == format_text(text)


@given(strategies.conditions)
def test_conditions_print_on_one_line(expr: ast.Expr) -> None:
    """A condition printed alone parses back as the same condition."""
    text = f"veto v {{ when {condition(expr)} }}"

    decl = parse(text).items[0]

    assert isinstance(decl, ast.VetoDecl)
    assert expr == decl.when


@pytest.mark.parametrize("path", _repo_rules_files(), ids=lambda p: p.name)
def test_repo_files_format_idempotently(path: Path) -> None:
    """Every `.rules` file of the repository formats to a fixed point with its tree."""
    text = path.read_text(encoding="utf-8")

    once = format_text(text, str(path))

    assert once == format_text(once, str(path))
    assert parse(text, str(path)).items == parse(once, str(path)).items


@pytest.mark.parametrize("path", _repo_rules_files(), ids=lambda p: p.name)
def test_repo_files_keep_their_comments(path: Path) -> None:
    """Formatting keeps every comment of a repository file, word for word."""
    text = path.read_text(encoding="utf-8")

    once = format_text(text, str(path))

    assert _comment_texts(parse(text)) == _comment_texts(parse(once))


def test_repo_has_rules_files() -> None:
    """The corpus tests above have files to run on, or say why they are skipped."""
    if not _repo_rules_files():
        pytest.skip("the repository has no `.rules` files yet")
    assert _repo_rules_files()


def test_messy_file_formats_to_golden_file() -> None:
    """The untidy example file formats exactly to its golden counterpart."""
    messy = (FIXTURES / "messy.rules").read_text(encoding="utf-8")
    golden = (FIXTURES / "messy.formatted.rules").read_text(encoding="utf-8")

    assert golden == format_text(messy, "messy.rules")


def test_golden_file_is_a_fixed_point() -> None:
    """The golden file is already in the canonical layout."""
    golden = (FIXTURES / "messy.formatted.rules").read_text(encoding="utf-8")

    assert golden == format_text(golden, "messy.formatted.rules")


def test_messy_file_keeps_its_comments() -> None:
    """Every comment of the untidy file survives, word for word."""
    messy = (FIXTURES / "messy.rules").read_text(encoding="utf-8")

    formatted = format_text(messy, "messy.rules")

    assert _comment_texts(parse(messy)) == _comment_texts(parse(formatted))


def test_comment_on_its_own_line_goes_with_the_next_statement() -> None:
    """A comment above a statement moves with it when statements are reordered."""
    text = 'rule r {\n  source "s"\n  # why minus ten\n  points -10\n}\n'

    assert (
        'rule r {\n  # why minus ten\n  points -10\n  source "s"\n}\n'
        == format_text(text)
    )


def test_trailing_comment_stays_on_its_statement() -> None:
    """A comment at the end of a line stays at the end of that statement's line."""
    text = 'rule r { source "s"\n points -1 # one\n}'

    assert 'rule r {\n  points -1  # one\n  source "s"\n}\n' == format_text(text)


def test_comments_at_end_of_body_and_file_stay_there() -> None:
    """Comments after the last statement or item stay last."""
    text = "group g {\n at most 5\n # body end\n}\n\n# file end\n"

    expected = "group g {\n  at most +5\n  # body end\n}\n\n# file end\n"
    assert expected == format_text(text)


def test_blank_line_between_comment_blocks_is_kept() -> None:
    """A file's opening comment stays apart from the comment of the first item."""
    text = "# file\n\n# item\nimport stdlib.agri\n"

    assert text == format_text(text)


def test_empty_body_prints_as_braces() -> None:
    """A body with nothing in it is written `{}`."""
    assert "rule r {}\n" == format_text("rule r {\n\n}")


def test_long_condition_breaks_before_and() -> None:
    """A condition too wide for one line breaks before each top-level `and`."""
    parts = [f"field_number_{i} == value_number_{i}" for i in range(4)]
    text = f"veto v {{ when {' and '.join(parts)} }}"

    formatted = format_text(text)

    lines = formatted.splitlines()
    assert f"  when {parts[0]}" == lines[1]
    assert f"      and {parts[1]}" == lines[2]
    assert all(len(line) <= 88 for line in lines)


def test_points_and_caps_keep_their_sign() -> None:
    """Positive points and caps are written with `+`; other numbers without."""
    text = "rule r { points 5 at most 20 }\nscore { base 100 rounding 0.10 }"

    formatted = format_text(text)

    assert "  points +5\n  at most +20\n" in formatted
    assert "  base 100\n  rounding 0.10\n" in formatted


def test_strings_are_escaped() -> None:
    """Quotes, backslashes, newlines and tabs in strings are written as escapes."""
    decl = ast.RecordDecl("r", source='say "hi"\\\n\t')

    text = format_module(ast.Module("<text>", (decl,)))

    assert 'record r {\n  source "say \\"hi\\"\\\\\\n\\t"\n}\n' == text
    assert decl == parse(text).items[0]


def test_syntax_error_raises_policy_error() -> None:
    """Formatting broken text raises the library's own error, not a Lark one."""
    with pytest.raises(PolicyError):
        format_text("rule r { points }")


def test_empty_file_formats_to_nothing() -> None:
    """An empty file, or one of blank lines, formats to the empty text."""
    assert "" == format_text("\n\n  \n")
