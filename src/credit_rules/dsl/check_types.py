"""Check conditions: every name resolved, every comparison between compatible types.

A condition is an expression of type bool. Its operands have one of these types:
a number (`score`, `count(...)`, number fields and literals), a date, text (text,
credit code and record id fields, string literals), a value of one enum, a tier, or
bool. A bare name that is not a field of the query's record type is an enum value
or a tier; the other side of its comparison says which, so `severity == serious`
checks that `serious` is a value of `severity`'s enum.

Where a condition is decides what it may read. Inside a query's `where` it sees
one record's fields and the subject's attributes only, so that whether a record
matches never changes with time. A repair class's `unless` may use queries and
subject attributes but not `score`, `tier`, `listed` or `active`, which depend on
repair themselves.
"""

from __future__ import annotations

import re

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.check_common import (
    FIELD_TYPES,
    SUBJECT_KIND,
    Scope,
    query_name,
    suggestion,
    unknown_help,
)
from credit_rules.dsl.check_names import check_record_type, check_tier, tier_names
from credit_rules.dsl.diagnostics import define

UNKNOWN_FIELD = define(
    "E2002",
    "`{name}` is not a field of the record type `{record}`",
    "`{name}` 不是记录类型 `{record}` 的字段",
)
UNKNOWN_ATTRIBUTE = define(
    "E2003",
    "the subject has no attribute `{name}`",
    "主体没有属性 `{name}`",
)
UNKNOWN_VALUE = define(
    "E2004",
    "`{name}` is not a value of the enum `{enum}`",
    "`{name}` 不是枚举 `{enum}` 的取值",
)
UNKNOWN_LIST = define(
    "E2009",
    "unknown list `{name}`",
    "未知的名单 `{name}`",
)
UNKNOWN_EFFECT = define(
    "E2010",
    "unknown effect `{name}`",
    "未知的联动措施 `{name}`",
)
BAD_PATH = define(
    "E2014",
    "`{name}` names nothing a condition can read",
    "`{name}` 不是条件可以读取的名称",
    help=(
        "write a field, `subject.` and an attribute, or a value",
        "请写字段名、`subject.` 加属性名，或一个取值",
    ),
)
UNKNOWN_NAME = define(
    "E2016",
    "`{name}` names nothing here",
    "此处的 `{name}` 没有指向任何已声明的内容",
)
NOT_A_CONDITION = define(
    "E2101",
    "this is {type}, not a condition",
    "这是{type_zh}，不是条件",
    help=(
        "compare it with something, e.g. `score >= 60`",
        "请与某个值比较，例如 `score >= 60`",
    ),
)
MISMATCH = define(
    "E2102",
    "cannot compare {left} with {right}",
    "不能将{left_zh}与{right_zh}比较",
    help=("compare values of one type", "请比较同一类型的值"),
)
NOT_ORDERED = define(
    "E2103",
    "`{op}` orders numbers and dates only, not {type}",
    "`{op}` 只能比较数值和日期的大小，不能比较{type_zh}",
    help=("use `==`, `!=` or `in [...]`", "请使用 `==`、`!=` 或 `in [...]`"),
)
TIER_ORDER = define(
    "E2104",
    "a tier compares with `==`, `!=` or `in`, not `{op}`",
    "信用等级只能用 `==`、`!=` 或 `in` 比较，不能用 `{op}`",
    help=(
        "list the tiers meant, e.g. `tier in [A, B]`",
        "请列出所指的等级，例如 `tier in [A, B]`",
    ),
)
TIMED_IN_WHERE = define(
    "E2105",
    "`{what}` cannot be used inside a query's `where`",
    "查询的 `where` 中不能使用 `{what}`",
    help=(
        "a `where` compares the record's fields and `subject.` attributes only; "
        "move `{what}` out of the query and join it with `and`",
        "`where` 只能比较记录字段和 `subject.` 属性；请把 `{what}` 移到查询之外，用 `and` 连接",
    ),
)
DERIVED_IN_UNLESS = define(
    "E2106",
    "`{what}` cannot be used in a repair class's `unless`",
    "信用修复类别的 `unless` 中不能使用 `{what}`",
    help=(
        "whether a repair is barred would then depend on the repair itself; "
        "use record queries and `subject.` attributes",
        "否则修复是否受阻将取决于修复本身；请使用记录查询和 `subject.` 属性",
    ),
)

