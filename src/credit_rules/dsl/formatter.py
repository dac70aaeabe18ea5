"""Print a syntax tree in the one canonical layout of `.rules` files.

The layout: top-level declarations start at the first column, one blank line
apart (a run of imports stays together); a body is indented by two spaces with
one statement per line, in a fixed order for each kind of declaration; an empty
body is `{}`. Points and caps keep their sign (`+5`, `-10`), other numbers only a
minus. Conditions get the fewest parentheses that precedence allows (`or` binds
loosest, then `and`, then `not`), and one longer than the line width is broken
before each top-level `and` or `or`, four spaces deeper.

Comments are kept. A comment on a line of its own goes with the declaration or
statement that follows it, a comment at the end of a line stays at the end of
its statement, and comments at the end of a body or file stay there. Statements
are found by the lines of their spans, or, for those whose values carry no span,
by the keyword that starts a line of the source.

Formatting is idempotent, and the parser reads back the tree it printed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.parser import parse
from credit_rules.dsl.span import Span

__all__ = ["LINE_WIDTH", "format_module", "format_text"]

LINE_WIDTH = 88
"""Conditions that would make a line wider than this are broken over lines."""

_BODY = "  "
_CONTINUATION = "    "

_OR, _AND, _NOT, _ATOM = 1, 2, 3, 4
"""Binding strength of conditions: a weaker one inside a stronger needs brackets."""


# ---- values ---------------------------------------------------------------------


def _string(value: str) -> str:
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _label(label: ast.Label | None) -> str:
    if label is None:
        return ""
    if label.en is None:
        return f" {_string(label.zh)}"
    return f" {_string(label.zh)} / {_string(label.en)}"


def _number(value: Decimal) -> str:
    digits = format(value.copy_abs(), "f")
    return f"-{digits}" if value < 0 else digits


def _signed(value: Decimal) -> str:
    return f"+{_number(value)}" if value > 0 else _number(value)


def _rate(rate: ast.Rate) -> str:
    if rate.per is None:
        return f"{_number(rate.value)}%"
    return f"{_number(rate.value)} per {rate.per}"


def _names(names: Iterable[str]) -> str:
    return ", ".join(names)


# ---- conditions -----------------------------------------------------------------


def _strength(expr: ast.Expr) -> int:
    if isinstance(expr, ast.Or):
        return _OR
    if isinstance(expr, ast.And):
        return _AND
    if isinstance(expr, ast.Not):
        return _NOT
    return _ATOM


def _query(query: ast.Query) -> str:
    text = query.record_type
    if query.where is not None:
        text += f" where {condition(query.where)}"
    if query.within is not None:
        text += f" within {query.within}"
    return text


def _operand(expr: ast.Expr) -> str:
    """Print an expression that can stand as an operand, or in brackets if not."""
    return condition(expr, _ATOM)


def condition(expr: ast.Expr, weakest: int = _OR) -> str:
    """Print a condition on one line, bracketed if it binds weaker than `weakest`.

    Args:
        expr: The condition or operand.
        weakest: The weakest binding that may stand unbracketed in this place.

    Returns:
        The condition as `.rules` text.

    Example:
        >>> a, b, c = (ast.Ref((name,)) for name in "abc")
        >>> condition(ast.And((ast.Or((a, b)), ast.Not(c))))
        '(a or b) and not c'
    """
    text = _condition(expr)
    return f"({text})" if _strength(expr) < weakest else text


def _condition(expr: ast.Expr) -> str:
    match expr:
        case ast.Or(items=items):
            return " or ".join(condition(item, _AND) for item in items)
        case ast.And(items=items):
            return " and ".join(condition(item, _NOT) for item in items)
        case ast.Not(item=item):
            return f"not {condition(item, _NOT)}"
        case ast.Compare(op=op, left=left, right=right):
            return f"{_operand(left)} {op} {_operand(right)}"
        case ast.Member(operand=operand, values=values, negated=negated):
            word = "not in" if negated else "in"
            listed = ", ".join(_operand(value) for value in values)
            return f"{_operand(operand)} {word} [{listed}]"
        case ast.AnyOf(query=query):
            return f"any({_query(query)})"
        case ast.NoneOf(query=query):
            return f"none({_query(query)})"
        case ast.Count(query=query):
            return f"count({_query(query)})"
        case ast.Listed(list_name=name):
            return f"listed({name})"
        case ast.Active(effect_name=name):
            return f"active({name})"
        case _:
            return _literal(expr)


def _literal(expr: ast.Expr) -> str:
    match expr:
        case ast.Ref():
            return expr.dotted
        case ast.Number(value=value):
            return _number(value)
        case ast.String(value=value):
            return _string(value)
        case ast.DateLiteral(value=value):
            return value.isoformat()
        case ast.Bool(value=value):
            return "true" if value else "false"
        case ast.ScoreRef():
            return "score"
        case ast.TierRef():
            return "tier"
    raise TypeError(f"cannot format `{type(expr).__name__}` as a condition")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrapped(prefix: str, expr: ast.Expr, suffix: str = "") -> list[str]:
    """Lay out `prefix condition suffix`, broken before `and`/`or` if too wide."""
    line = f"{prefix}{condition(expr)}{suffix}"
    if _width(_BODY + line) <= LINE_WIDTH or not isinstance(expr, ast.And | ast.Or):
        return [line]

    word, weakest = ("and", _NOT) if isinstance(expr, ast.And) else ("or", _AND)
    parts = [condition(item, weakest) for item in expr.items]
    lines = [prefix + parts[0], *(f"{_CONTINUATION}{word} {p}" for p in parts[1:])]
    lines[-1] += suffix
    return lines


def _query_lines(keyword: str, query: ast.Query) -> list[str]:
    if query.where is None:
        return [f"{keyword} {_query(query)}"]
    suffix = f" within {query.within}" if query.within is not None else ""
    return _wrapped(f"{keyword} {query.record_type} where ", query.where, suffix)


# ---- statements -----------------------------------------------------------------


@attrs.frozen
class _Statement:
    """A statement's lines, with the source lines it came from when known."""

    lines: list[str]
    first: int | None = None
    last: int | None = None


