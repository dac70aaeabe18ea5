"""Check the names that declarations give each other outside conditions.

Field types, groups, repair classes, tiers named by `forces`, `start` and
supervision entries, evidence types in `requires`, the date fields of `counts from
F until G`, and what a list publishes. Names inside conditions are resolved by
`check_types`, which also knows their types.

A list publishes, for each entry, the subject's attributes it names (including
`kind`) and these facts of the entry itself: `since` (the day it opened), `until`
(the day it ends, if known), `cause` (the record or condition that opened it) and
`list` (the list's label).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from credit_rules.dsl import ast
from credit_rules.dsl.check_common import FIELD_TYPES, Scope, unknown_help
from credit_rules.dsl.diagnostics import define
from credit_rules.dsl.span import Span

ENTRY_FACTS = ("since", "until", "cause", "list")
"""What a list can publish about an entry besides the subject's attributes."""

UNKNOWN_RECORD_TYPE = define(
    "E2001",
    "unknown record type `{name}`",
    "未知的记录类型 `{name}`",
)
UNKNOWN_FIELD_TYPE = define(
    "E2005",
    "unknown field type `{name}`",
    "未知的字段类型 `{name}`",
)
UNKNOWN_GROUP = define(
    "E2006",
    "unknown group `{name}`",
    "未知的分组 `{name}`",
)
UNKNOWN_REPAIR = define(
    "E2007",
    "unknown repair class `{name}`",
    "未知的信用修复类别 `{name}`",
)
UNKNOWN_TIER = define(
    "E2008",
    "unknown tier `{name}`",
    "未知的信用等级 `{name}`",
)
COUNTS_FIELD = define(
    "E2011",
    "`{name}` is not a field of the record type `{record}`",
    "`{name}` 不是记录类型 `{record}` 的字段",
)
COUNTS_NOT_DATE = define(
    "E2012",
    "`counts from` needs date fields, but `{name}` of `{record}` is {type}",
    "`counts from` 需要日期字段，但 `{record}` 的 `{name}` 是 {type}",
    help=(
        "name two fields declared `: date`, e.g. `counts from valid_from until valid_until`",
        "请使用两个 `: date` 字段，例如 `counts from valid_from until valid_until`",
    ),
)
UNKNOWN_PUBLISHED = define(
    "E2013",
    "a list cannot publish `{name}`: it is neither a subject attribute nor a fact of an entry",
    "名单无法公示 `{name}`：它既不是主体属性，也不是名单条目的信息",
)
DUPLICATE_MEMBER = define(
    "E2015",
    "{what} `{name}` is declared twice in `{owner}`",
    "`{owner}` 中 {what} `{name}` 声明了两次",
    help=("remove one of them", "请删除其中一个"),
)


def check_names(scope: Scope) -> None:
    """Report every name in a declaration that does not name what it should."""
    policy = scope.policy
    for record in policy.records.values():
        _check_fields(scope, record.fields, record.name, record.span)
    if policy.subject is not None:
        _check_fields(scope, policy.subject.fields, "subject", policy.subject.span)
    for enum in policy.enums.values():
        _check_enum_values(scope, enum)
    for rule in policy.rules.values():
        _check_rule(scope, rule)
    _check_tier_names(scope)
    for repair in policy.repairs.values():
        _check_requires(scope, repair)
    for listing in policy.lists.values():
        _check_publish(scope, listing)


def tier_names(scope: Scope) -> list[str]:
    """Return the names of the declared tiers, best first."""
    return list(scope.policy.tier_names())


def check_tier(scope: Scope, name: str, span: Span) -> None:
    """Report `name` at `span` if it names no tier."""
    names = tier_names(scope)
    if name not in names:
        help = unknown_help(name, names, "tier")
        scope.report(UNKNOWN_TIER.at(span, name=name, help=help))


def check_record_type(scope: Scope, name: str, span: Span) -> ast.RecordDecl | None:
    """Return the record type `name`, or report it at `span` and return None."""
    record = scope.policy.records.get(name)
    if record is None:
        help = unknown_help(name, scope.policy.records, "record type")
        scope.report(UNKNOWN_RECORD_TYPE.at(span, name=name, help=help))
    return record


