"""The compiled form of a policy: an ordered graph of nodes, as plain data.

A `Plan` is what the compiler returns and the runtime executes. It is immutable,
picklable and free of functions: conditions are lowered to small tuples (see
`Expr`), and the runtime turns them into closures when an engine starts. Every
node names the nodes it reads (`inputs`) and the record types it reads directly
(`reads`); the nodes are in an order in which every node comes after its inputs.

Lowered expressions are tuples whose first item says what they are:

| form | meaning |
|---|---|
| `("const", value)` | a literal, an enum value or a tier name |
| `("field", name)` | a field of the record being matched |
| `("subject", name)` | an attribute of the subject; `kind` is its kind |
| `("node", name)` | the value of another node: `score`, `tier`, a list, an effect |
| `("count", name)` / `("any", name)` / `("none", name)` | a query node's count |
| `("cmp", op, left, right)` | a comparison |
| `("in", operand, values, negated)` | membership in a list of expressions |
| `("and", items)` / `("or", items)` / `("not", item)` | logic |
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from credit_rules.dsl import ast

Expr = tuple[Any, ...]
"""A lowered expression; see the module's docstring."""


def operands(expr: Expr) -> list[Expr]:
    """Return the expressions a lowered condition is made of, in order."""
    tag = expr[0]
    if tag == "cmp":
        return [expr[2], expr[3]]
    if tag == "in":
        return [expr[1], *expr[2]]
    if tag in ("and", "or"):
        return list(expr[1])
    if tag == "not":
        return [expr[1]]
    return []


ALL_TYPES = "*"
"""In `Node.reads`: the node reads every record, whatever its type."""

REPAIR_REQUEST = "repair_request"
"""The stdlib's record type that asks for a repair; its `target` names the record."""


@attrs.frozen
class Node:
    """One node of the evaluation graph.

    Attributes:
        name: Unique within the plan: `rule:sampling_failure`, `score`, `query:3`.
        kind: Which kernel computes it: `rule`, `group`, `score`, `query`,
            `condition`, `veto`, `tier`, `list`, `effect`, `supervision`,
            `repairs` or `first_record`.
        inputs: The names of the nodes whose values it reads.
        reads: The record types it reads directly (`ALL_TYPES` for every type).
        spec: The kernel's parameters, one of the `*Spec` classes.
    """

    name: str
    kind: str
    inputs: tuple[str, ...]
    reads: tuple[str, ...]
    spec: Any


@attrs.frozen
class RuleSpec:
    """A point rule, lowered.

    Attributes:
        name: The rule's name.
        record_type: The type of the records it counts.
        where: The lowered `where`, or None.
        points: The points of the first, second, ... matching record.
        window: The escalation window, or None.
        cap: The rule's cap, or None.
        counts: `("forever",)`, `("for", Duration)` or `("between", start, end)`.
        classes: The repair classes its records may have (their repairs nodes).
    """

    name: str
    record_type: str
    where: Expr | None
    points: tuple[Decimal, ...]
    window: ast.Duration | None
    cap: Decimal | None
    counts: tuple[Any, ...]
    classes: tuple[str, ...]


@attrs.frozen
class GroupSpec:
    """A group's cap over the totals of its rules (the node's inputs)."""

    name: str
    cap: Decimal | None


@attrs.frozen
class ScoreSpec:
    """The score: base plus the inputs' totals, clamped, then rounded."""

    base: Decimal
    low: Decimal | None
    high: Decimal | None
    rounding: Decimal | None


@attrs.frozen
class QuerySpec:
    """`any(...)`, `none(...)`, `count(...)`: how many records match on a date."""

    record_type: str
    where: Expr | None
    within: ast.Duration | None
    classes: tuple[str, ...]


@attrs.frozen
class ConditionSpec:
    """A condition over the subject, as a bool timeline."""

    expr: Expr


@attrs.frozen
class VetoSpec:
    """A veto: its condition (the only input) held for at least `locked`."""

    name: str
    forces: str
    locked: ast.Duration | None


@attrs.frozen
class TierSpec:
    """The tier: the first tier whose condition holds, worsened by vetoes.

    Attributes:
        names: The tiers, best first.
        conditions: Per tier, the name of its condition node; None for
            `otherwise`.
        start: The tier of a subject with no record yet, or None.
        vetoes: `(veto node, forced tier)` pairs.
    """

    names: tuple[str, ...]
    conditions: tuple[str | None, ...]
    start: str | None
    vetoes: tuple[tuple[str, str], ...]


@attrs.frozen
class ListSpec:
    """A list's membership; see the semantics page, "Lists".

    Attributes:
        name: The list's name.
        enter_on: The records that open entries `(type, where, classes)`, or None.
        enter_when: The condition node that opens entries, or None.
        min_stay: The shortest stay.
        max_stay: The longest stay.
        leave_when: The condition node that ends an entry early, or None.
    """

    name: str
    enter_on: tuple[str, Expr | None, tuple[str, ...]] | None
    enter_when: str | None
    min_stay: ast.Duration | None
    max_stay: ast.Duration | None
    leave_when: str | None


