"""Hypothesis strategies for syntax trees of `.rules` files.

The trees are canonical, as the parser builds them: an `and` holds no `and`
directly (nor an `or` an `or`), comparisons and lists hold operands only, and
every name is an identifier that is not a keyword, in English or Chinese.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from importlib import resources

from hypothesis import strategies as st

from credit_rules.dsl import ast

_GRAMMAR = resources.files("credit_rules.dsl").joinpath("rules.lark").read_text("utf-8")
KEYWORDS = frozenset(re.findall(r'"([a-z]+)"', _GRAMMAR)) | {
    "each",
    "incentive",
    "sanction",
    "day",
    "days",
    "month",
    "months",
    "year",
    "years",
}
"""Every word the grammar reserves somewhere; generated names avoid them all."""

_CHINESE = "农产品质量安全信用监管抽检合格严重一般轻微守信失信名单修复主体记录"
_FIRST = "abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "_" + _CHINESE

names = (
    st.tuples(
        st.sampled_from(_FIRST),
        st.text(alphabet=_FIRST + "0123456789", max_size=7),
    )
    .map("".join)
    .filter(lambda name: name not in KEYWORDS)
)
"""Identifiers, Chinese ones included."""

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
    | st.sampled_from('\n\t"\\#{}'),
    max_size=16,
)
"""The values of string literals: any text, quotes, escapes and newlines included."""

labels = st.builds(
    ast.Label,
    st.text(alphabet=_CHINESE, min_size=1, max_size=6),
    st.none() | texts,
)

decimals = st.builds(
    lambda whole, places: Decimal(whole).scaleb(-places),
    st.integers(-1000, 1000),
    st.integers(0, 2),
)
"""Exact decimals as policies write them: up to two places."""

units = st.sampled_from(["day", "month", "year"])
durations = st.builds(ast.Duration, st.integers(1, 99), units)
rates = st.builds(
    ast.Rate,
    decimals.map(abs),
    st.sampled_from([None, "month", "year"]),
)
dates = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def _refs() -> st.SearchStrategy[ast.Ref]:
    plain = st.lists(names, min_size=1, max_size=2).map(tuple)
    attribute = names.map(lambda name: ("subject", name))
    return st.builds(ast.Ref, plain | attribute)


def _queries(where: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Query]:
    return st.builds(ast.Query, names, st.none() | where, st.none() | durations)


_simple_operands: st.SearchStrategy[ast.Expr] = st.one_of(
    _refs(),
    st.builds(ast.Number, decimals),
    st.builds(ast.String, texts),
    st.builds(ast.DateLiteral, dates),
    st.builds(ast.Bool, st.booleans()),
    st.just(ast.ScoreRef()),
    st.just(ast.TierRef()),
)
_compare_ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
_simple_conditions = st.builds(
    ast.Compare, _compare_ops, _simple_operands, _simple_operands
)
queries = _queries(_simple_conditions)
"""Queries whose `where` is a single comparison."""

operands: st.SearchStrategy[ast.Expr] = _simple_operands | st.builds(ast.Count, queries)
"""What may stand on either side of a comparison or in a list."""

_atoms: st.SearchStrategy[ast.Expr] = st.one_of(
    operands,
    st.builds(ast.Compare, _compare_ops, operands, operands),
    st.builds(
        ast.Member, operands, st.lists(operands, min_size=1, max_size=3).map(tuple)
    ),
    st.builds(
        ast.Member,
        operands,
        st.lists(operands, min_size=1, max_size=3).map(tuple),
        st.just(True),
    ),
    st.builds(ast.AnyOf, queries),
    st.builds(ast.NoneOf, queries),
    st.builds(ast.Listed, names),
    st.builds(ast.Active, names),
)


def _joined(kind: type[ast.And] | type[ast.Or], items: list[ast.Expr]) -> ast.Expr:
    """Join conditions with `and` or `or`, merging nested ones as the parser does."""
    flat: list[ast.Expr] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else (item,))
    return kind(tuple(flat))


def _combine(inner: st.SearchStrategy[ast.Expr]) -> st.SearchStrategy[ast.Expr]:
    several = st.lists(inner, min_size=2, max_size=3)
    return st.one_of(
        st.builds(ast.Not, inner),
        several.map(lambda items: _joined(ast.And, items)),
        several.map(lambda items: _joined(ast.Or, items)),
    )


conditions = st.recursive(_atoms, _combine, max_leaves=8)
"""Conditions of every form, with `not`, `and` and `or` nested."""

_optional_text = st.none() | texts
_notes = st.lists(texts, max_size=2).map(tuple)
_name_lists = st.lists(names, min_size=1, max_size=3).map(tuple)


enums = st.builds(
    ast.EnumDecl,
    names,
    st.none() | labels,
    st.lists(st.builds(ast.EnumValue, names, st.none() | labels), max_size=3).map(
        tuple
    ),
)
_fields = st.lists(
    st.builds(ast.FieldDecl, names, names, st.none() | labels), max_size=3
).map(tuple)
records = st.builds(
    ast.RecordDecl,
    names,
    st.none() | labels,
    _fields,
    source=_optional_text,
    notes=_notes,
)
subjects = st.builds(
    ast.SubjectDecl, st.none() | labels, _fields, source=_optional_text, notes=_notes
)


@st.composite
def scores(draw: st.DrawFn) -> ast.ScoreDecl:
    """A score declaration; the range has both ends or neither."""
    bounds = draw(st.none() | st.tuples(decimals, decimals))
    low, high = bounds if bounds is not None else (None, None)
    return ast.ScoreDecl(
        draw(st.none() | labels),
        draw(decimals),
        low,
        high,
        draw(st.none() | decimals.map(abs)),
        draw(_optional_text),
        draw(_notes),
    )


groups = st.builds(
    ast.GroupDecl,
    names,
    st.none() | labels,
    st.none() | decimals,
    _optional_text,
    _optional_text,
    _notes,
)
_counts = st.one_of(
    st.builds(ast.CountsFor, durations),
    st.builds(ast.CountsBetween, names, names),
    st.just(ast.CountsForever()),
)


@st.composite
def rules(draw: st.DrawFn) -> ast.RuleDecl:
    """A point rule; an escalation window comes only with points."""
    points = tuple(draw(st.lists(decimals, max_size=3)))
    return ast.RuleDecl(
        draw(names),
        draw(st.none() | labels),
        on=draw(st.none() | _queries(conditions)),
        points=points,
        window=draw(st.none() | durations) if points else None,
        cap=draw(st.none() | decimals),
        group=draw(st.none() | names),
        counts=draw(_counts),
        repair=draw(st.none() | st.just("none") | names),
        source=draw(_optional_text),
        assumed=draw(_optional_text),
        notes=draw(_notes),
    )


_tier_defs = st.builds(ast.TierDef, names, st.none() | labels, st.none() | conditions)
tiers = st.builds(
    ast.TiersDecl,
    st.none() | labels,
    st.lists(_tier_defs, max_size=4).map(tuple),
    st.none() | names,
    _optional_text,
    _notes,
)
vetoes = st.builds(
    ast.VetoDecl,
    names,
    st.none() | labels,
    st.none() | names,
    st.none() | conditions,
    st.none() | durations,
    _optional_text,
    _optional_text,
    _notes,
)
supervisions = st.builds(
    ast.SupervisionDecl,
    names,
    st.none() | labels,
    st.just(()) | _name_lists,
    st.none() | conditions,
    st.none() | rates,
    st.none() | rates,
    _optional_text,
    _optional_text,
    _notes,
)
lists = st.builds(
    ast.ListDecl,
    names,
    st.none() | labels,
    st.none() | _queries(conditions),
    st.none() | conditions,
    st.none() | durations,
    st.none() | durations,
    st.none() | conditions,
    st.just(()) | _name_lists,
    _optional_text,
    _optional_text,
    _notes,
)
effects = st.builds(
    ast.EffectDecl,
    names,
    st.none() | labels,
    st.sampled_from([None, "incentive", "sanction"]),
    st.none() | conditions,
    st.none() | durations,
    _optional_text,
    _optional_text,
    _notes,
)
repairs = st.builds(
    ast.RepairDecl,
    names,
    st.none() | labels,
    st.none() | durations,
    st.just(()) | _name_lists,
    st.none() | conditions,
    _optional_text,
    _optional_text,
    _notes,
)

declarations: st.SearchStrategy[ast.Declaration] = st.one_of(
    enums,
    records,
    subjects,
    scores(),
    groups,
    rules(),
    tiers,
    vetoes,
    supervisions,
    lists,
    effects,
    repairs,
)
"""Declarations of every kind that an extending layer can override."""

REMOVABLE = (
    "enum",
    "record",
    "group",
    "rule",
    "veto",
    "supervision",
    "list",
    "effect",
    "repair",
)
"""The kinds of declaration that `remove` accepts."""

headers = st.builds(
    ast.PolicyHeader,
    names,
    st.none() | labels,
    _optional_text,
    _optional_text,
    _optional_text,
    _notes,
)
imports = st.builds(ast.Import, st.lists(names, min_size=1, max_size=3).map(".".join))
items: st.SearchStrategy[ast.Item] = st.one_of(
    headers,
    imports,
    declarations,
    st.builds(ast.Override, declarations),
    st.builds(ast.Remove, st.sampled_from(REMOVABLE), names),
)
"""Top-level items of every kind."""

modules = st.builds(
    ast.Module, st.just("<text>"), st.lists(items, max_size=5).map(tuple)
)
"""Whole files, without comments."""