class _Lines:
    """Finds the source line of statements whose values carry no span.

    Such a statement is looked up by the keyword that starts a line of the
    declaration's body; the first line of the declaration counts from its `{`.
    """

    def __init__(self, source: Sequence[str] | None, span: Span) -> None:
        self._found: dict[str, list[int]] = {}
        if source is None or span.line <= 0:
            return
        for number in range(span.line, min(span.end_line, len(source)) + 1):
            text = source[number - 1]
            if number == span.line:
                text = _after_brace(text)
            match = _FIRST_WORD.match(text)
            if match:
                self._found.setdefault(match.group(1), []).append(number)

    def line(self, keyword: str, occurrence: int = 0) -> int | None:
        """Return the line of the `occurrence`-th statement starting with `keyword`."""
        lines = self._found.get(keyword, [])
        return lines[occurrence] if occurrence < len(lines) else None


_FIRST_WORD = re.compile(r"\s*([^\W\d]\w*)")
_STRING_OR_BRACE = re.compile(r'"(?:[^"\\\n]|\\.)*"|(\{)')


def _after_brace(text: str) -> str:
    for match in _STRING_OR_BRACE.finditer(text):
        if match.group(1):
            return text[match.end() :]
    return ""


def _spanned(lines: list[str], *nodes: object) -> _Statement:
    spans = [
        span
        for node in nodes
        if (span := getattr(node, "span", None)) is not None and span.line > 0
    ]
    if not spans:
        return _Statement(lines)
    return _Statement(lines, min(s.line for s in spans), max(s.end_line for s in spans))


class _Body:
    """Collects the statements of one declaration's body in canonical order."""

    def __init__(self, lines: _Lines) -> None:
        self.statements: list[_Statement] = []
        self._lines = lines

    def keyword(self, text: str, keyword: str, occurrence: int = 0) -> None:
        """Add a one-line statement found in the source by its keyword."""
        line = self._lines.line(keyword, occurrence)
        self.statements.append(_Statement([text], line, line))

    def node(self, lines: list[str], *nodes: object) -> None:
        """Add a statement found in the source by the spans of its nodes."""
        self.statements.append(_spanned(lines, *nodes))

    def texts(self, decl: object) -> None:
        """Add the `source`, `assumed` and `note` statements that close a body."""
        source = getattr(decl, "source", None)
        if source is not None:
            self.keyword(f"source {_string(source)}", "source")
        assumed = getattr(decl, "assumed", None)
        if assumed is not None:
            self.keyword(f"assumed {_string(assumed)}", "assumed")
        for index, note in enumerate(getattr(decl, "notes", ())):
            self.keyword(f"note {_string(note)}", "note", index)

    def when(self, keyword: str, expr: ast.Expr | None) -> None:
        """Add a statement of a keyword and a condition, if there is a condition."""
        if expr is not None:
            self.node(_wrapped(f"{keyword} ", expr), expr)

    def duration(self, keyword: str, duration: ast.Duration | None) -> None:
        """Add a statement of a keyword and a duration, if there is a duration."""
        if duration is not None:
            self.node([f"{keyword} {duration}"], duration)