def _check_fields(
    scope: Scope, fields: Iterable[ast.FieldDecl], owner: str, owner_span: Span
) -> None:
    valid = [*FIELD_TYPES, *scope.policy.enums]
    seen: set[str] = set()
    for field in fields:
        if field.name in seen:
            scope.report(
                DUPLICATE_MEMBER.at(
                    field.span, what="field", name=field.name, owner=owner
                )
            )
        seen.add(field.name)
        if field.type in valid:
            continue
        span = scope.find(field.span, rf":\s*({re.escape(field.type)})\b")
        help = unknown_help(field.type, valid, "field type")
        scope.report(UNKNOWN_FIELD_TYPE.at(span, name=field.type, help=help))


def _check_enum_values(scope: Scope, enum: ast.EnumDecl) -> None:
    seen: set[str] = set()
    for value in enum.values:
        if value.name in seen:
            scope.report(
                DUPLICATE_MEMBER.at(
                    value.span, what="value", name=value.name, owner=enum.name
                )
            )
        seen.add(value.name)


def _check_rule(scope: Scope, rule: ast.RuleDecl) -> None:
    policy = scope.policy
    if rule.group is not None and rule.group not in policy.groups:
        span = scope.name_in(rule.span, "in", rule.group)
        help = unknown_help(rule.group, policy.groups, "group")
        scope.report(UNKNOWN_GROUP.at(span, name=rule.group, help=help))

    if rule.repair not in (None, "none") and rule.repair not in policy.repairs:
        span = scope.name_in(rule.span, "repair", rule.repair)
        # `repair none` is always valid; the help names the declared classes.
        help = unknown_help(rule.repair, policy.repairs, "repair class")
        scope.report(UNKNOWN_REPAIR.at(span, name=rule.repair, help=help))

    if isinstance(rule.counts, ast.CountsBetween) and rule.on is not None:
        record = policy.records.get(rule.on.record_type)
        if record is not None:
            for name in (rule.counts.start_field, rule.counts.end_field):
                _check_date_field(scope, record, name, rule.counts.span)


def _check_date_field(
    scope: Scope, record: ast.RecordDecl, name: str, within: Span
) -> None:
    span = scope.find(within, rf"\b(?:from|until)\s+({re.escape(name)})\b")
    field = next((f for f in record.fields if f.name == name), None)
    if field is None:
        help = unknown_help(
            name, [f.name for f in record.fields if f.type == "date"], "date field"
        )
        scope.report(COUNTS_FIELD.at(span, name=name, record=record.name, help=help))
    elif field.type != "date":
        scope.report(
            COUNTS_NOT_DATE.at(
                span, name=name, record=record.name, type=f"`{field.type}`"
            )
        )


def _check_tier_names(scope: Scope) -> None:
    policy = scope.policy
    if policy.tiers is not None and policy.tiers.start is not None:
        start = policy.tiers.start
        check_tier(scope, start, scope.name_in(policy.tiers.span, "start", start))
    for veto in policy.vetoes.values():
        if veto.forces is not None:
            span = scope.name_in(veto.span, "forces", veto.forces)
            check_tier(scope, veto.forces, span)
    for entry in policy.supervision.values():
        for name in entry.tiers:
            check_tier(scope, name, scope.name_in(entry.span, "tiers", name))


def _check_requires(scope: Scope, repair: ast.RepairDecl) -> None:
    for name in repair.requires:
        if name not in scope.policy.records:
            check_record_type(scope, name, scope.name_in(repair.span, "requires", name))


def _check_publish(scope: Scope, listing: ast.ListDecl) -> None:
    subject = scope.policy.subject
    attributes = [f.name for f in subject.fields] if subject is not None else []
    valid = [*attributes, "kind", *ENTRY_FACTS]
    for name in listing.publish:
        if name in valid:
            continue
        span = scope.name_in(listing.span, "publish", name)
        help = unknown_help(name, valid, "publishable name")
        scope.report(UNKNOWN_PUBLISHED.at(span, name=name, help=help))
