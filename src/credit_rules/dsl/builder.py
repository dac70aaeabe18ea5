# The transformer's methods are named after grammar rules and documented by them.
# ruff: noqa: D102
"""Turn Lark's parse tree into the syntax tree of `ast`, with spans.

The grammar lets a declaration's statements come in any order; the builder files
each statement into its field and reports a statement given twice. Values whose
form the grammar cannot check — a whole number of days, a real calendar date —
are checked here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
from lark import Token, Tree
from lark.tree import Meta

from credit_rules.dsl import ast
from credit_rules.dsl.diagnostics import Diagnostic, define
from credit_rules.dsl.span import Span

DUPLICATE_STATEMENT = define(
    "E0010",
    "`{statement}` is given twice in this declaration",
    "本声明中 `{statement}` 出现了两次",
    help=("keep one of them", "请只保留一处"),
)
NOT_WHOLE = define(
    "E0011",
    "a duration needs a whole positive number, not `{value}`",
    "时长必须是正整数，而不是 `{value}`",
    help=("write e.g. `3 months`", "例如写作 `3 months`"),
)
BAD_DATE = define(
    "E0012",
    "`{value}` is not a date",
    "`{value}` 不是有效日期",
    help=(
        "dates are written YYYY-MM-DD and must exist",
        "日期写作 YYYY-MM-DD，且须真实存在",
    ),
)
BAD_RATE_UNIT = define(
    "E0013",
    "a frequency is counted per year or per month, not per `{unit}`",
    "频次只能按年或按月计，不能按 `{unit}`",
    help=("write e.g. `2 per year`", "例如写作 `2 per year`"),
)
BAD_NUMBER = define(
    "E0014",
    "`{value}` is not a number this rule can use",
    "`{value}` 不是可用的数值",
)

_UNITS: dict[str, ast.Unit] = {
    "day": "day",
    "days": "day",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t"}


def unquote(token: str) -> str:
    """Return the value of a string literal, escapes resolved."""
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), token[1:-1])


@attrs.frozen
class _Statement:
    """One statement of a declaration's body, before it is filed into a field."""

    key: str
    value: Any
    span: Span


def _statement(key: str, convert: Callable[[TreeBuilder, list[Any]], Any]) -> Any:
    """Make a transformer method that wraps one statement's value for `_fields`."""

    def method(self: TreeBuilder, meta: Meta, children: list[Any]) -> _Statement:
        return _Statement(key, convert(self, children), self._span(meta))

    return method