# ---- declarations ---------------------------------------------------------------


def _policy(decl: ast.PolicyHeader, body: _Body) -> str:
    if decl.extends is not None:
        body.keyword(f"extends {_string(decl.extends)}", "extends")
    if decl.version is not None:
        body.keyword(f"version {_string(decl.version)}", "version")
    body.texts(decl)
    return f"policy {decl.name}{_label(decl.label)}"


def _enum(decl: ast.EnumDecl, body: _Body) -> str:
    for value in decl.values:
        body.node([f"{value.name}{_label(value.label)}"], value)
    return f"enum {decl.name}{_label(decl.label)}"


def _fields(fields: tuple[ast.FieldDecl, ...], body: _Body) -> None:
    for field in fields:
        body.node([f"{field.name}: {field.type}{_label(field.label)}"], field)


def _record(decl: ast.RecordDecl, body: _Body) -> str:
    _fields(decl.fields, body)
    body.texts(decl)
    return f"record {decl.name}{_label(decl.label)}"


def _subject(decl: ast.SubjectDecl, body: _Body) -> str:
    _fields(decl.fields, body)
    body.texts(decl)
    return f"subject{_label(decl.label)}"


def _score(decl: ast.ScoreDecl, body: _Body) -> str:
    # `base` has a default, so whether it was written is unknown; it is always
    # printed, which keeps the score's starting value in plain sight.
    body.keyword(f"base {_number(decl.base)}", "base")
    if decl.low is not None and decl.high is not None:
        body.keyword(f"range {_number(decl.low)} to {_number(decl.high)}", "range")
    if decl.rounding is not None:
        body.keyword(f"rounding {_number(decl.rounding)}", "rounding")
    body.texts(decl)
    return f"score{_label(decl.label)}"


def _group(decl: ast.GroupDecl, body: _Body) -> str:
    if decl.cap is not None:
        body.keyword(f"at most {_signed(decl.cap)}", "at")
    body.texts(decl)
    return f"group {decl.name}{_label(decl.label)}"


def _counts(counts: ast.Counts, body: _Body) -> None:
    match counts:
        case ast.CountsFor(duration=duration):
            body.node([f"counts for {duration}"], counts)
        case ast.CountsBetween(start_field=start, end_field=end):
            body.node([f"counts from {start} until {end}"], counts)
        case ast.CountsForever(span=span) if span.line > 0:
            # `counts forever` is the default; it is kept only where written.
            body.node(["counts forever"], counts)


def _rule(decl: ast.RuleDecl, body: _Body) -> str:
    if decl.on is not None:
        body.node(_query_lines("on", decl.on), decl.on)
    if decl.points:
        points = ", ".join(_signed(value) for value in decl.points)
        window = f" within {decl.window}" if decl.window is not None else ""
        body.keyword(f"points {points}{window}", "points")
    if decl.cap is not None:
        body.keyword(f"at most {_signed(decl.cap)}", "at")
    if decl.group is not None:
        body.keyword(f"in {decl.group}", "in")
    _counts(decl.counts, body)
    if decl.repair is not None:
        body.keyword(f"repair {decl.repair}", "repair")
    body.texts(decl)
    return f"rule {decl.name}{_label(decl.label)}"


def _tiers(decl: ast.TiersDecl, body: _Body) -> str:
    for tier in decl.tiers:
        head = f"{tier.name}{_label(tier.label)}"
        if tier.when is None:
            body.node([f"{head} otherwise"], tier)
        else:
            body.node(_wrapped(f"{head} when ", tier.when), tier)
    if decl.start is not None:
        body.keyword(f"start {decl.start}", "start")
    body.texts(decl)
    return f"tiers{_label(decl.label)}"


def _veto(decl: ast.VetoDecl, body: _Body) -> str:
    if decl.forces is not None:
        body.keyword(f"forces {decl.forces}", "forces")
    body.when("when", decl.when)
    body.duration("locked", decl.locked)
    body.texts(decl)
    return f"veto {decl.name}{_label(decl.label)}"


