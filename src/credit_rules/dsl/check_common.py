"""What the checker's passes share: the policy under check, spans of names, hints.

The syntax tree keeps a span per declaration and per expression, but not per name
inside a statement (`in bonus`, `forces D`, `publish name, credit_code`). To point
a caret at such a name, `Scope.find` looks for it in the source text of the
declaration's span; statements start with keywords, so the search is exact in
practice and falls back to the declaration's first line otherwise.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.diagnostics import Diagnostic
from credit_rules.dsl.policy import Policy
from credit_rules.dsl.span import Span

FIELD_TYPES = ("text", "number", "bool", "date", "credit_code", "record_id")
"""The built-in field types; an enum's name is a field type too."""

SUBJECT_KIND = "subject_kind"
"""The stdlib enum of `subject.kind`, an attribute every subject has."""

STDLIB_LAYER = "stdlib"
"""The layer of the standard library's declarations."""

_SHOWN = 8
"""How many valid names a hint lists before it stops."""


def suggestion(name: str, candidates: Iterable[str]) -> tuple[str, str] | None:
    """Return "did you mean" help for a misspelt `name`, in English and Chinese.

    Args:
        name: The name as written.
        candidates: The names that would have been valid there.

    Returns:
        The help, or None when no candidate is close.

    Example:
        >>> suggestion("samplng_test", ["sampling_test", "penalty"])[0]
        'did you mean `sampling_test`?'
    """
    close = difflib.get_close_matches(name, sorted(set(candidates)), n=1)
    if not close:
        return None
    return f"did you mean `{close[0]}`?", f"是否想写 `{close[0]}`？"


def known_names(candidates: Iterable[str]) -> str:
    """Return a short list of valid names in backticks, for a message."""
    names = sorted(set(candidates))
    if not names:
        return "none"
    shown = ", ".join(f"`{n}`" for n in names[:_SHOWN])
    return shown + (", …" if len(names) > _SHOWN else "")


_WHAT_ZH = {
    "effect": "联动奖惩措施",
    "field type": "字段类型",
    "field": "字段",
    "group": "分组",
    "list": "名单",
    "publishable name": "可公示的名称",
    "record type": "记录类型",
    "repair class": "信用修复类别",
    "subject attribute": "主体属性",
    "tier": "信用等级",
    "value": "取值",
}
"""The Chinese words for the kinds of names that `unknown_help` speaks of."""


def unknown_help(name: str, candidates: Iterable[str], what: str) -> tuple[str, str]:
    """Return help for an unknown name: the closest name, or the valid ones.

    Args:
        name: The name as written.
        candidates: The names valid there.
        what: What kind of name it is, in English and singular: `repair class`.
    """
    names = list(candidates)
    close = suggestion(name, names)
    if close is not None:
        return close
    what_zh = _WHAT_ZH.get(what, what)
    if not names:
        return f"no {what} is declared; declare one", f"尚未声明任何{what_zh}，请先声明"
    listed = known_names(names)
    plural = what + ("es" if what.endswith("s") else "s")
    return f"the {plural} are {listed}", f"可用的{what_zh}有 {listed}"


@attrs.define
class Scope:
    """The policy under check and the diagnostics found so far."""

    policy: Policy
    diagnostics: list[Diagnostic] = attrs.field(factory=list)

    def report(self, diagnostic: Diagnostic) -> None:
        """Add a diagnostic."""
        self.diagnostics.append(diagnostic)

    def find(self, within: Span, pattern: str, group: int = 1) -> Span:
        """Return the span of `pattern`'s `group` inside the source of `within`.

        Args:
            within: The span to search, such as a declaration's.
            pattern: A regular expression.
            group: The group of the match whose span to return.

        Returns:
            The span of the first match, or the first line of `within` if there
            is none or the source is not available.
        """
        text = self.policy.sources.get(within.file)
        fallback = Span(
            within.file, within.line, within.column, within.line, within.column + 1
        )
        if text is None or within.line < 1:
            return fallback

        start = _offset(text, within.line, within.column)
        end = _offset(text, within.end_line, within.end_column)
        match = re.compile(pattern, re.MULTILINE).search(text, start, max(end, start))
        if match is None or match.start(group) < 0:
            return fallback
        return _span_of(text, within.file, match.start(group), match.end(group))

    def name_in(self, within: Span, keyword: str, name: str) -> Span:
        """Return the span of `name` in a statement `keyword ... name` in `within`.

        Example: the span of `bonus` in `in bonus`, of `C` in `tiers B, C`.
        """
        pattern = rf"\b{keyword}\s+(?:[\w]+\s*,\s*)*?({re.escape(name)})\b"
        return self.find(within, pattern)

    def decl_name(self, decl: ast.Declaration) -> Span:
        """Return the span of a declaration's name, after its keyword."""
        name = getattr(decl, "name", "")
        if not name:
            return self.find(decl.span, r"(\w+)")
        return self.find(decl.span, rf"\b({re.escape(name)})\b")

    def enum_type(self, field_type: str) -> ast.EnumDecl | None:
        """Return the enum that a field type names, or None for a built-in."""
        return self.policy.enums.get(field_type)


def _offset(text: str, line: int, column: int) -> int:
    """Return the offset of a 1-based line and column in `text`."""
    starts = _line_starts(text)
    if line > len(starts):
        return len(text)
    return min(starts[line - 1] + max(column - 1, 0), len(text))


@functools.lru_cache(maxsize=64)
def _line_starts(text: str) -> tuple[int, ...]:
    """Return the offset where each line of `text` starts."""
    return (0, *(m.end() for m in re.finditer("\n", text)))


def _span_of(text: str, file: str, start: int, end: int) -> Span:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Span(file, line, column, line, column + (end - start))


def query_name(query: ast.Query) -> Span:
    """Return the span of a query's record type, the first word of the query."""
    span = query.span
    return Span(
        span.file,
        span.line,
        span.column,
        span.line,
        span.column + len(query.record_type),
    )


def walk(expr: ast.Expr) -> Iterable[ast.Expr]:
    """Yield `expr` and every expression inside it, queries' `where`s included."""
    yield expr
    match expr:
        case ast.Compare(left=left, right=right):
            yield from walk(left)
            yield from walk(right)
        case ast.Member(operand=operand, values=values):
            yield from walk(operand)
            for value in values:
                yield from walk(value)
        case ast.And(items=items) | ast.Or(items=items):
            for item in items:
                yield from walk(item)
        case ast.Not(item=item):
            yield from walk(item)
        case ast.AnyOf(query=query) | ast.NoneOf(query=query) | ast.Count(query=query):
            if query.where is not None:
                yield from walk(query.where)


def queries(expr: ast.Expr | None) -> Iterable[ast.Query]:
    """Yield every query in `expr`."""
    if expr is None:
        return
    for node in walk(expr):
        if isinstance(node, ast.AnyOf | ast.NoneOf | ast.Count):
            yield node.query


def conditions(policy: Policy) -> Iterable[ast.Expr]:
    """Yield every condition of the policy outside the `on` of rules and lists."""
    found: list[ast.Expr | None] = []
    if policy.tiers is not None:
        found += [tier.when for tier in policy.tiers.tiers]
    found += [veto.when for veto in policy.vetoes.values()]
    found += [entry.when for entry in policy.supervision.values()]
    for listing in policy.lists.values():
        found += [listing.enter_when, listing.leave_when]
    found += [effect.when for effect in policy.effects.values()]
    found += [repair.unless for repair in policy.repairs.values()]
    return (condition for condition in found if condition is not None)
