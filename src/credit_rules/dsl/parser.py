"""Parse `.rules` text into a syntax tree, reporting every syntax error at once.

Parsing is done by Lark's LALR parser with the grammar in `rules.lark`. After a
syntax error, parsing resumes at the next top-level declaration, so that one run
reports an error in every broken declaration, not only the first. Formatted files
start every top-level declaration at the first column, which is where resumption
looks.

Limits keep hostile input harmless: a file may be at most `MAX_FILE_BYTES` long and
nest brackets at most `MAX_NESTING` deep; beyond either, the file gets one clear
error and is not parsed.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from credit_rules.dsl import ast
from credit_rules.dsl.builder import TreeBuilder
from credit_rules.dsl.diagnostics import Diagnostic, define
from credit_rules.dsl.lexer import RulesLexer
from credit_rules.dsl.span import Span
from credit_rules.dsl.syntax_errors import describe
from credit_rules.errors import PolicyError

MAX_FILE_BYTES = 1_000_000
"""The largest `.rules` file accepted, in bytes."""

MAX_NESTING = 64
"""The deepest nesting of parentheses and brackets accepted in a condition."""

MAX_ERRORS = 50
"""Syntax errors reported per file before giving up on the rest of it."""

NOT_UTF8 = define(
    "E0005",
    "`{file}` is not UTF-8 text (byte {offset} cannot be decoded)",
    "`{file}` 不是 UTF-8 文本（第 {offset} 字节无法解码）",
    help=(
        "save the file as UTF-8; policies are plain text files",
        "请将文件另存为 UTF-8 编码的纯文本",
    ),
)
BINARY = define(
    "E0006",
    "`{file}` looks like a binary file, not a policy",
    "`{file}` 看起来是二进制文件，不是政策文件",
    help=(
        "only `.rules` text files belong in a policy folder",
        "政策目录中只应有 `.rules` 文本文件",
    ),
)
TOO_LARGE = define(
    "E0007",
    "`{file}` is {size} bytes; a policy file may be at most {limit} bytes",
    "`{file}` 有 {size} 字节；政策文件最多 {limit} 字节",
    help=("split the policy into several files", "请把政策拆分成多个文件"),
)
TOO_DEEP = define(
    "E0008",
    "brackets nest {depth} deep here; at most {limit} levels are allowed",
    "此处括号嵌套 {depth} 层；最多允许 {limit} 层",
    help=(
        "simplify the condition, or split it into several rules",
        "请简化条件，或拆分为多条规则",
    ),
)
TOO_COMPLEX = define(
    "E0016",
    "a condition in `{file}` is too long or nested too deeply to read",
    "`{file}` 中有条件过长或嵌套过深，无法读取",
    help=(
        "split long chains of `or`, `and` and `not` into several rules or lists",
        "请把过长的 `or`、`and`、`not` 链拆分为多条规则或名单",
    ),
)
TOO_MANY_ERRORS = define(
    "E0009",
    "too many syntax errors in `{file}`; the rest of the file was not read",
    "`{file}` 中语法错误过多；文件其余部分未读取",
)

_TOP_LEVEL = re.compile(
    r"^(policy|import|enum|record|subject|score|group|rule|tiers|veto|supervision"
    r"|list|effect|repair|override|remove)\b",
    re.MULTILINE,
)


@functools.cache
def _lark() -> lark.Lark:
    grammar = (
        resources.files("credit_rules.dsl")
        .joinpath("rules.lark")
        .read_text(encoding="utf-8")
    )
    return lark.Lark(
        grammar,
        parser="lalr",
        lexer=RulesLexer,
        propagate_positions=True,
        maybe_placeholders=False,
        # Compiling the LALR tables takes longer than parsing a whole policy;
        # Lark keeps them in the temporary folder, keyed by the grammar's hash.
        cache=True,
    )


_COMMENT = re.compile(r'"(?:[^"\\\n]|\\.)*"|(#[^\n]*)')


def decode(data: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Turn a file's bytes into text, or explain why it is not a policy file.

    Args:
        data: The file's content.
        path: Its path, for the diagnostics.

    Returns:
        The text (None if unusable) and the diagnostics found.
    """
    where = Span.point(path)
    if len(data) > MAX_FILE_BYTES:
        return None, [
            TOO_LARGE.at(where, file=path, size=len(data), limit=MAX_FILE_BYTES)
        ]

    if b"\x00" in data:
        return None, [BINARY.at(where, file=path)]

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [
            NOT_UTF8.at(
                _offset_span(data, error.start, path), file=path, offset=error.start
            )
        ]

    return text, []


def _offset_span(data: bytes, offset: int, path: str) -> Span:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return Span(path, line, column, line, column + 1)