def _supervision(decl: ast.SupervisionDecl, body: _Body) -> str:
    if decl.tiers:
        body.keyword(f"tiers {_names(decl.tiers)}", "tiers")
    body.when("when", decl.when)
    if decl.inspections is not None:
        body.node([f"inspections {_rate(decl.inspections)}"], decl.inspections)
    if decl.sampling is not None:
        body.node([f"sampling {_rate(decl.sampling)}"], decl.sampling)
    body.texts(decl)
    return f"supervision {decl.name}{_label(decl.label)}"


def _list(decl: ast.ListDecl, body: _Body) -> str:
    if decl.enter_on is not None:
        body.node(_query_lines("enter on", decl.enter_on), decl.enter_on)
    body.when("enter when", decl.enter_when)
    body.duration("stay at least", decl.min_stay)
    body.duration("stay at most", decl.max_stay)
    body.when("leave when", decl.leave_when)
    if decl.publish:
        body.keyword(f"publish {_names(decl.publish)}", "publish")
    body.texts(decl)
    return f"list {decl.name}{_label(decl.label)}"


def _effect(decl: ast.EffectDecl, body: _Body) -> str:
    if decl.kind is not None:
        body.keyword(decl.kind, decl.kind)
    body.when("when", decl.when)
    body.duration("lasts", decl.lasts)
    body.texts(decl)
    return f"effect {decl.name}{_label(decl.label)}"


def _repair(decl: ast.RepairDecl, body: _Body) -> str:
    body.duration("after", decl.after)
    if decl.requires:
        body.keyword(f"requires {_names(decl.requires)}", "requires")
    body.when("unless", decl.unless)
    body.texts(decl)
    return f"repair {decl.name}{_label(decl.label)}"


_DECLARATIONS: dict[type, Callable[[Any, _Body], str]] = {
    ast.PolicyHeader: _policy,
    ast.EnumDecl: _enum,
    ast.RecordDecl: _record,
    ast.SubjectDecl: _subject,
    ast.ScoreDecl: _score,
    ast.GroupDecl: _group,
    ast.RuleDecl: _rule,
    ast.TiersDecl: _tiers,
    ast.VetoDecl: _veto,
    ast.SupervisionDecl: _supervision,
    ast.ListDecl: _list,
    ast.EffectDecl: _effect,
    ast.RepairDecl: _repair,
}
"""How to print the header and body of each kind of declaration with a body."""


@attrs.frozen
class _Block:
    """One top-level item laid out; `statements` is None for an item without braces."""

    header: str
    statements: list[_Statement] | None
    span: Span


def _block(item: ast.Item, source: Sequence[str] | None) -> _Block:
    match item:
        case ast.Import(module=module):
            return _Block(f"import {module}", None, item.span)
        case ast.Remove(kind=kind, name=name):
            return _Block(f"remove {kind} {name}", None, item.span)
        case ast.Override(decl=decl):
            inner = _block(decl, source)
            return _Block(f"override {inner.header}", inner.statements, item.span)
    body = _Body(_Lines(source, item.span))
    header = _DECLARATIONS[type(item)](item, body)
    return _Block(header, body.statements, item.span)


# ---- comments -------------------------------------------------------------------


@attrs.define
class _Comments:
    """The comments that go with one top-level item, by where they go."""

    before: list[ast.Comment] = attrs.Factory(list)
    header: list[ast.Comment] = attrs.Factory(list)
    leading: dict[int, list[ast.Comment]] = attrs.Factory(dict)
    trailing: dict[int, list[ast.Comment]] = attrs.Factory(dict)
    end: list[ast.Comment] = attrs.Factory(list)
    closing: list[ast.Comment] = attrs.Factory(list)

    def inside(self) -> bool:
        """Whether any comment goes between the braces."""
        return bool(self.leading or self.trailing or self.end)


def _place(
    blocks: Sequence[_Block], comments: Iterable[ast.Comment]
) -> tuple[list[_Comments], list[ast.Comment]]:
    """Give each comment its place; return those of each block and of the end."""
    placed = [_Comments() for _ in blocks]
    tail: list[ast.Comment] = []
    for comment in sorted(comments, key=lambda c: (c.span.line, c.span.column)):
        line = comment.span.line
        inside = next(
            (i for i, b in enumerate(blocks) if b.span.line <= line <= b.span.end_line),
            None,
        )
        if inside is not None:
            _place_inside(blocks[inside], placed[inside], comment)
            continue

        following = next((i for i, b in enumerate(blocks) if b.span.line > line), None)
        if following is None:
            tail.append(comment)
        else:
            placed[following].before.append(comment)
    return placed, tail