@attrs.frozen
class EffectSpec:
    """An effect: its condition (the only input) held for at least `lasts`."""

    name: str
    kind: str
    lasts: ast.Duration | None


@attrs.frozen
class SupervisionSpec:
    """The supervision entry: the first that holds the tier and whose condition holds.

    Each entry is `(name, tiers, condition node or None)`; no tiers means all.
    """

    entries: tuple[tuple[str, frozenset[str], str | None], ...]


@attrs.frozen
class RepairSpec:
    """The grants of one repair class: record id to the date repair takes effect.

    Attributes:
        name: The class's name.
        after: The minimum time from the violation.
        requires: Evidence record types.
        unless: The condition node that bars repair, or None.
        judged_whole: Whether the bar reads this class's own grants (it counts
            records the class repairs, say). The grants are then worked out
            by the reference evaluator, which judges each record's bar without
            that record's repair, and `unless` is None.
    """

    name: str
    after: ast.Duration | None
    requires: tuple[str, ...]
    unless: str | None
    judged_whole: bool = False


@attrs.frozen
class Classifier:
    """How a record of one type gets its repair class.

    The rules on its type that say `repair`, in declaration order, as
    `(rule, where, class or "none")`.
    """

    rules: tuple[tuple[str, Expr | None, str], ...]


@attrs.frozen
class Plan:
    """A compiled policy: nodes in evaluation order and what each event touches.

    Attributes:
        policy: The policy compiled, kept for labels, spans and explanations.
        digest: The sha256 of the policy's declarations, spans excluded.
        nodes: Every node, each after its inputs.
        index: Node name to position in `nodes`.
        schedules: Record type to the positions of the nodes that a record of
            that type can change, in evaluation order.
        sources: Record type to the positions of the nodes that read it
            directly, in evaluation order.
        classifiers: Record type to its repair classifier.
        outputs: The output nodes' names: `score`, `tier`, `supervision`, and
            every `list:NAME` and `effect:NAME`, in declaration order.
    """

    policy: Any = attrs.field(eq=False, repr=False)
    digest: str
    nodes: tuple[Node, ...]
    index: Mapping[str, int]
    schedules: Mapping[str, tuple[int, ...]]
    sources: Mapping[str, tuple[int, ...]]
    classifiers: Mapping[str, Classifier]
    outputs: tuple[str, ...]

    def schedule_for(self, record_type: str) -> tuple[int, ...]:
        """Return the positions of the nodes a record of `record_type` can change."""
        return self.schedules.get(record_type, self.schedules[ALL_TYPES])

    def sources_for(self, record_type: str) -> tuple[int, ...]:
        """Return the positions of the nodes that read `record_type` directly."""
        return self.sources.get(record_type, self.sources[ALL_TYPES])


_DIGESTS: dict[int, tuple[weakref.ref[Any], str]] = {}


def digest_of(policy: Any) -> str:
    """Return `policy_digest(policy)`, worked out once per policy object.

    Policies hold dicts, so they cannot be keys; each is known by its id for
    as long as it lives.
    """
    key = id(policy)
    known = _DIGESTS.get(key)
    if known is not None and known[0]() is policy:
        return known[1]
    digest = policy_digest(policy)
    _DIGESTS[key] = (weakref.ref(policy, lambda _: _DIGESTS.pop(key, None)), digest)
    return digest


def policy_digest(policy: Any) -> str:
    """Return the sha256 of a policy's declarations, spans and layers excluded.

    The serialization walks the declarations in their order and writes every
    attribute that takes part in equality, so two policies that compare equal
    have the same digest in every process.
    """
    parts = [
        ("name", policy.name),
        ("header", policy.header),
        ("enums", policy.enums),
        ("records", policy.records),
        ("subject", policy.subject),
        ("score", policy.score),
        ("groups", policy.groups),
        ("rules", policy.rules),
        ("tiers", policy.tiers),
        ("vetoes", policy.vetoes),
        ("supervision", policy.supervision),
        ("lists", policy.lists),
        ("effects", policy.effects),
        ("repairs", policy.repairs),
    ]
    text = _serialize(parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _serialize(value: Any) -> str:
    if value is None or isinstance(value, bool | int | str):
        return repr(value)
    if isinstance(value, Decimal):
        return f"D({value})"
    if attrs.has(type(value)):
        fields = [
            f"{field.name}={_serialize(getattr(value, field.name))}"
            for field in attrs.fields(type(value))
            if field.eq
        ]
        return f"{type(value).__name__}({', '.join(fields)})"
    if isinstance(value, Mapping):
        items = [
            f"{_serialize(key)}: {_serialize(item)}" for key, item in value.items()
        ]
        return "{" + ", ".join(items) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_serialize(item) for item in value) + "]"
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(sorted(_serialize(item) for item in value)) + "}"
    return repr(value)
