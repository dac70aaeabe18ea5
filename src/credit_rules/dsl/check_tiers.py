"""Check the tiers across the score range: gaps, tiers never reached, their order.

Tiers are tried best first and the first whose condition holds decides. For each
tier's condition this module computes two sets of scores: where it surely holds
(whatever else is true of the subject) and where it may hold. Comparisons of
`score` with a number are exact; `and`, `or` and `not` combine them; anything else
(`none(penalty ...)`, `listed(red)`) may or may not hold.

- A score in the range that no tier may take is a gap: an error, unless there is
  an `otherwise` tier. A score that some tier may take but none surely takes is a
  possible gap: a warning.
- A tier whose possible scores the tiers before it surely take is never reached.
- A better tier that admits a lower score than a worse one reads upside down.

With `rounding`, only multiples of it are scores, so `score >= 89.95` and
`score >= 90` differ in nothing when rounding is 0.1.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.check_common import Scope
from credit_rules.dsl.diagnostics import Severity, define
from credit_rules.dsl.span import Span

INF = Decimal("Infinity")

DUPLICATE_TIER = define(
    "E2301",
    "the tier `{name}` is declared twice",
    "信用等级 `{name}` 声明了两次",
    help=(
        "the first is at {first}; remove or rename one",
        "第一个位于 {first}；请删除或改名",
    ),
)
GAP = define(
    "E2302",
    "no tier covers the scores {interval}",
    "分数 {interval} 不属于任何信用等级",
    help=(
        'lower a threshold, or end the tiers with e.g. `D "严重失信" otherwise`',
        '请降低某个阈值，或以 `D "严重失信" otherwise` 结束',
    ),
)
POSSIBLE_GAP = define(
    "W2301",
    "the scores {interval} get no tier when the other conditions of the tiers fail",
    "当各等级的其他条件不成立时，分数 {interval} 不属于任何信用等级",
    help=(
        "end the tiers with an `otherwise` tier",
        "请以一个 `otherwise` 等级结束",
    ),
    severity=Severity.WARNING,
)
UNREACHABLE = define(
    "E2303",
    "the tier `{name}` is never reached: the tiers before it take all its scores",
    "信用等级 `{name}` 永远不会被评定：其分数都已被前面的等级覆盖",
    help=(
        "tiers are tried best first; raise the thresholds of the better tiers",
        "等级按从好到差依次判断；请提高较好等级的阈值",
    ),
)
UPSIDE_DOWN = define(
    "W2302",
    "the tier `{better}` admits scores from {low}, lower than the worse tier `{worse}` ({worse_low})",
    "较好的等级 `{better}` 从 {low} 分起，低于较差的等级 `{worse}`（{worse_low} 分起）",
    help=(
        "tiers are listed best first; check the order and the thresholds",
        "等级应从好到差排列；请检查顺序和阈值",
    ),
    severity=Severity.WARNING,
)


@attrs.frozen(order=True)
class Interval:
    """An interval of scores; `low_closed` and `high_closed` say if ends belong."""

    low: Decimal
    high: Decimal
    low_closed: bool = True
    high_closed: bool = True

    def is_empty(self) -> bool:
        """Whether no number lies in it."""
        if self.low < self.high:
            return False
        return not (self.low == self.high and self.low_closed and self.high_closed)

    def __str__(self) -> str:
        left = "[" if self.low_closed else "("
        right = "]" if self.high_closed else ")"
        low = "-∞" if self.low == -INF else str(self.low)
        high = "∞" if self.high == INF else str(self.high)
        return f"`{left}{low}, {high}{right}`"


Scores = tuple[Interval, ...]
"""A set of scores, as sorted disjoint intervals."""

EVERYTHING: Scores = (Interval(-INF, INF, False, False),)
NOTHING: Scores = ()


def intersect(a: Scores, b: Scores) -> Scores:
    """Return the scores in both `a` and `b`."""
    found = []
    for x in a:
        for y in b:
            low, low_closed = max((x.low, not x.low_closed), (y.low, not y.low_closed))
            high, high_closed = min((x.high, x.high_closed), (y.high, y.high_closed))
            piece = Interval(low, high, not low_closed, high_closed)
            if not piece.is_empty():
                found.append(piece)
    return tuple(sorted(found))


def complement(a: Scores) -> Scores:
    """Return the scores not in `a`."""
    found = []
    low, low_closed = -INF, False
    for piece in a:
        gap = Interval(low, piece.low, low_closed, not piece.low_closed)
        if not gap.is_empty():
            found.append(gap)
        low, low_closed = piece.high, not piece.high_closed
    last = Interval(low, INF, low_closed, False)
    if not last.is_empty():
        found.append(last)
    return tuple(found)


def union(a: Scores, b: Scores) -> Scores:
    """Return the scores in `a` or `b`."""
    return complement(intersect(complement(a), complement(b)))


def compared(op: str, value: Decimal) -> Scores:
    """Return the scores `s` for which `s op value` holds."""
    point = (Interval(value, value),)
    below = (Interval(-INF, value, False, op == "<="),)
    above = (Interval(value, INF, op == ">=", False),)
    table = {
        "==": point,
        "!=": complement(point),
        "<": below,
        "<=": below,
        ">": above,
        ">=": above,
    }
    return table[op]


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def score_sets(expr: ast.Expr | None) -> tuple[Scores, Scores]:
    """Return where a tier's condition surely holds and where it may hold.

    `None`, an `otherwise` tier, holds everywhere.
    """
    match expr:
        case None:
            return EVERYTHING, EVERYTHING
        case ast.Compare(op=op, left=ast.ScoreRef(), right=ast.Number(value=value)):
            scores = compared(op, value)
            return scores, scores
        case ast.Compare(op=op, left=ast.Number(value=value), right=ast.ScoreRef()):
            scores = compared(_FLIP[op], value)
            return scores, scores
        case ast.Member(operand=ast.ScoreRef(), values=values, negated=negated) if all(
            isinstance(v, ast.Number) for v in values
        ):
            points: Scores = NOTHING
            for v in values:
                assert isinstance(v, ast.Number)
                points = union(points, compared("==", v.value))
            scores = complement(points) if negated else points
            return scores, scores
        case ast.And(items=items):
            sure, may = EVERYTHING, EVERYTHING
            for item in items:
                item_sure, item_may = score_sets(item)
                sure, may = intersect(sure, item_sure), intersect(may, item_may)
            return sure, may
        case ast.Or(items=items):
            sure, may = NOTHING, NOTHING
            for item in items:
                item_sure, item_may = score_sets(item)
                sure, may = union(sure, item_sure), union(may, item_may)
            return sure, may
        case ast.Not(item=item):
            sure, may = score_sets(item)
            return complement(may), complement(sure)
        case ast.Bool(value=value):
            return (EVERYTHING, EVERYTHING) if value else (NOTHING, NOTHING)
    return NOTHING, EVERYTHING


def check_tiers(scope: Scope) -> None:
    """Report duplicate tiers, gaps, unreachable tiers and tiers upside down."""
    tiers = scope.policy.tiers
    if tiers is None or not tiers.tiers:
        return

    _check_duplicates(scope, tiers)
    score_range = _score_range(scope)
    step = scope.policy.score.rounding if scope.policy.score is not None else None
    taken: Scores = NOTHING
    possible: Scores = NOTHING
    lows: list[tuple[ast.TierDef, Decimal]] = []
    for tier in tiers.tiers:
        sure, may = score_sets(tier.when)
        reachable = _with_scores(intersect(may, score_range), step)
        if not _with_scores(intersect(reachable, complement(taken)), step):
            scope.report(UNREACHABLE.at(_tier_name(tier), name=tier.name))
        elif may != EVERYTHING and reachable:
            lows.append((tier, reachable[0].low))
        taken = union(taken, sure)
        possible = union(possible, may)

    _check_gaps(scope, tiers, score_range, step, taken, possible)
    _check_order(scope, lows)


def _check_duplicates(scope: Scope, tiers: ast.TiersDecl) -> None:
    first: dict[str, ast.TierDef] = {}
    for tier in tiers.tiers:
        if tier.name in first:
            scope.report(
                DUPLICATE_TIER.at(
                    _tier_name(tier), name=tier.name, first=str(first[tier.name].span)
                )
            )
        else:
            first[tier.name] = tier


def _check_gaps(
    scope: Scope,
    tiers: ast.TiersDecl,
    score_range: Scores,
    step: Decimal | None,
    taken: Scores,
    possible: Scores,
) -> None:
    where = scope.find(tiers.span, r"\b(tiers)\b")
    never = _with_scores(intersect(score_range, complement(possible)), step)
    for piece in never:
        scope.report(GAP.at(where, interval=str(piece)))
    maybe = intersect(intersect(score_range, possible), complement(taken))
    for piece in _with_scores(maybe, step):
        scope.report(POSSIBLE_GAP.at(where, interval=str(piece)))


def _check_order(scope: Scope, lows: list[tuple[ast.TierDef, Decimal]]) -> None:
    for index, (better, low) in enumerate(lows):
        for worse, worse_low in lows[index + 1 :]:
            if low < worse_low:
                scope.report(
                    UPSIDE_DOWN.at(
                        _tier_name(better),
                        better=better.name,
                        low=low,
                        worse=worse.name,
                        worse_low=worse_low,
                    )
                )
                break


def _score_range(scope: Scope) -> Scores:
    score = scope.policy.score
    low = score.low if score is not None and score.low is not None else -INF
    high = score.high if score is not None and score.high is not None else INF
    if low >= high:
        # An empty range is reported by the score's own check.
        return EVERYTHING
    return (Interval(low, high, low != -INF, high != INF),)


def _with_scores(scores: Scores, step: Decimal | None) -> Scores:
    """Keep the intervals that hold a score, a multiple of `step` if given."""
    if step is None or step <= 0:
        return scores
    return tuple(piece for piece in scores if _holds_multiple(piece, step))


def _holds_multiple(piece: Interval, step: Decimal) -> bool:
    if piece.low == -INF or piece.high == INF:
        return True
    first = (piece.low / step).to_integral_value(rounding=ROUND_CEILING) * step
    if first == piece.low and not piece.low_closed:
        first += step
    return first < piece.high or (first == piece.high and piece.high_closed)


def _tier_name(tier: ast.TierDef) -> Span:
    span = tier.span
    return Span(
        span.file, span.line, span.column, span.line, span.column + len(tier.name)
    )
