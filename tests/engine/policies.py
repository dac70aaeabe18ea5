"""Builders of small policies straight from syntax tree nodes, for engine tests.

A test names only what it is about; every other part of the policy stays empty.
For example, a policy with one rule that takes 10 points per failed sampling test
for 2 years:

    policy(rule("sampling_failure", on=q("sampling_test", eq("result", "fail")),
                points=[-10], counts=years(2)))

`text_policy` builds one from `.rules` text instead, without any layer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from credit_rules.dsl import ast
from credit_rules.dsl.parser import parse
from credit_rules.dsl.policy import Policy
from credit_rules.records import FieldValue, Record, Subject

SUBJECT = Subject("S1", "enterprise", {"region": "淮安区"})
"""The subject every test assesses unless it says otherwise."""


# ---- durations --------------------------------------------------------------------


def days(n: int) -> ast.Duration:
    """`n days`."""
    return ast.Duration(n, "day")


def months(n: int) -> ast.Duration:
    """`n months`."""
    return ast.Duration(n, "month")


def years(n: int) -> ast.Duration:
    """`n years`."""
    return ast.Duration(n, "year")


# ---- conditions ---------------------------------------------------------------------


def ref(dotted: str) -> ast.Ref:
    """A field, `subject.` attribute, enum value or tier: `ref("subject.region")`."""
    return ast.Ref(tuple(dotted.split(".")))


def literal(value: object) -> ast.Expr:
    """A literal for a Python value; a str is a bare name (an enum value or tier)."""
    if isinstance(value, ast.Expr):
        return value
    if isinstance(value, bool):
        return ast.Bool(value)
    if isinstance(value, int | Decimal):
        return ast.Number(Decimal(value))
    if isinstance(value, dt.date):
        return ast.DateLiteral(value)
    if isinstance(value, str):
        return ref(value)
    raise TypeError(value)


def compare(left: object, op: ast.CompareOp, right: object) -> ast.Compare:
    """`left op right`; str operands are names, as in `literal`."""
    return ast.Compare(op, literal(left), literal(right))


def eq(field: str, value: object) -> ast.Compare:
    """`field == value`."""
    return compare(field, "==", value)


def q(
    record_type: str, where: ast.Expr | None = None, within: ast.Duration | None = None
) -> ast.Query:
    """A query: `record_type where ... within ...`."""
    return ast.Query(record_type, where, within)


def any_of(query: ast.Query) -> ast.AnyOf:
    """`any(query)`."""
    return ast.AnyOf(query)


def none_of(query: ast.Query) -> ast.NoneOf:
    """`none(query)`."""
    return ast.NoneOf(query)


def count(query: ast.Query) -> ast.Count:
    """`count(query)`."""
    return ast.Count(query)


def all_of(*items: ast.Expr) -> ast.And:
    """`a and b and ...`."""
    return ast.And(items)


def score_at_least(points: int | str) -> ast.Compare:
    """`score >= points`."""
    return ast.Compare(">=", ast.ScoreRef(), ast.Number(Decimal(points)))


# ---- declarations -------------------------------------------------------------------


def rule(
    name: str,
    on: ast.Query,
    points: Iterable[int | str],
    *,
    window: ast.Duration | None = None,
    cap: int | str | None = None,
    group: str | None = None,
    counts: ast.Duration | ast.Counts | None = None,
    repair: str | None = None,
) -> ast.RuleDecl:
    """A point rule; `counts` may be a duration for `counts for`."""
    if isinstance(counts, ast.Duration):
        counts = ast.CountsFor(counts)
    return ast.RuleDecl(
        name,
        on=on,
        points=tuple(Decimal(p) for p in points),
        window=window,
        cap=None if cap is None else Decimal(cap),
        group=group,
        counts=counts or ast.CountsForever(),
        repair=repair,
    )


def tiers(
    *defs: tuple[str, ast.Expr | None], start: str | None = None
) -> ast.TiersDecl:
    """The tiers, best first, as (name, condition) pairs; None is `otherwise`."""
    return ast.TiersDecl(
        tiers=tuple(ast.TierDef(name, when=when) for name, when in defs), start=start
    )


def score_decl(
    base: int | str = 100,
    *,
    low: int | str | None = None,
    high: int | str | None = None,
    rounding: str | None = None,
) -> ast.ScoreDecl:
    """`score { base ... range low to high rounding ... }`."""
    return ast.ScoreDecl(
        base=Decimal(base),
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
        rounding=None if rounding is None else Decimal(rounding),
    )


def policy(*declarations: ast.Declaration, name: str = "test") -> Policy:
    """A policy of `declarations`, in order; the score defaults to base 100."""
    by_kind: dict[type, dict[str, Any]] = {}
    singletons: dict[type, Any] = {}
    for declaration in declarations:
        if isinstance(declaration, ast.ScoreDecl | ast.TiersDecl | ast.SubjectDecl):
            singletons[type(declaration)] = declaration
        else:
            by_kind.setdefault(type(declaration), {})[declaration.name] = declaration
    return Policy(
        name=name,
        header=ast.PolicyHeader(name),
        root=".",
        layers=(name,),
        enums=by_kind.get(ast.EnumDecl, {}),
        records=by_kind.get(ast.RecordDecl, {}),
        subject=singletons.get(ast.SubjectDecl),
        score=singletons.get(ast.ScoreDecl, ast.ScoreDecl()),
        groups=by_kind.get(ast.GroupDecl, {}),
        rules=by_kind.get(ast.RuleDecl, {}),
        tiers=singletons.get(ast.TiersDecl),
        vetoes=by_kind.get(ast.VetoDecl, {}),
        supervision=by_kind.get(ast.SupervisionDecl, {}),
        lists=by_kind.get(ast.ListDecl, {}),
        effects=by_kind.get(ast.EffectDecl, {}),
        repairs=by_kind.get(ast.RepairDecl, {}),
    )


def text_policy(text: str) -> Policy:
    """A policy of the declarations in `.rules` text, with no `extends` or import."""
    module = parse(text, "test.rules")
    items = [
        item.decl if isinstance(item, ast.Override) else item for item in module.items
    ]
    declarations = [item for item in items if type(item) in ast.KIND_OF]
    return policy(*declarations)  # type: ignore[arg-type]


# ---- records ---------------------------------------------------------------------------


def record(
    record_id: str,
    record_type: str,
    date: dt.date | str,
    fields: Mapping[str, FieldValue] | None = None,
    *,
    subject: str = SUBJECT.id,
) -> Record:
    """A record of `SUBJECT`; `date` may be ISO text."""
    day = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return Record(record_id, subject, record_type, day, dict(fields or {}))


def repair_request(record_id: str, target: str, date: dt.date | str) -> Record:
    """A `repair_request` for the record `target`."""
    return record(record_id, "repair_request", date, {"target": target})


def day(text: str) -> dt.date:
    """The date of ISO text: `day("2026-03-01")`."""
    return dt.date.fromisoformat(text)