_TYPE_EN = {
    "bool": "a condition",
    "number": "a number",
    "date": "a date",
    "text": "text",
    "tier": "a tier",
}
_TYPE_ZH = {
    "bool": "条件",
    "number": "数值",
    "date": "日期",
    "text": "文本",
    "tier": "信用等级",
}
_FIELD_KIND = {
    "text": "text",
    "credit_code": "text",
    "record_id": "text",
    "number": "number",
    "bool": "bool",
    "date": "date",
}
_ORDERING = ("<", "<=", ">", ">=")


@attrs.frozen
class BareName:
    """A name that is not a field: an enum value or a tier, decided by context."""

    ref: ast.Ref

    @property
    def name(self) -> str:
        """The name as written."""
        return self.ref.path[0]


Type = str | BareName | None
"""An operand's type: `bool`, `number`, `date`, `text`, `tier`, `enum:NAME`; a
bare name; or None when an error was already reported for it.
"""


@attrs.frozen
class Place:
    """What a condition may read where it is.

    Attributes:
        record: The record type of the query whose `where` this is, if any.
        derived: Whether `score`, `tier`, `listed` and `active` may be used.
    """

    record: ast.RecordDecl | None = None
    derived: bool = True


TOP = Place()
"""A condition of a tier, veto, list, effect or supervision entry."""

UNLESS = Place(derived=False)
"""A repair class's `unless`."""


def describe(kind: str, lang: str = "en") -> str:
    """Return how a message names a type."""
    if kind.startswith("enum:"):
        enum = kind.removeprefix("enum:")
        return f"a value of `{enum}`" if lang == "en" else f"`{enum}` 的取值"
    return (_TYPE_EN if lang == "en" else _TYPE_ZH).get(kind, kind)


def check_conditions(scope: Scope) -> None:
    """Resolve and type-check every condition and query of the policy."""
    checker = ConditionChecker(scope)
    policy = scope.policy
    for rule in policy.rules.values():
        if rule.on is not None:
            checker.query(rule.on)
    if policy.tiers is not None:
        for tier in policy.tiers.tiers:
            checker.condition(tier.when, TOP)
    for veto in policy.vetoes.values():
        checker.condition(veto.when, TOP)
    for entry in policy.supervision.values():
        checker.condition(entry.when, TOP)
    for listing in policy.lists.values():
        if listing.enter_on is not None:
            checker.query(listing.enter_on)
        checker.condition(listing.enter_when, TOP)
        checker.condition(listing.leave_when, TOP)
    for effect in policy.effects.values():
        checker.condition(effect.when, TOP)
    for repair in policy.repairs.values():
        checker.condition(repair.unless, UNLESS)


