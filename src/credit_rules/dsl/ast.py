"""The syntax tree of `.rules` files.

Every node is a frozen attrs class and carries the `Span` it was parsed from. Spans
take no part in equality, so a tree parsed from formatted text equals the tree it was
formatted from. Declarations also carry the layer (policy name) that declared them,
which the loader fills in; it too takes no part in equality.

The tree is the checked policy's representation: the engine reads it after the
checker has resolved every name, so nodes hold names (strings), not references.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal as TypingLiteral

import attrs

from credit_rules.dsl.span import NOWHERE, Span


def _span() -> Span:
    return attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


def _layer() -> str:
    return attrs.field(default="", eq=False, repr=False, kw_only=True)


@attrs.frozen
class Label:
    """A label in Chinese, with an optional English one: `"守信" / "trustworthy"`."""

    zh: str
    en: str | None = None
    span: Span = _span()

    def text(self, lang: str = "zh") -> str:
        """Return the label in `lang`, falling back to Chinese."""
        if lang == "en" and self.en:
            return self.en
        return self.zh


# ---- durations and rates -------------------------------------------------------

Unit = TypingLiteral["day", "month", "year"]


@attrs.frozen
class Duration:
    """A calendar duration: `3 months`, `2 years`, `10 days`."""

    amount: int
    unit: Unit
    span: Span = _span()

    def __str__(self) -> str:
        plural = "" if self.amount == 1 else "s"
        return f"{self.amount} {self.unit}{plural}"


@attrs.frozen
class Rate:
    """A supervision frequency: `2 per year` (`per` set) or `20%` (`per` is None)."""

    value: Decimal
    per: Unit | None = None
    span: Span = _span()


# ---- conditions ------------------------------------------------------------------


@attrs.frozen
class Ref:
    """A name in a condition: a field, subject attribute, enum value or tier.

    `result`, `subject.region`, `fail` and `A` are all refs; the checker decides
    which each one is.
    """

    path: tuple[str, ...]
    span: Span = _span()

    @property
    def dotted(self) -> str:
        """The name as written, with dots."""
        return ".".join(self.path)


@attrs.frozen
class Number:
    """A number literal, exact."""

    value: Decimal
    span: Span = _span()


@attrs.frozen
class String:
    """A string literal."""

    value: str
    span: Span = _span()


@attrs.frozen
class DateLiteral:
    """A date literal: `2026-04-01`."""

    value: dt.date
    span: Span = _span()


@attrs.frozen
class Bool:
    """`true` or `false`."""

    value: bool
    span: Span = _span()


@attrs.frozen
class ScoreRef:
    """`score`: the subject's score on the date of evaluation."""

    span: Span = _span()


@attrs.frozen
class TierRef:
    """`tier`: the subject's tier on the date of evaluation."""

    span: Span = _span()


@attrs.frozen
class Query:
    """Records of one type of the subject: `penalty where severity == serious`.

    Attributes:
        record_type: The record type's name.
        where: A condition on the record's fields, or None for every record.
        within: The window `(t - within, t]` a record's date must fall in, or None
            for every record dated on or before `t`.
    """

    record_type: str
    where: Expr | None = None
    within: Duration | None = None
    span: Span = _span()


@attrs.frozen
class Count:
    """`count(query)`: how many records the query matches."""

    query: Query
    span: Span = _span()


@attrs.frozen
class AnyOf:
    """`any(query)`: the query matches at least one record."""

    query: Query
    span: Span = _span()


@attrs.frozen
class NoneOf:
    """`none(query)`: the query matches no record."""

    query: Query
    span: Span = _span()


@attrs.frozen
class Listed:
    """`listed(red)`: the subject is on the list."""

    list_name: str
    span: Span = _span()


@attrs.frozen
class Active:
    """`active(funds_priority)`: the effect is in force for the subject."""

    effect_name: str
    span: Span = _span()


CompareOp = TypingLiteral["==", "!=", "<", "<=", ">", ">="]


@attrs.frozen
class Compare:
    """`left op right`."""

    op: CompareOp
    left: Expr
    right: Expr
    span: Span = _span()


@attrs.frozen
class Member:
    """`operand in [a, b]`, or `operand not in [a, b]` when `negated`."""

    operand: Expr
    values: tuple[Expr, ...]
    negated: bool = False
    span: Span = _span()


