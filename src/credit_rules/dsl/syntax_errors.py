# Full-width punctuation is written here on purpose, to recognise it.
# ruff: noqa: RUF001
"""Turn Lark's parse failures into diagnostics that say what to write instead.

A failure is first matched against a catalogue of known mistakes (`=` for `==`,
Chinese punctuation, a keyword used as a name); failing that, the message names the
token found and what the grammar expected there, in words.
"""

from __future__ import annotations

import functools

from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
)
from lark.lexer import PatternStr

from credit_rules.dsl.diagnostics import Diagnostic, define
from credit_rules.dsl.span import Span

UNEXPECTED = define(
    "E0001",
    "unexpected {found}; expected {expected}",
    "此处不应出现 {found}；应为 {expected}",
)
UNCLOSED = define(
    "E0002",
    "the file ends before this declaration is complete",
    "文件在声明完整之前就结束了",
    help=("a closing `}` is probably missing", "可能缺少右花括号 `}`"),
)
BAD_CHARACTER = define(
    "E0003",
    "`{char}` cannot appear here",
    "此处不能出现 `{char}`",
)
UNTERMINATED = define(
    "E0004",
    "this string is not closed",
    "字符串缺少结束引号",
    help=('close it with `"` on the same line', '请在同一行用 `"` 结束字符串'),
)
KEYWORD_AS_NAME = define(
    "E0015",
    "`{word}` is a keyword and cannot be used as a name here",
    "`{word}` 是关键字，不能在此处用作名称",
    help=("choose another name, e.g. `{word}_1`", "请换一个名称，例如 `{word}_1`"),
)

_CHARACTER_HELP: dict[str, tuple[str, str]] = {
    "=": ("compare with `==`", "比较请用 `==`"),
    "&": ("write `and`", "请写 `and`"),
    "|": ("write `or`", "请写 `or`"),
    "!": ("write `not`, or `!=` to compare", "请写 `not`，或用 `!=` 比较"),
    "'": ('strings use double quotes `"`', '字符串请用双引号 `"`'),
    ";": (
        "statements need no separator; start a new line",
        "语句之间无需分隔符，换行即可",
    ),
}
_FULL_WIDTH = {
    "，": ",",
    "（": "(",
    "）": ")",
    "“": '"',
    "”": '"',
    "：": ":",
    "【": "[",
    "】": "]",
    "｛": "{",
    "｝": "}",
    "／": "/",
    "％": "%",
    "；": ";",
}
_NAMED: dict[str, str] = {
    "NAME": "a name",
    "STRING": 'a "string"',
    "NUMBER": "a number",
    "DATE": "a date",
    "UNIT": "`days`, `months` or `years`",
    "COMPARE": "a comparison such as `==`",
    "$END": "the end of the file",
}


@functools.cache
def _literal_terminals() -> dict[str, str]:
    from credit_rules.dsl.parser import _lark

    return {
        terminal.name: terminal.pattern.value
        for terminal in _lark().terminals
        if isinstance(terminal.pattern, PatternStr)
    }


def _describe_terminal(name: str) -> str:
    if name in _NAMED:
        return _NAMED[name]
    literal = _literal_terminals().get(name)
    return f"`{literal}`" if literal is not None else name.lower()


def _expected(names: set[str] | frozenset[str] | list[str]) -> str:
    words = sorted({_describe_terminal(n) for n in names if not n.startswith("__")})
    if not words:
        return "something else"
    if len(words) > 8:
        return ", ".join(words[:8]) + " or another statement"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def describe(error: UnexpectedInput, text: str, path: str) -> Diagnostic:
    """Return the diagnostic for one parse failure.

    Args:
        error: What Lark raised.
        text: The text that was parsed.
        path: The file's path, for the span.
    """
    if isinstance(error, UnexpectedCharacters):
        return _bad_character(error, text, path)

    if isinstance(error, UnexpectedEOF):
        return UNCLOSED.at(_end_span(text, path))

    assert isinstance(error, UnexpectedToken)
    token = error.token
    if token.type == "$END":
        return UNCLOSED.at(_end_span(text, path))

    span = Span(
        path,
        token.line or 1,
        token.column or 1,
        token.end_line or token.line or 1,
        token.end_column or (token.column or 1) + len(str(token)),
    )
    expected = error.accepts or error.expected
    if "NAME" in expected and str(token).isidentifier():
        return KEYWORD_AS_NAME.at(span, word=str(token))

    return UNEXPECTED.at(span, found=f"`{token}`", expected=_expected(expected))


def _bad_character(error: UnexpectedCharacters, text: str, path: str) -> Diagnostic:
    offset = int(getattr(error, "pos_in_stream", 0) or 0)
    char = text[offset] if offset < len(text) else ""
    span = Span(path, error.line, error.column, error.line, error.column + 1)
    if char == '"':
        return UNTERMINATED.at(span)

    if char in _FULL_WIDTH:
        ascii_char = _FULL_WIDTH[char]
        return BAD_CHARACTER.at(
            span,
            char=char,
            help=(
                f"use the ASCII `{ascii_char}` instead of the full-width `{char}`",
                f"请使用半角 `{ascii_char}`，而不是全角 `{char}`",
            ),
        )

    help = _CHARACTER_HELP.get(char)
    printable = char if char.isprintable() else repr(char)
    return BAD_CHARACTER.at(span, char=printable, help=help)


def _end_span(text: str, path: str) -> Span:
    stripped = text.rstrip()
    line = stripped.count("\n") + 1
    column = len(stripped) - (stripped.rfind("\n") + 1) + 1
    return Span(path, line, max(column - 1, 1), line, max(column, 2))
