"""Check that declarations have the parts they need, and that numbers make sense.

The grammar lets a declaration's statements come in any order and leaves each one
out; here a rule without `on` or `points`, a veto without `forces`, a list with no
way in, and the like are reported. So are a score range upside down, escalation
that cannot escalate, a cap that pulls the wrong way, a `within` where it means
nothing, and a policy with repair classes but no way to ask for a repair.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from credit_rules.dsl import ast
from credit_rules.dsl.check_common import STDLIB_LAYER, Scope
from credit_rules.dsl.diagnostics import Severity, define
from credit_rules.dsl.span import Span

MISSING = define(
    "E2201",
    "{kind} `{name}` needs `{part}`",
    "{kind} `{name}` 缺少 `{part}`",
)
NO_WINDOW = define(
    "E2202",
    "several point values escalate on repeats and need a window",
    "多个分值表示重复违法逐次加重，需要给出时间窗口",
    help=(
        "write e.g. `points {points} within 1 year`, or give one value",
        "例如写作 `points {points} within 1 year`，或只给一个分值",
    ),
)
LONE_WINDOW = define(
    "W2201",
    "one point value with a window escalates nothing",
    "只有一个分值时，时间窗口没有作用",
    help=(
        "give a value per repeat, e.g. `points {points}, {points} within 1 year`, or remove `within`",
        "请为每次重复给出分值，或删除 `within`",
    ),
    severity=Severity.WARNING,
)
CAP_SIGN = define(
    "W2202",
    "the cap `at most {cap}` pulls the other way from the points `{points}`",
    "上限 `at most {cap}` 与分值 `{points}` 的方向相反",
    help=(
        "a cap limits a total in the direction of its sign; write `at most {flipped}`",
        "上限按其符号方向限制总分；请写 `at most {flipped}`",
    ),
    severity=Severity.WARNING,
)
WINDOW_IN_ENTRY = define(
    "E2203",
    "`within` means nothing in `{statement}`: every matching record counts on its own date",
    "`{statement}` 中的 `within` 没有意义：每条匹配的记录都在其日期生效",
    help=(
        "remove `within {window}`; to limit how long a record counts, use `{instead}`",
        "请删除 `within {window}`；如需限制记录的有效期，请使用 `{instead}`",
    ),
)
TWO_ENTRIES = define(
    "E2204",
    "list `{name}` has both `enter on` and `enter when`; it needs exactly one",
    "名单 `{name}` 同时有 `enter on` 和 `enter when`；只能有一个",
    help=(
        "`enter on` opens an entry per record, `enter when` while a condition holds",
        "`enter on` 每条记录列入一次，`enter when` 在条件成立期间列入",
    ),
)
EMPTY_RANGE = define(
    "E2205",
    "the score range `{low} to {high}` is empty",
    "分数范围 `{low} to {high}` 为空",
    help=(
        "write the lower bound first, e.g. `range 0 to 100`",
        "请先写下限，例如 `range 0 to 100`",
    ),
)
BASE_OUTSIDE = define(
    "E2206",
    "the base score {base} is outside the range `{low} to {high}`",
    "基础分 {base} 不在分数范围 `{low} to {high}` 之内",
    help=("choose a base inside the range", "请在范围内选择基础分"),
)
BAD_ROUNDING = define(
    "E2207",
    "`rounding {value}` must be greater than 0",
    "`rounding {value}` 必须大于 0",
    help=(
        "write e.g. `rounding 0.1`, or leave it out",
        "例如写作 `rounding 0.1`，或省略",
    ),
)
NO_REPAIR_REQUEST = define(
    "E2208",
    "repair classes need the record type `repair_request` with a field `target: record_id`",
    "信用修复类别需要记录类型 `repair_request` 及其字段 `target: record_id`",
    help=(
        "add `import stdlib.agri`, which declares it",
        "请加入 `import stdlib.agri`，其中已声明该记录类型",
    ),
)
STAY_ORDER = define(
    "E2209",
    "`stay at least {low}` is longer than `stay at most {high}`",
    "`stay at least {low}` 长于 `stay at most {high}`",
    help=("swap them, or shorten the minimum", "请交换二者，或缩短最短期限"),
)
SHARE_OVER = define(
    "E2210",
    "a share of {value}% is more than the whole population",
    "比例 {value}% 超过了全部主体",
    help=("write a share from 0% to 100%", "请写 0% 到 100% 之间的比例"),
)
EMPTY_POLICY = define(
    "E2211",
    "the policy `{name}` declares nothing",
    "政策 `{name}` 没有任何声明",
    help=(
        "write declarations such as `rule`, `tiers` or `score` in its files",
        "请在其文件中写入 `rule`、`tiers`、`score` 等声明",
    ),
)

_MONTHS = {"year": 12, "month": 1}


def check_parts(scope: Scope) -> None:
    """Report missing parts and numbers that cannot be meant."""
    policy = scope.policy
    _check_not_empty(scope)
    _check_score(scope)
    for rule in policy.rules.values():
        _check_rule(scope, rule)
    for veto in policy.vetoes.values():
        _need(scope, veto, "veto", forces=veto.forces, when=veto.when)
    for entry in policy.supervision.values():
        _need(scope, entry, "supervision", tiers=entry.tiers or None)
        for rate in (entry.inspections, entry.sampling):
            if rate is not None and rate.per is None and rate.value > 100:
                scope.report(SHARE_OVER.at(rate.span, value=rate.value))
    for listing in policy.lists.values():
        _check_list(scope, listing)
    for effect in policy.effects.values():
        _need(scope, effect, "effect", **{"incentive` or `sanction": effect.kind})
        _need(scope, effect, "effect", when=effect.when)
    if policy.tiers is not None and not policy.tiers.tiers:
        _need(scope, policy.tiers, "tiers", **{"A ... when": None})
    _check_repair_request(scope)


def _check_not_empty(scope: Scope) -> None:
    policy = scope.policy
    singles: list[ast.Declaration | None] = [policy.subject, policy.score, policy.tiers]
    named: list[Mapping[str, ast.Declaration]] = [
        policy.enums,
        policy.records,
        policy.groups,
        policy.rules,
        policy.vetoes,
        policy.supervision,
        policy.lists,
        policy.effects,
        policy.repairs,
    ]
    decls = [d for d in singles if d is not None]
    decls += [d for table in named for d in table.values()]
    if all(d.layer == STDLIB_LAYER for d in decls):
        scope.report(EMPTY_POLICY.at(Span.point(policy.root), name=policy.name))


def _need(scope: Scope, decl: ast.Declaration, kind: str, **parts: object) -> None:
    """Report each of `parts` that is None, as missing from `decl`."""
    for part, value in parts.items():
        if value is None:
            scope.report(
                MISSING.at(
                    scope.decl_name(decl),
                    kind=kind,
                    name=getattr(decl, "name", "") or kind,
                    part=part,
                )
            )


def _check_score(scope: Scope) -> None:
    score = scope.policy.score
    if score is None:
        return

    if score.low is not None and score.high is not None:
        where = scope.find(score.span, r"\b(range\b[^\n]*)")
        if score.low >= score.high:
            scope.report(EMPTY_RANGE.at(where, low=score.low, high=score.high))
        elif not score.low <= score.base <= score.high:
            base = scope.find(score.span, r"\b(base\s+\S+)")
            scope.report(
                BASE_OUTSIDE.at(base, base=score.base, low=score.low, high=score.high)
            )

    if score.rounding is not None and score.rounding <= 0:
        where = scope.find(score.span, r"\b(rounding\s+\S+)")
        scope.report(BAD_ROUNDING.at(where, value=score.rounding))


def _check_rule(scope: Scope, rule: ast.RuleDecl) -> None:
    _need(scope, rule, "rule", on=rule.on, points=rule.points or None)
    if rule.on is not None and rule.on.within is not None:
        scope.report(
            WINDOW_IN_ENTRY.at(
                rule.on.within.span,
                statement="on",
                window=rule.on.within,
                instead=f"counts for {rule.on.within}",
            )
        )

    shown = ", ".join(_signed(p) for p in rule.points)
    several, window = len(rule.points) > 1, rule.window is not None
    if rule.points and several != window:
        points = scope.find(rule.span, r"\b(points\b[^\n]*)")
        kind = NO_WINDOW if several else LONE_WINDOW
        scope.report(kind.at(points, points=shown))

    cap = rule.cap
    if cap and rule.points and all(_opposite(cap, p) for p in rule.points if p):
        where = scope.find(rule.span, r"\b(at\s+most\s+\S+)")
        scope.report(
            CAP_SIGN.at(where, cap=_signed(cap), points=shown, flipped=_signed(-cap))
        )


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


def _opposite(a: Decimal, b: Decimal) -> bool:
    return (a > 0) != (b > 0)


def _check_list(scope: Scope, listing: ast.ListDecl) -> None:
    if listing.enter_on is None and listing.enter_when is None:
        _need(scope, listing, "list", **{"enter on` or `enter when": None})
    elif listing.enter_on is not None and listing.enter_when is not None:
        scope.report(TWO_ENTRIES.at(scope.decl_name(listing), name=listing.name))

    if listing.enter_on is not None and listing.enter_on.within is not None:
        window = listing.enter_on.within
        scope.report(
            WINDOW_IN_ENTRY.at(
                window.span,
                statement="enter on",
                window=window,
                instead=f"stay at most {window}",
            )
        )

    low, high = listing.min_stay, listing.max_stay
    if low is not None and high is not None and _surely_longer(low, high):
        where = scope.find(listing.span, r"\b(stay\s+at\s+least\b[^\n]*)")
        scope.report(STAY_ORDER.at(where, low=low, high=high))


def _surely_longer(a: ast.Duration, b: ast.Duration) -> bool:
    """Whether `a` is longer than `b` whatever the date they start on."""
    if a.unit == b.unit:
        return a.amount > b.amount
    if a.unit != "day" and b.unit != "day":
        return a.amount * _MONTHS[a.unit] > b.amount * _MONTHS[b.unit]
    if a.unit == "day":
        return a.amount > b.amount * _MONTHS[b.unit] * 31
    return a.amount * _MONTHS[a.unit] * 28 > b.amount


def _check_repair_request(scope: Scope) -> None:
    policy = scope.policy
    if not policy.repairs:
        return

    request = policy.records.get("repair_request")
    fields = request.fields if request is not None else ()
    if any(f.name == "target" and f.type == "record_id" for f in fields):
        return

    first = next(iter(policy.repairs.values()))
    where = scope.decl_name(request) if request is not None else scope.decl_name(first)
    scope.report(NO_REPAIR_REQUEST.at(where))