@attrs.frozen
class And:
    """All of `items` hold."""

    items: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class Or:
    """At least one of `items` holds."""

    items: tuple[Expr, ...]
    span: Span = _span()


@attrs.frozen
class Not:
    """`item` does not hold."""

    item: Expr
    span: Span = _span()


Expr = (
    Ref
    | Number
    | String
    | DateLiteral
    | Bool
    | ScoreRef
    | TierRef
    | Count
    | AnyOf
    | NoneOf
    | Listed
    | Active
    | Compare
    | Member
    | And
    | Or
    | Not
)
"""Any expression; a condition is an expression of type bool."""


# ---- declarations ------------------------------------------------------------------


@attrs.frozen
class PolicyHeader:
    """`policy NAME label { extends ... version ... source ... }`."""

    name: str
    label: Label | None = None
    extends: str | None = None
    version: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class Import:
    """`import stdlib.records`: a module of the standard library."""

    module: str
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class EnumValue:
    """One value of an enum, with its label."""

    name: str
    label: Label | None = None
    span: Span = _span()


@attrs.frozen
class EnumDecl:
    """`enum NAME label { value label ... }`."""

    name: str
    label: Label | None = None
    values: tuple[EnumValue, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class FieldDecl:
    """`name: type label`: one field of a record type or of the subject.

    The type is `text`, `number`, `bool`, `date`, `credit_code`, `record_id` or the
    name of an enum.
    """

    name: str
    type: str
    label: Label | None = None
    span: Span = _span()


@attrs.frozen
class RecordDecl:
    """`record NAME label { fields }`: a type of supervision record."""

    name: str
    label: Label | None = None
    fields: tuple[FieldDecl, ...] = ()
    source: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class SubjectDecl:
    """`subject label { fields }`: the attributes every subject has."""

    label: Label | None = None
    fields: tuple[FieldDecl, ...] = ()
    source: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class ScoreDecl:
    """`score { base 100 range 0 to 100 rounding 0.1 }`."""

    label: Label | None = None
    base: Decimal = Decimal(100)
    low: Decimal | None = None
    high: Decimal | None = None
    rounding: Decimal | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class GroupDecl:
    """`group NAME label { at most +20 }`: a cap over several rules."""

    name: str
    label: Label | None = None
    cap: Decimal | None = None
    source: str | None = None
    assumed: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class CountsFor:
    """`counts for 2 years`: on `[date, date + duration)`."""

    duration: Duration
    span: Span = _span()


@attrs.frozen
class CountsBetween:
    """`counts from valid_from until valid_until`: on `[start, end)` of two fields."""

    start_field: str
    end_field: str
    span: Span = _span()


@attrs.frozen
class CountsForever:
    """`counts forever`: from the record's date on (the default)."""

    span: Span = _span()


Counts = CountsFor | CountsBetween | CountsForever


@attrs.frozen
class RuleDecl:
    """A point rule.

    Attributes:
        name: The rule's name.
        label: Its label.
        on: The records it gives points for.
        points: Points per matching record; with `window`, the n-th matching record
            within the window before it (itself included) gets the n-th value, the
            last value repeating.
        window: The escalation window, or None for the same points every time.
        cap: The limit of the rule's total, in the direction of its sign.
        group: The group whose cap also applies, if any.
        counts: How long each record's points count.
        repair: The repair class of the records it counts; "none" when they can
            never be repaired; None when the rule says nothing.
        source: The clause of a document the rule implements.
        assumed: Why the numbers are an assumption, if they are.
    """

    name: str
    label: Label | None = None
    on: Query | None = None
    points: tuple[Decimal, ...] = ()
    window: Duration | None = None
    cap: Decimal | None = None
    group: str | None = None
    counts: Counts = attrs.field(factory=CountsForever)
    repair: str | None = None
    source: str | None = None
    assumed: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class TierDef:
    """One tier: `A "守信" / "trustworthy" when score >= 90`; no `when`: otherwise."""

    name: str
    label: Label | None = None
    when: Expr | None = None
    span: Span = _span()


@attrs.frozen
class TiersDecl:
    """The tiers, best first; the first whose condition holds is the tier."""

    label: Label | None = None
    tiers: tuple[TierDef, ...] = ()
    start: str | None = None
    source: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class VetoDecl:
    """A veto: while `when` holds, the tier is no better than `forces`.

    `locked` keeps it so for at least that long from the day it first held.
    """

    name: str
    label: Label | None = None
    forces: str | None = None
    when: Expr | None = None
    locked: Duration | None = None
    source: str | None = None
    assumed: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class SupervisionDecl:
    """Inspection and sampling frequency for some tiers (分级分类监管)."""

    name: str
    label: Label | None = None
    tiers: tuple[str, ...] = ()
    when: Expr | None = None
    inspections: Rate | None = None
    sampling: Rate | None = None
    source: str | None = None
    assumed: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class ListDecl:
    """A published list: red list (红名单) or seriously untrustworthy (严重失信名单).

    Attributes:
        enter_on: Records that put the subject on the list, one entry each.
        enter_when: A condition that keeps the subject on the list while it holds.
        min_stay: The shortest stay of an entry.
        max_stay: The longest stay of an entry; it ends by itself then.
        leave_when: A condition that ends an entry early, once `min_stay` is over.
        publish: The fields published with an entry.
    """

    name: str
    label: Label | None = None
    enter_on: Query | None = None
    enter_when: Expr | None = None
    min_stay: Duration | None = None
    max_stay: Duration | None = None
    leave_when: Expr | None = None
    publish: tuple[str, ...] = ()
    source: str | None = None
    assumed: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


EffectKind = TypingLiteral["incentive", "sanction"]


@attrs.frozen
class EffectDecl:
    """A joint incentive or sanction (联动奖惩), in force while `when` holds.

    `lasts` keeps it in force for at least that long from the day it first held.
    """

    name: str
    label: Label | None = None
    kind: EffectKind | None = None
    when: Expr | None = None
    lasts: Duration | None = None
    source: str | None = None
    assumed: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class RepairDecl:
    """A repair class (信用修复): who may repair, after how long, with what evidence.

    Attributes:
        after: The minimum time from the violation before a repair can take effect.
        requires: Record types of evidence, each needed dated on or after the
            violation.
        unless: A condition that bars repair while it holds.
    """

    name: str
    label: Label | None = None
    after: Duration | None = None
    requires: tuple[str, ...] = ()
    unless: Expr | None = None
    source: str | None = None
    assumed: str | None = None
    notes: tuple[str, ...] = ()
    span: Span = _span()
    layer: str = _layer()


Declaration = (
    EnumDecl
    | RecordDecl
    | SubjectDecl
    | ScoreDecl
    | GroupDecl
    | RuleDecl
    | TiersDecl
    | VetoDecl
    | SupervisionDecl
    | ListDecl
    | EffectDecl
    | RepairDecl
)
"""A declaration that an extending layer can override."""

DeclarationKind = TypingLiteral[
    "enum",
    "record",
    "subject",
    "score",
    "group",
    "rule",
    "tiers",
    "veto",
    "supervision",
    "list",
    "effect",
    "repair",
]

KIND_OF: dict[type, DeclarationKind] = {
    EnumDecl: "enum",
    RecordDecl: "record",
    SubjectDecl: "subject",
    ScoreDecl: "score",
    GroupDecl: "group",
    RuleDecl: "rule",
    TiersDecl: "tiers",
    VetoDecl: "veto",
    SupervisionDecl: "supervision",
    ListDecl: "list",
    EffectDecl: "effect",
    RepairDecl: "repair",
}
"""The keyword of each kind of declaration."""


def key_of(decl: Declaration) -> tuple[DeclarationKind, str]:
    """Return the (kind, name) that identifies a declaration across layers.

    The subject, score and tiers declarations are singletons: their name is "".
    """
    return KIND_OF[type(decl)], getattr(decl, "name", "")


@attrs.frozen
class Override:
    """`override <declaration>`: replaces the inherited declaration of that name."""

    decl: Declaration
    span: Span = _span()
    layer: str = _layer()


@attrs.frozen
class Remove:
    """`remove rule NAME`: drops an inherited declaration."""

    kind: DeclarationKind
    name: str
    span: Span = _span()
    layer: str = _layer()


Item = PolicyHeader | Import | Declaration | Override | Remove


@attrs.frozen
class Comment:
    """A `#` comment, kept so that the formatter can put it back."""

    text: str
    span: Span = _span()


@attrs.frozen
class Module:
    """One parsed `.rules` file."""

    path: str
    items: tuple[Item, ...] = ()
    comments: tuple[Comment, ...] = ()
