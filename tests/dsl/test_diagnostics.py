import pytest

from credit_rules.dsl.diagnostics import (
    MessageRegistry,
    Severity,
    define,
    has_errors,
    render,
    summary,
    to_json,
)
from credit_rules.dsl.span import Span
from credit_rules.errors import PolicyError

UNKNOWN = define(
    "T0001",
    "unknown record type `{name}`",
    "未知的记录类型 `{name}`",
    help=("did you mean `{suggestion}`?", "是否想写 `{suggestion}`？"),
)
UNUSED = define(
    "T0002",
    "rule `{name}` is never used",
    "规则 `{name}` 未被使用",
    severity=Severity.WARNING,
)


def test_message_in_both_languages() -> None:
    """A diagnostic formats its kind's template in the language asked for."""
    found = UNKNOWN.at(Span("a.rules", 1, 1, 1, 5), name="x", suggestion="y")

    assert "unknown record type `x`" == found.message()
    assert "未知的记录类型 `x`" == found.message("zh")
    assert "是否想写 `y`？" == found.help_text("zh")


def test_own_help_replaces_the_kinds_help() -> None:
    """Help given to one diagnostic wins over the help of its kind."""
    found = UNKNOWN.at(Span("a.rules", 1, 1, 1, 2), help="remove it", name="x")

    assert "remove it" == found.help_text("en")


def test_diagnostics_are_hashable_whatever_the_argument_order() -> None:
    """Arguments are stored as sorted pairs, so equal diagnostics hash equal."""
    span = Span("a.rules", 1, 1, 1, 2)
    first = UNKNOWN.at(span, name="x", suggestion="y")
    second = UNKNOWN.at(span, suggestion="y", name="x")

    assert 1 == len({first, second})


def test_redefining_a_code_with_other_text_fails() -> None:
    """Two modules cannot claim one code for different messages."""
    registry = MessageRegistry()
    registry.define("X1", "a", "甲")

    with pytest.raises(ValueError, match="defined twice"):
        registry.define("X1", "b", "乙")


def test_missing_template_argument_stays_visible() -> None:
    """A template field with no value shows as written instead of raising."""
    found = UNKNOWN.at(Span("a.rules", 1, 1, 1, 2))

    assert "unknown record type `{name}`" == found.message()


def test_render_shows_line_and_caret() -> None:
    """The rendered block has the location, the source line and carets under the span."""
    found = UNKNOWN.at(Span("a.rules", 2, 4, 2, 8), name="samp", suggestion="sampling")
    sources = {"a.rules": "rules {\non samp where\n}"}

    expected = (
        "a.rules:2:4: error[T0001]: unknown record type `samp`\n"
        " 2 | on samp where\n"
        "   |    ^^^^\n"
        "  = help: did you mean `sampling`?"
    )
    assert expected == render([found], sources)


def test_render_aligns_caret_after_wide_characters_and_tabs() -> None:
    """Chinese characters count two columns and tabs expand, keeping the caret aligned."""
    found = UNUSED.at(Span("a.rules", 1, 5, 1, 7), name="x")
    sources = {"a.rules": "\t抽检 xy"}

    lines = render([found], lambda path: sources.get(path)).splitlines()

    assert " 1 |     抽检 xy" == lines[1]
    assert "   |          ^^" == lines[2]


def test_render_clips_multiline_spans_to_the_first_line() -> None:
    """A span over several lines is marked to the end of its first line."""
    found = UNUSED.at(Span("a.rules", 1, 3, 3, 2), name="x")

    lines = render([found], {"a.rules": "a bcd\nx\ny"}).splitlines()

    assert "   |   ^^^" == lines[2]


def test_render_without_source_keeps_the_heading() -> None:
    """A file that cannot be read still gets its location and message."""
    found = UNUSED.at(Span("gone.rules", 3, 1, 3, 2), name="x")

    assert "gone.rules:3:1: warning[T0002]: rule `x` is never used" == render(
        [found], {}
    )


def test_render_in_chinese_uses_chinese_severity_words() -> None:
    """Chinese output says 错误 and 帮助."""
    found = UNKNOWN.at(Span("a.rules", 1, 1, 1, 2), name="x", suggestion="y")

    text = render([found], {}, lang="zh")

    assert (
        "a.rules:1:1: 错误[T0001]: 未知的记录类型 `x`\n  = 帮助: 是否想写 `y`？" == text
    )


def test_render_sorts_by_file_line_column_and_code() -> None:
    """Diagnostics come out in source order whatever order they were found in."""
    late = UNUSED.at(Span("b.rules", 1, 1, 1, 2), name="late")
    early = UNUSED.at(Span("a.rules", 9, 1, 9, 2), name="early")

    text = render([late, early], {})

    assert text.index("early") < text.index("late")


def test_to_json_has_the_editor_fields() -> None:
    """Each JSON item has the code, severity, texts and the full span."""
    found = UNKNOWN.at(Span("a.rules", 1, 2, 1, 4), name="x", suggestion="y")

    expected = {
        "code": "T0001",
        "severity": "error",
        "message": "unknown record type `x`",
        "help": "did you mean `y`?",
        "file": "a.rules",
        "line": 1,
        "column": 2,
        "end_line": 1,
        "end_column": 4,
    }
    assert [expected] == to_json([found])


def test_summary_counts_errors_and_warnings() -> None:
    """The summary names each severity with a plural when needed."""
    span = Span("a.rules", 1, 1, 1, 2)
    found = [UNKNOWN.at(span, name="a"), UNKNOWN.at(span, name="b"), UNUSED.at(span)]

    assert "2 errors, 1 warning" == summary(found)
    assert "2 个错误，1 个警告" == summary(found, "zh")
    assert "no problems" == summary([])
    assert has_errors(found)


def test_policy_error_lists_its_diagnostics() -> None:
    """`str(PolicyError)` gives the count and one line per diagnostic."""
    found = UNKNOWN.at(Span("a.rules", 1, 2, 1, 4), name="x", suggestion="y")

    expected = (
        "the policy has 1 error:\na.rules:1:2: error[T0001]: unknown record type `x`"
    )
    assert expected == str(PolicyError([found]))