def _place_inside(block: _Block, placed: _Comments, comment: ast.Comment) -> None:
    line = comment.span.line
    statements = block.statements or []
    known = [(i, s) for i, s in enumerate(statements) if s.first is not None]
    holder = next(
        (
            i
            for i, s in known
            if s.first is not None and s.last is not None and s.first <= line <= s.last
        ),
        None,
    )
    if holder is not None:
        placed.trailing.setdefault(holder, []).append(comment)
        return

    if line == block.span.line:
        placed.header.append(comment)
        return

    if line == block.span.end_line or block.statements is None:
        placed.closing.append(comment)
        return

    after = [(s.first, i) for i, s in known if s.first is not None and s.first > line]
    if after:
        placed.leading.setdefault(min(after)[1], []).append(comment)
    else:
        placed.end.append(comment)


def _text(comment: ast.Comment) -> str:
    return comment.text.rstrip()


def _with_trailing(
    lines: list[str], trailing: list[ast.Comment], indent: str
) -> list[str]:
    """Put one comment at the end of the last line; several go above, one a line."""
    if not trailing:
        return lines
    if len(trailing) > 1:
        return [*(indent + _text(c) for c in trailing), *lines]
    return [*lines[:-1], f"{lines[-1]}  {_text(trailing[0])}"]


def _emit(block: _Block, comments: _Comments) -> list[str]:
    """Lay out one top-level item with the comments inside and beside it."""
    if block.statements is None:
        return _with_trailing([block.header], comments.header + comments.closing, "")

    edges = comments.header + comments.closing
    if not block.statements and not comments.inside() and len(edges) <= 1:
        return _with_trailing([f"{block.header} {{}}"], edges, "")

    out = _with_trailing([f"{block.header} {{"], comments.header, "")
    for index, statement in enumerate(block.statements):
        out.extend(_BODY + _text(c) for c in comments.leading.get(index, []))
        lines = [_BODY + line for line in statement.lines]
        out.extend(_with_trailing(lines, comments.trailing.get(index, []), _BODY))
    out.extend(_BODY + _text(c) for c in comments.end)
    out.extend(_with_trailing(["}"], comments.closing, ""))
    return out


def _own_lines(comments: Sequence[ast.Comment], next_line: int) -> list[str]:
    """Comments on lines of their own, keeping a blank line where the source had one."""
    out: list[str] = []
    for index, comment in enumerate(comments):
        out.append(_text(comment))
        following = (
            comments[index + 1].span.line if index + 1 < len(comments) else next_line
        )
        if following - comment.span.line > 1:
            out.append("")
    return out


# ---- entry points ---------------------------------------------------------------


def format_module(module: ast.Module, source: str | None = None) -> str:
    """Print a parsed file in the canonical layout, with its comments.

    Args:
        module: The file's syntax tree, as `parser.parse` returns it.
        source: The text it was parsed from; without it, comments inside a body
            can only be placed by statements whose values carry spans.

    Returns:
        The file's text, ending with a newline unless it is empty.

    Example:
        >>> text = 'group bonus "加分"{at most 20}'
        >>> print(format_module(parse(text), text), end="")
        group bonus "加分" {
          at most +20
        }
    """
    lines = source.split("\n") if source is not None else None
    blocks = [_block(item, lines) for item in module.items]
    placed, tail = _place(blocks, module.comments)

    out: list[str] = []
    previous: ast.Item | None = None
    for item, block, comments in zip(module.items, blocks, placed, strict=True):
        imports = isinstance(item, ast.Import) and isinstance(previous, ast.Import)
        if out and not (imports and not comments.before):
            out.append("")
        out.extend(_own_lines(comments.before, block.span.line))
        out.extend(_emit(block, comments))
        previous = item

    if tail:
        last = blocks[-1].span.end_line if blocks else tail[0].span.line
        if out and tail[0].span.line - last > 1:
            out.append("")
        out.extend(_own_lines(tail, tail[-1].span.line + 1))
        while out and not out[-1]:
            out.pop()
    return "\n".join(out) + "\n" if out else ""


def format_text(text: str, path: str = "<text>") -> str:
    """Parse the text of a `.rules` file and print it in the canonical layout.

    Args:
        text: The file's text.
        path: The path to name in diagnostics.

    Returns:
        The formatted text.

    Raises:
        PolicyError: If the text has syntax errors.

    Example:
        >>> print(format_text("import stdlib.agri   # shared types"), end="")
        import stdlib.agri  # shared types
    """
    return format_module(parse(text, path), text)
