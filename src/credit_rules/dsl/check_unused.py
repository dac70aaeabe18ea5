"""Warn about declarations that nothing uses.

An enum no field has, a record type no rule, query or repair class looks at, a
group no rule is in and a repair class no rule names are probably mistakes: a
misspelt reference, or a leftover. Declarations of the standard library are exempt,
since a policy uses only some of them. Lists, effects and supervision entries are
outputs that hosts read, so they need no user inside the policy; tiers are used by
the score itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from credit_rules.dsl import ast
from credit_rules.dsl.check_common import (
    STDLIB_LAYER,
    SUBJECT_KIND,
    Scope,
    conditions,
    queries,
)
from credit_rules.dsl.diagnostics import Severity, define
from credit_rules.dsl.policy import Policy

UNUSED = define(
    "W2001",
    "{kind} `{name}` is never used",
    "{kind_zh} `{name}` 从未被使用",
    help=("{advice}", "{advice_zh}"),
    severity=Severity.WARNING,
)

_ADVICE = {
    "enum": (
        "give a field this type, or remove the enum",
        "请让某个字段使用此类型，或删除该枚举",
    ),
    "record type": (
        "give it a rule, query it in a condition, or remove it",
        "请为其编写规则、在条件中查询，或删除该记录类型",
    ),
    "group": (
        "put rules in it with `in NAME`, or remove it",
        "请用 `in 名称` 把规则放入该分组，或删除",
    ),
    "repair class": (
        "name it in a rule with `repair NAME`, or remove it",
        "请在规则中用 `repair 名称` 引用，或删除",
    ),
}

_KIND_ZH = {
    "enum": "枚举",
    "record type": "记录类型",
    "group": "分组",
    "repair class": "修复类别",
}


def check_unused(scope: Scope) -> None:
    """Warn about every enum, record type, group and repair class nobody uses."""
    policy = scope.policy
    fields = [f for r in policy.records.values() for f in r.fields]
    if policy.subject is not None:
        fields += policy.subject.fields
    used_enums = {f.type for f in fields} | {SUBJECT_KIND}
    _warn(scope, "enum", policy.enums.values(), used_enums)

    used_records = set(_queried(policy))
    used_records |= {name for r in policy.repairs.values() for name in r.requires}
    used_records.add("repair_request")
    _warn(scope, "record type", policy.records.values(), used_records)

    used_groups = {r.group for r in policy.rules.values() if r.group is not None}
    _warn(scope, "group", policy.groups.values(), used_groups)

    used_repairs = {r.repair for r in policy.rules.values() if r.repair is not None}
    _warn(scope, "repair class", policy.repairs.values(), used_repairs)


def _queried(policy: Policy) -> Iterable[str]:
    """Yield the record type of every query of the policy."""
    for rule in policy.rules.values():
        if rule.on is not None:
            yield rule.on.record_type
    for listing in policy.lists.values():
        if listing.enter_on is not None:
            yield listing.enter_on.record_type
    for condition in conditions(policy):
        for query in queries(condition):
            yield query.record_type


def _warn(
    scope: Scope,
    kind: str,
    decls: Iterable[ast.EnumDecl | ast.RecordDecl | ast.GroupDecl | ast.RepairDecl],
    used: set[str],
) -> None:
    advice, advice_zh = _ADVICE[kind]
    kind_zh = _KIND_ZH[kind]
    for decl in decls:
        if decl.layer == STDLIB_LAYER or decl.name in used:
            continue
        scope.report(
            UNUSED.at(
                scope.decl_name(decl),
                kind=kind,
                kind_zh=kind_zh,
                name=decl.name,
                advice=advice,
                advice_zh=advice_zh,
            )
        )