class TreeBuilder:
    """Builds `ast` nodes of one file from Lark's parse tree.

    Each grammar rule (or alias) has a method of its name taking the node's
    position and its children, already built. The walk is written here rather
    than taken from Lark's `Transformer`, whose per-call wrappers cost more than
    the building itself.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.diagnostics: list[Diagnostic] = []

    # ---- helpers ------------------------------------------------------------------

    def _span(self, meta: Meta) -> Span:
        if getattr(meta, "empty", True):
            return Span.point(self.path)
        return Span(self.path, meta.line, meta.column, meta.end_line, meta.end_column)

    def _token_span(self, token: Token) -> Span:
        return Span(
            self.path,
            token.line or 1,
            token.column or 1,
            token.end_line or token.line or 1,
            token.end_column or token.column or 1,
        )

    def _fields(self, children: list[Any], allowed: dict[str, str]) -> dict[str, Any]:
        """File statements into keyword arguments; report repeats.

        Args:
            children: The declaration's children after its name and label.
            allowed: Statement key to the name of the field it fills; a key whose
                field name starts with `*` collects every occurrence into a tuple.
        """
        values: dict[str, Any] = {}
        for child in children:
            if not isinstance(child, _Statement) or child.key not in allowed:
                continue
            field = allowed[child.key]
            if field.startswith("*"):
                values[field[1:]] = (*values.get(field[1:], ()), child.value)
            elif field in values:
                self.diagnostics.append(
                    DUPLICATE_STATEMENT.at(child.span, statement=child.key)
                )
            else:
                values[field] = child.value
        return values

    @staticmethod
    def _head(children: list[Any]) -> tuple[str, ast.Label | None, list[Any]]:
        name = str(children[0])
        rest = children[1:]
        label = rest[0] if rest and isinstance(rest[0], ast.Label) else None
        return name, label, rest[1:] if label is not None else rest

    @staticmethod
    def _label_of(children: list[Any]) -> tuple[ast.Label | None, list[Any]]:
        if children and isinstance(children[0], ast.Label):
            return children[0], children[1:]
        return None, children

    def _number(self, token: Token) -> Decimal:
        try:
            return Decimal(str(token))
        except InvalidOperation:
            self.diagnostics.append(BAD_NUMBER.at(self._token_span(token), value=token))
            return Decimal(0)

    # ---- file and header ------------------------------------------------------------

    def transform(self, tree: Tree[Token]) -> list[ast.Item]:
        """Return the items of a whole file's parse tree."""
        items: list[ast.Item] = self._build(tree)
        return items

    def _build(self, node: Tree[Token] | Token) -> Any:
        if isinstance(node, Token):
            return node
        children = [self._build(child) for child in node.children]
        return getattr(self, node.data)(node.meta, children)

    def start(self, meta: Meta, children: list[ast.Item]) -> list[ast.Item]:
        return children

    def label(self, meta: Meta, children: list[Token]) -> ast.Label:
        zh = unquote(children[0])
        en = unquote(children[1]) if len(children) > 1 else None
        return ast.Label(zh, en, span=self._span(meta))

    extends = _statement("extends", lambda self, c: unquote(c[0]))
    version = _statement("version", lambda self, c: unquote(c[0]))
    source = _statement("source", lambda self, c: unquote(c[0]))
    note = _statement("note", lambda self, c: unquote(c[0]))
    assumed = _statement("assumed", lambda self, c: unquote(c[0]))

    def policy(self, meta: Meta, children: list[Any]) -> ast.PolicyHeader:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "extends": "extends",
                "version": "version",
                "source": "source",
                "note": "*notes",
            },
        )
        return ast.PolicyHeader(name, label, **fields, span=self._span(meta))

    def import_(self, meta: Meta, children: list[Token]) -> ast.Import:
        return ast.Import(".".join(str(c) for c in children), span=self._span(meta))

    def override(self, meta: Meta, children: list[Any]) -> ast.Override:
        return ast.Override(children[0], span=self._span(meta))

    def remove(self, meta: Meta, children: list[Any]) -> ast.Remove:
        return ast.Remove(children[0], str(children[1]), span=self._span(meta))

    def kind_enum(self, meta: Meta, _: list[Any]) -> str:
        return "enum"

    def kind_record(self, meta: Meta, _: list[Any]) -> str:
        return "record"

    def kind_group(self, meta: Meta, _: list[Any]) -> str:
        return "group"

    def kind_rule(self, meta: Meta, _: list[Any]) -> str:
        return "rule"

    def kind_veto(self, meta: Meta, _: list[Any]) -> str:
        return "veto"

    def kind_supervision(self, meta: Meta, _: list[Any]) -> str:
        return "supervision"

    def kind_list(self, meta: Meta, _: list[Any]) -> str:
        return "list"

    def kind_effect(self, meta: Meta, _: list[Any]) -> str:
        return "effect"

    def kind_repair(self, meta: Meta, _: list[Any]) -> str:
        return "repair"

    # ---- types ----------------------------------------------------------------------

    def enum(self, meta: Meta, children: list[Any]) -> ast.EnumDecl:
        name, label, rest = self._head(children)
        values = tuple(c for c in rest if isinstance(c, ast.EnumValue))
        return ast.EnumDecl(name, label, values, span=self._span(meta))

    def enum_value(self, meta: Meta, children: list[Any]) -> ast.EnumValue:
        name, label, _ = self._head(children)
        return ast.EnumValue(name, label, span=self._span(meta))

    def field(self, meta: Meta, children: list[Any]) -> ast.FieldDecl:
        label = children[2] if len(children) > 2 else None
        return ast.FieldDecl(
            str(children[0]), str(children[1]), label, span=self._span(meta)
        )

    def record(self, meta: Meta, children: list[Any]) -> ast.RecordDecl:
        name, label, rest = self._head(children)
        fields = tuple(c for c in rest if isinstance(c, ast.FieldDecl))
        extra = self._fields(rest, {"source": "source", "note": "*notes"})
        return ast.RecordDecl(name, label, fields, **extra, span=self._span(meta))

    def subject(self, meta: Meta, children: list[Any]) -> ast.SubjectDecl:
        label, rest = self._label_of(children)
        fields = tuple(c for c in rest if isinstance(c, ast.FieldDecl))
        extra = self._fields(rest, {"source": "source", "note": "*notes"})
        return ast.SubjectDecl(label, fields, **extra, span=self._span(meta))

    # ---- score, groups, rules ----------------------------------------------------------

    base = _statement("base", lambda self, c: self._number(c[0]))
    rounding = _statement("rounding", lambda self, c: self._number(c[0]))
    range = _statement(
        "range", lambda self, c: (self._number(c[0]), self._number(c[1]))
    )
    cap = _statement("at most", lambda self, c: self._number(c[0]))
    in_group = _statement("in", lambda self, c: str(c[0]))
    on = _statement("on", lambda self, c: c[0])
    repair_class = _statement("repair", lambda self, c: str(c[0]))
    no_repair = _statement("repair", lambda self, c: "none")

    def score(self, meta: Meta, children: list[Any]) -> ast.ScoreDecl:
        label, rest = self._label_of(children)
        fields = self._fields(
            rest,
            {
                "base": "base",
                "range": "range",
                "rounding": "rounding",
                "source": "source",
                "note": "*notes",
            },
        )
        low, high = fields.pop("range", (None, None))
        return ast.ScoreDecl(label, **fields, low=low, high=high, span=self._span(meta))

    def group(self, meta: Meta, children: list[Any]) -> ast.GroupDecl:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "at most": "cap",
                "source": "source",
                "assumed": "assumed",
                "note": "*notes",
            },
        )
        return ast.GroupDecl(name, label, **fields, span=self._span(meta))

    def points(self, meta: Meta, children: list[Any]) -> _Statement:
        values = tuple(
            self._number(c)
            for c in children
            if isinstance(c, Token) and c.type == "NUMBER"
        )
        window = next((c for c in children if isinstance(c, ast.Duration)), None)
        return _Statement("points", (values, window), self._span(meta))

    def counts_for(self, meta: Meta, children: list[Any]) -> _Statement:
        span = self._span(meta)
        return _Statement("counts", ast.CountsFor(children[0], span=span), span)

    def counts_between(self, meta: Meta, children: list[Any]) -> _Statement:
        span = self._span(meta)
        counts = ast.CountsBetween(str(children[0]), str(children[1]), span=span)
        return _Statement("counts", counts, span)

    def counts_forever(self, meta: Meta, children: list[Any]) -> _Statement:
        span = self._span(meta)
        return _Statement("counts", ast.CountsForever(span=span), span)

    def rule(self, meta: Meta, children: list[Any]) -> ast.RuleDecl:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "on": "on",
                "points": "points",
                "at most": "cap",
                "in": "group",
                "counts": "counts",
                "repair": "repair",
                "source": "source",
                "assumed": "assumed",
                "note": "*notes",
            },
        )
        points, window = fields.pop("points", ((), None))
        return ast.RuleDecl(
            name, label, points=points, window=window, **fields, span=self._span(meta)
        )

    # ---- tiers, vetoes, supervision -----------------------------------------------------

    def tier_when(self, meta: Meta, children: list[Any]) -> ast.TierDef:
        name, label, rest = self._head(children)
        return ast.TierDef(name, label, rest[0], span=self._span(meta))

    def tier_otherwise(self, meta: Meta, children: list[Any]) -> ast.TierDef:
        name, label, _ = self._head(children)
        return ast.TierDef(name, label, None, span=self._span(meta))

    start_tier = _statement("start", lambda self, c: str(c[0]))

    def tiers(self, meta: Meta, children: list[Any]) -> ast.TiersDecl:
        label, rest = self._label_of(children)
        defs = tuple(c for c in rest if isinstance(c, ast.TierDef))
        fields = self._fields(
            rest, {"start": "start", "source": "source", "note": "*notes"}
        )
        return ast.TiersDecl(label, defs, **fields, span=self._span(meta))

    forces = _statement("forces", lambda self, c: str(c[0]))
    when = _statement("when", lambda self, c: c[0])
    locked = _statement("locked", lambda self, c: c[0])

    def veto(self, meta: Meta, children: list[Any]) -> ast.VetoDecl:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "forces": "forces",
                "when": "when",
                "locked": "locked",
                "source": "source",
                "assumed": "assumed",
                "note": "*notes",
            },
        )
        return ast.VetoDecl(name, label, **fields, span=self._span(meta))

    for_tiers = _statement("tiers", lambda self, c: tuple(str(t) for t in c))
    inspections = _statement("inspections", lambda self, c: c[0])
    sampling = _statement("sampling", lambda self, c: c[0])

    def rate_per(self, meta: Meta, children: list[Token]) -> ast.Rate:
        unit = _UNITS[str(children[1])]
        if unit == "day":
            self.diagnostics.append(
                BAD_RATE_UNIT.at(self._token_span(children[1]), unit=children[1])
            )
        return ast.Rate(self._number(children[0]), unit, span=self._span(meta))

    def rate_share(self, meta: Meta, children: list[Token]) -> ast.Rate:
        return ast.Rate(self._number(children[0]), None, span=self._span(meta))

    def supervision(self, meta: Meta, children: list[Any]) -> ast.SupervisionDecl:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "tiers": "tiers",
                "when": "when",
                "inspections": "inspections",
                "sampling": "sampling",
                "source": "source",
                "assumed": "assumed",
                "note": "*notes",
            },
        )
        return ast.SupervisionDecl(name, label, **fields, span=self._span(meta))

    # ---- lists, effects, repair ----------------------------------------------------------

    enter_on = _statement("enter on", lambda self, c: c[0])
    enter_when = _statement("enter when", lambda self, c: c[0])
    stay_min = _statement("stay at least", lambda self, c: c[0])
    stay_max = _statement("stay at most", lambda self, c: c[0])
    leave_when = _statement("leave when", lambda self, c: c[0])
    publish = _statement("publish", lambda self, c: tuple(str(t) for t in c))

    def list_(self, meta: Meta, children: list[Any]) -> ast.ListDecl:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "enter on": "enter_on",
                "enter when": "enter_when",
                "stay at least": "min_stay",
                "stay at most": "max_stay",
                "leave when": "leave_when",
                "publish": "publish",
                "source": "source",
                "assumed": "assumed",
                "note": "*notes",
            },
        )
        return ast.ListDecl(name, label, **fields, span=self._span(meta))

    # The key names the statement as written, for the "given twice" message.
    effect_kind = _statement("incentive` or `sanction", lambda self, c: str(c[0]))
    lasts = _statement("lasts", lambda self, c: c[0])

    def effect(self, meta: Meta, children: list[Any]) -> ast.EffectDecl:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "incentive` or `sanction": "kind",
                "when": "when",
                "lasts": "lasts",
                "source": "source",
                "assumed": "assumed",
                "note": "*notes",
            },
        )
        return ast.EffectDecl(name, label, **fields, span=self._span(meta))

    after = _statement("after", lambda self, c: c[0])
    requires = _statement("requires", lambda self, c: tuple(str(t) for t in c))
    unless = _statement("unless", lambda self, c: c[0])

    def repair(self, meta: Meta, children: list[Any]) -> ast.RepairDecl:
        name, label, rest = self._head(children)
        fields = self._fields(
            rest,
            {
                "after": "after",
                "requires": "requires",
                "unless": "unless",
                "source": "source",
                "assumed": "assumed",
                "note": "*notes",
            },
        )
        return ast.RepairDecl(name, label, **fields, span=self._span(meta))

    # ---- conditions ------------------------------------------------------------------------

    def duration(self, meta: Meta, children: list[Token]) -> ast.Duration:
        span = self._span(meta)
        text = str(children[0])
        amount = int(text) if text.isdigit() else 0
        if amount <= 0:
            self.diagnostics.append(NOT_WHOLE.at(span, value=text))
            amount = max(amount, 1)
        return ast.Duration(amount, _UNITS[str(children[1])], span=span)

    def query(self, meta: Meta, children: list[Any]) -> ast.Query:
        record_type = str(children[0])
        within = next((c for c in children[1:] if isinstance(c, ast.Duration)), None)
        where = next((c for c in children[1:] if not isinstance(c, ast.Duration)), None)
        return ast.Query(record_type, where, within, span=self._span(meta))

    def or_(self, meta: Meta, children: list[ast.Expr]) -> ast.Or:
        return ast.Or(_flatten(ast.Or, children), span=self._span(meta))

    def and_(self, meta: Meta, children: list[ast.Expr]) -> ast.And:
        return ast.And(_flatten(ast.And, children), span=self._span(meta))

    def not_(self, meta: Meta, children: list[ast.Expr]) -> ast.Not:
        return ast.Not(children[0], span=self._span(meta))

    def compare(self, meta: Meta, children: list[Any]) -> ast.Compare:
        left, op, right = children
        return ast.Compare(str(op), left, right, span=self._span(meta))  # type: ignore[arg-type]

    def member(self, meta: Meta, children: list[Any]) -> ast.Member:
        return ast.Member(
            children[0], tuple(children[1:]), False, span=self._span(meta)
        )

    def not_member(self, meta: Meta, children: list[Any]) -> ast.Member:
        return ast.Member(children[0], tuple(children[1:]), True, span=self._span(meta))

    def any_(self, meta: Meta, children: list[Any]) -> ast.AnyOf:
        return ast.AnyOf(children[0], span=self._span(meta))

    def none_(self, meta: Meta, children: list[Any]) -> ast.NoneOf:
        return ast.NoneOf(children[0], span=self._span(meta))

    def count(self, meta: Meta, children: list[Any]) -> ast.Count:
        return ast.Count(children[0], span=self._span(meta))

    def listed(self, meta: Meta, children: list[Token]) -> ast.Listed:
        return ast.Listed(str(children[0]), span=self._span(meta))

    def active(self, meta: Meta, children: list[Token]) -> ast.Active:
        return ast.Active(str(children[0]), span=self._span(meta))

    def ref(self, meta: Meta, children: list[Token]) -> ast.Ref:
        return ast.Ref(tuple(str(c) for c in children), span=self._span(meta))

    def number(self, meta: Meta, children: list[Token]) -> ast.Number:
        return ast.Number(self._number(children[0]), span=self._span(meta))

    def string(self, meta: Meta, children: list[Token]) -> ast.String:
        return ast.String(unquote(children[0]), span=self._span(meta))

    def date(self, meta: Meta, children: list[Token]) -> ast.DateLiteral:
        span = self._span(meta)
        try:
            value = dt.date.fromisoformat(str(children[0]))
        except ValueError:
            self.diagnostics.append(BAD_DATE.at(span, value=children[0]))
            value = dt.date(1970, 1, 1)
        return ast.DateLiteral(value, span=span)

    def true(self, meta: Meta, children: list[Token]) -> ast.Bool:
        return ast.Bool(True, span=self._span(meta))

    def false(self, meta: Meta, children: list[Token]) -> ast.Bool:
        return ast.Bool(False, span=self._span(meta))

    def score_ref(self, meta: Meta, children: list[Token]) -> ast.ScoreRef:
        return ast.ScoreRef(span=self._span(meta))

    def tier_ref(self, meta: Meta, children: list[Token]) -> ast.TierRef:
        return ast.TierRef(span=self._span(meta))


def _flatten(
    kind: type[ast.And] | type[ast.Or], items: list[ast.Expr]
) -> tuple[ast.Expr, ...]:
    """Merge nested `and`s (or `or`s) that the left-recursive grammar produces."""
    flat: list[ast.Expr] = []
    for item in items:
        if isinstance(item, kind):
            flat.extend(item.items)
        else:
            flat.append(item)
    return tuple(flat)