def parse(text: str, path: str = "<text>") -> ast.Module:
    """Parse the text of one `.rules` file.

    Args:
        text: The file's text.
        path: The path to name in spans and diagnostics.

    Returns:
        The file's syntax tree, comments included.

    Raises:
        PolicyError: With every syntax error of the file.

    Example:
        >>> module = parse('rule late "迟报" { on inspection points -1 each }')
        >>> module.items[0].points
        (Decimal('-1'),)
    """
    module, diagnostics = parse_collect(text, path)
    if any(d.is_error for d in diagnostics):
        raise PolicyError(diagnostics)
    return module


def parse_collect(
    text: str, path: str = "<text>"
) -> tuple[ast.Module, list[Diagnostic]]:
    """Parse like `parse`, but return the diagnostics instead of raising.

    The module holds every declaration that parsed; broken ones are left out.
    """
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        size = len(text.encode("utf-8"))
        return ast.Module(path), [
            TOO_LARGE.at(Span.point(path), file=path, size=size, limit=MAX_FILE_BYTES)
        ]

    deep = _too_deep(text, path)
    if deep is not None:
        return ast.Module(path), [deep]

    comments = _comments(text, path)
    diagnostics: list[Diagnostic] = []
    work = text
    for _ in range(MAX_ERRORS):
        builder = TreeBuilder(path)
        try:
            items = builder.transform(_lark().parse(work))
        except UnexpectedInput as error:
            diagnostics.append(describe(error, work, path))
            blanked = _blank_declaration(work, error)
            if blanked == work:
                break
            work = blanked
            continue
        except RecursionError:
            # Chains of `or` and `not` nest the parse tree without brackets, so
            # the bracket limit does not catch them; the tree builder does.
            return ast.Module(path, (), comments), [
                TOO_COMPLEX.at(Span.point(path), file=path)
            ]

        diagnostics.extend(builder.diagnostics)
        return ast.Module(path, tuple(items), comments), diagnostics

    diagnostics.append(TOO_MANY_ERRORS.at(Span.point(path), file=path))
    return ast.Module(path, (), comments), diagnostics


def _comments(text: str, path: str) -> tuple[ast.Comment, ...]:
    found = []
    line_starts = _line_starts(text)
    for match in _COMMENT.finditer(text):
        if match.group(1) is None:
            continue
        line, column = _position(line_starts, match.start(1))
        span = Span(path, line, column, line, column + len(match.group(1)))
        found.append(ast.Comment(match.group(1), span=span))
    return tuple(found)


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(index + 1 for index, char in enumerate(text) if char == "\n")
    return starts


def _position(line_starts: list[int], offset: int) -> tuple[int, int]:
    import bisect

    line = bisect.bisect_right(line_starts, offset)
    return line, offset - line_starts[line - 1] + 1


_BRACKETS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|[(\[]|[)\]]')
"""Strings and comments, to skip, and the brackets between them."""


def _too_deep(text: str, path: str) -> Diagnostic | None:
    """Find brackets nested deeper than the limit, outside strings and comments."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        char = match.group()
        if char in "([":
            depth += 1
            if depth > MAX_NESTING:
                line, column = _position(_line_starts(text), match.start())
                span = Span(path, line, column, line, column + 1)
                return TOO_DEEP.at(
                    span, depth=f"more than {MAX_NESTING}", limit=MAX_NESTING
                )
        elif char in ")]" and depth > 0:
            depth -= 1
    return None


def _error_offset(error: UnexpectedInput, text: str) -> int:
    if isinstance(error, UnexpectedEOF):
        return len(text)
    if isinstance(error, UnexpectedCharacters):
        return int(getattr(error, "pos_in_stream", 0) or 0)
    token = getattr(error, "token", None)
    start = getattr(token, "start_pos", None)
    return start if isinstance(start, int) else len(text)


def _blank_declaration(text: str, error: UnexpectedInput) -> str:
    """Blank out the top-level declaration around an error, keeping line numbers.

    The declaration runs from the last top-level keyword at the start of a line
    before the error to the next one after it (or the end of the file). Replacing
    it with spaces and newlines lets parsing resume with positions unchanged.
    """
    offset = min(_error_offset(error, text), len(text))
    start = 0
    for match in _TOP_LEVEL.finditer(text, 0, offset):
        start = match.start()
    following = _TOP_LEVEL.search(text, offset if offset > start else offset + 1)
    end = following.start() if following else len(text)
    if not text[start:end].strip():
        start, end = offset, len(text)
    blank = re.sub(r"[^\n]", " ", text[start:end])
    return text[:start] + blank + text[end:]