@attrs.define
class ConditionChecker:
    """Walks conditions, reporting to the scope."""

    scope: Scope

    def condition(self, expr: ast.Expr | None, place: Place) -> None:
        """Check that `expr`, if given, is a well-formed condition."""
        if expr is not None:
            self.expect_bool(expr, place)

    def query(self, query: ast.Query, place: Place = TOP) -> None:
        """Check a query's record type and its `where`."""
        record = check_record_type(self.scope, query.record_type, query_name(query))
        if record is not None and query.where is not None:
            self.expect_bool(query.where, Place(record=record))

    def expect_bool(self, expr: ast.Expr, place: Place) -> None:
        """Check `expr` and report it unless it is a condition."""
        kind = self.infer(expr, place)
        if isinstance(kind, BareName):
            self.unknown(kind, place)
        elif kind is not None and kind != "bool":
            self.scope.report(
                NOT_A_CONDITION.at(
                    expr.span, type=describe(kind), type_zh=describe(kind, "zh")
                )
            )

    def infer(self, expr: ast.Expr, place: Place) -> Type:
        """Return the type of `expr`, reporting what is wrong inside it."""
        match expr:
            case ast.Ref():
                return self.ref(expr, place)
            case ast.Number():
                return "number"
            case ast.String():
                return "text"
            case ast.DateLiteral():
                return "date"
            case ast.Bool():
                return "bool"
            case ast.ScoreRef():
                self.timed(expr, "score", place)
                return "number"
            case ast.TierRef():
                self.timed(expr, "tier", place)
                return "tier"
            case ast.Count(query=query):
                self.timed(expr, f"count({query.record_type})", place, queried=True)
                self.query(query)
                return "number"
            case ast.AnyOf(query=query) | ast.NoneOf(query=query):
                word = "any" if isinstance(expr, ast.AnyOf) else "none"
                self.timed(expr, f"{word}({query.record_type})", place, queried=True)
                self.query(query)
                return "bool"
            case ast.Listed(list_name=name) | ast.Active(effect_name=name):
                self.named_output(expr, name, place)
                return "bool"
            case ast.Compare(op=op, left=left, right=right):
                self.compare(expr, op, left, [right], place)
                return "bool"
            case ast.Member(operand=operand, values=values):
                self.compare(expr, "==", operand, list(values), place)
                return "bool"
            case ast.And(items=items) | ast.Or(items=items):
                for item in items:
                    self.expect_bool(item, place)
                return "bool"
            case ast.Not(item=item):
                self.expect_bool(item, place)
                return "bool"

    def timed(
        self, expr: ast.Expr, what: str, place: Place, queried: bool = False
    ) -> None:
        """Report a value that changes with time where it may not be read."""
        if place.record is not None:
            self.scope.report(TIMED_IN_WHERE.at(expr.span, what=what))
        elif not place.derived and not queried:
            self.scope.report(DERIVED_IN_UNLESS.at(expr.span, what=what))

    def named_output(
        self, expr: ast.Listed | ast.Active, name: str, place: Place
    ) -> None:
        """Check `listed(L)` or `active(E)`."""
        word = "listed" if isinstance(expr, ast.Listed) else "active"
        self.timed(expr, f"{word}({name})", place)
        policy = self.scope.policy
        known = policy.lists if isinstance(expr, ast.Listed) else policy.effects
        if name in known:
            return
        span = self.scope.find(expr.span, rf"\(\s*({re.escape(name)})\b")
        if isinstance(expr, ast.Listed):
            help = unknown_help(name, known, "list")
            self.scope.report(UNKNOWN_LIST.at(span, name=name, help=help))
        else:
            help = unknown_help(name, known, "effect")
            self.scope.report(UNKNOWN_EFFECT.at(span, name=name, help=help))

    def ref(self, ref: ast.Ref, place: Place) -> Type:
        """Return the type of a field, a subject attribute, or a bare name."""
        path = ref.path
        if len(path) == 2 and path[0] == "subject":
            return self.attribute(ref, path[1])

        if len(path) != 1:
            self.scope.report(BAD_PATH.at(ref.span, name=ref.dotted))
            return None

        if place.record is not None:
            for field in place.record.fields:
                if field.name == path[0]:
                    return self.field_kind(field.type)
        return BareName(ref)

    def attribute(self, ref: ast.Ref, name: str) -> Type:
        """Return the type of `subject.name`."""
        if name == "kind":
            return (
                f"enum:{SUBJECT_KIND}"
                if SUBJECT_KIND in self.scope.policy.enums
                else None
            )

        subject = self.scope.policy.subject
        fields = subject.fields if subject is not None else ()
        for field in fields:
            if field.name == name:
                return self.field_kind(field.type)

        names = ["kind", *(f.name for f in fields)]
        help = unknown_help(name, names, "subject attribute")
        self.scope.report(UNKNOWN_ATTRIBUTE.at(ref.span, name=name, help=help))
        return None

    def field_kind(self, field_type: str) -> Type:
        """Return the type of values of a field declared `: field_type`."""
        if field_type in self.scope.policy.enums:
            return f"enum:{field_type}"
        if field_type in FIELD_TYPES:
            return _FIELD_KIND[field_type]
        return None

    def compare(
        self,
        expr: ast.Expr,
        op: str,
        left: ast.Expr,
        rights: list[ast.Expr],
        place: Place,
    ) -> None:
        """Check `left op right`, or `left in [rights]` with `op` `==`."""
        left_kind = self.infer(left, place)
        right_kinds = [self.infer(right, place) for right in rights]
        if isinstance(left_kind, BareName):
            concrete = [k for k in right_kinds if isinstance(k, str)]
            if not concrete:
                # Two names, neither a field: nothing says what they are.
                self.unknown(left_kind, place)
                return
            self.name_of(left_kind, concrete[0], place)
            left_kind = concrete[0]

        if left_kind is None:
            return

        for right, kind in zip(rights, right_kinds, strict=True):
            if isinstance(kind, BareName):
                self.name_of(kind, left_kind, place)
            elif kind is not None and kind != left_kind:
                self.mismatch(expr, left_kind, kind, right)

        if op in _ORDERING:
            self.ordering(expr, op, left_kind)

    def ordering(self, expr: ast.Expr, op: str, kind: str) -> None:
        """Report `<`, `<=`, `>` or `>=` between things that have no order."""
        if kind == "tier":
            self.scope.report(TIER_ORDER.at(expr.span, op=op))
        elif kind not in ("number", "date"):
            self.scope.report(
                NOT_ORDERED.at(
                    expr.span, op=op, type=describe(kind), type_zh=describe(kind, "zh")
                )
            )

    def mismatch(self, expr: ast.Expr, left: str, right: str, value: ast.Expr) -> None:
        """Report a comparison of two types that never compare equal."""
        help = None
        if left.startswith("enum:") and isinstance(value, ast.String):
            help = (
                f"enum values are written without quotes: `{value.value}`",
                f"枚举取值不加引号：`{value.value}`",
            )
        self.scope.report(
            MISMATCH.at(
                expr.span,
                left=describe(left),
                right=describe(right),
                left_zh=describe(left, "zh"),
                right_zh=describe(right, "zh"),
                help=help,
            )
        )

    def name_of(self, bare: BareName, kind: str, place: Place) -> None:
        """Check a bare name compared with something of type `kind`."""
        name = bare.name
        if kind.startswith("enum:"):
            enum = self.scope.policy.enums[kind.removeprefix("enum:")]
            values = [v.name for v in enum.values]
            if name not in values:
                help = unknown_help(name, values, "value")
                if suggestion(name, values) is not None:
                    listed = ", ".join(f"`{v}`" for v in values)
                    help = (
                        f"{help[0]} the values are {listed}",
                        f"{help[1]} 可用取值为 {listed}",
                    )
                self.scope.report(
                    UNKNOWN_VALUE.at(
                        bare.ref.span, name=name, enum=enum.name, help=help
                    )
                )
        elif kind == "tier":
            check_tier(self.scope, name, bare.ref.span)
        else:
            self.unknown(bare, place, kind)

    def unknown(self, bare: BareName, place: Place, kind: str | None = None) -> None:
        """Report a bare name that is neither a field nor a value of anything."""
        name = bare.name
        if place.record is not None:
            fields = [f.name for f in place.record.fields]
            help = unknown_help(name, fields, "field")
            if suggestion(name, fields) is None and kind == "text":
                help = (
                    f'to compare with text, write a string: `"{name}"`',
                    f'与文本比较时请写成字符串：`"{name}"`',
                )
            self.scope.report(
                UNKNOWN_FIELD.at(
                    bare.ref.span, name=name, record=place.record.name, help=help
                )
            )
            return

        candidates = [*tier_names(self.scope), *self.scope.policy.records]
        close = suggestion(name, candidates)
        help = close or (
            f"outside a query, write `subject.{name}` for a subject attribute, "
            f"or a query such as `any({name})`",
            f"在查询之外，主体属性写作 `subject.{name}`，记录查询写作 `any({name})`",
        )
        if kind == "text":
            help = (
                f'to compare with text, write a string: `"{name}"`',
                f'与文本比较时请写成字符串：`"{name}"`',
            )
        self.scope.report(UNKNOWN_NAME.at(bare.ref.span, name=name, help=help))
