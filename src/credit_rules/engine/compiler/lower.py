"""The `lower` pass: turn declarations into the graph's nodes.

Conditions become the plain tuples that `credit_rules.engine.plan` describes.
Every distinct query (`any(penalty where severity == serious within 3 years)`)
becomes one node and every distinct condition another, so that two declarations
saying the same thing share the work.
"""

from __future__ import annotations

import attrs
import networkx as nx

from credit_rules.dsl import ast
from credit_rules.dsl.diagnostics import define
from credit_rules.dsl.span import Span
from credit_rules.engine.compiler.resolve import Resolved
from credit_rules.engine.plan import (
    ALL_TYPES,
    REPAIR_REQUEST,
    Classifier,
    ConditionSpec,
    EffectSpec,
    Expr,
    GroupSpec,
    ListSpec,
    Node,
    QuerySpec,
    RepairSpec,
    RuleSpec,
    ScoreSpec,
    SupervisionSpec,
    TierSpec,
    VetoSpec,
    operands,
)
from credit_rules.errors import PolicyError

NOT_A_RECORD_CONDITION = define(
    "E0902",
    "a record's `where` may use its fields, `subject.` attributes and literals, not `{what}`",
    "记录的 `where` 条件只能使用字段、`subject.` 属性和字面量，不能使用 `{what}`",
    help=(
        "move the condition out of the query, e.g. `any(Q) and score < 60`",
        "请把该条件移到查询之外，例如 `any(Q) and score < 60`",
    ),
)


@attrs.frozen
class Lowered:
    """The graph's nodes, not yet ordered.

    Attributes:
        resolved: The resolved policy.
        nodes: The nodes in the order they were made.
        classifiers: Record type to its repair classifier.
        outputs: The names of the output nodes.
    """

    resolved: Resolved
    nodes: tuple[Node, ...]
    classifiers: dict[str, Classifier]
    outputs: tuple[str, ...]


def lower(resolved: Resolved) -> Lowered:
    """Return the nodes of the evaluation graph of a resolved policy."""
    builder = _Builder(resolved)
    builder.add_rules()
    builder.add_score()
    builder.add_repairs()
    builder.add_tiers()
    builder.add_lists()
    builder.add_effects()
    builder.add_supervision()
    builder.judge_cyclic_repairs()
    policy = resolved.policy
    outputs = (
        "score",
        "tier",
        "supervision",
        *(f"list:{name}" for name in policy.lists),
        *(f"effect:{name}" for name in policy.effects),
    )
    return Lowered(
        resolved, tuple(builder.nodes.values()), builder.classifiers(), outputs
    )


class _Builder:
    """Makes nodes, sharing equal queries and conditions."""

    def __init__(self, resolved: Resolved) -> None:
        self.resolved = resolved
        self.policy = resolved.policy
        self.nodes: dict[str, Node] = {}
        self.queries: dict[tuple[object, ...], str] = {}
        self.conditions: dict[Expr, str] = {}

    def add(
        self,
        name: str,
        kind: str,
        inputs: tuple[str, ...],
        reads: tuple[str, ...],
        spec: object,
    ) -> str:
        self.nodes[name] = Node(name, kind, tuple(dict.fromkeys(inputs)), reads, spec)
        return name

    def repairs_of(self, record_type: str) -> tuple[str, ...]:
        return tuple(
            f"repairs:{name}" for name in self.resolved.classes.get(record_type, ())
        )

    # ---- declarations ----------------------------------------------------------

    def add_rules(self) -> None:
        for rule in self.policy.rules.values():
            if rule.on is None:
                continue
            record_type = rule.on.record_type
            spec = RuleSpec(
                name=rule.name,
                record_type=record_type,
                where=self.record_condition(rule.on.where, record_type),
                points=rule.points,
                window=rule.window,
                cap=rule.cap,
                counts=_counts(rule.counts),
                classes=self.resolved.classes.get(record_type, ()),
            )
            self.add(
                f"rule:{rule.name}",
                "rule",
                self.repairs_of(record_type),
                (record_type,),
                spec,
            )

    def add_score(self) -> None:
        grouped: dict[str, list[str]] = {name: [] for name in self.policy.groups}
        ungrouped = []
        for rule in self.policy.rules.values():
            if f"rule:{rule.name}" not in self.nodes:
                continue
            if rule.group in grouped:
                grouped[rule.group].append(f"rule:{rule.name}")
            else:
                ungrouped.append(f"rule:{rule.name}")
        for name, group in self.policy.groups.items():
            self.add(
                f"group:{name}",
                "group",
                tuple(grouped[name]),
                (),
                GroupSpec(name, group.cap),
            )

        score = self.policy.score or ast.ScoreDecl()
        spec = ScoreSpec(score.base, score.low, score.high, score.rounding)
        inputs = (*(f"group:{name}" for name in self.policy.groups), *ungrouped)
        self.add("score", "score", inputs, (), spec)

    def add_repairs(self) -> None:
        for name, repair in self.policy.repairs.items():
            targets = [
                t for t, classes in self.resolved.classes.items() if name in classes
            ]
            if not targets:
                continue
            unless = (
                self.condition(repair.unless) if repair.unless is not None else None
            )
            spec = RepairSpec(name, repair.after, repair.requires, unless)
            reads = tuple(dict.fromkeys((REPAIR_REQUEST, *repair.requires, *targets)))
            self.add(
                f"repairs:{name}", "repairs", (unless,) if unless else (), reads, spec
            )

    def judge_cyclic_repairs(self) -> None:
        """Take the repairs nodes whose bar reads their own grants out of the graph.

        A class barred by a condition on records it repairs makes a cycle: its
        grants, the counts of those records, the bar. Each record's bar is
        judged without that record's own repair, which no single node holds;
        the node then reads every record and leaves the grants to the
        reference evaluator (`credit_rules.engine.repair`).
        """
        graph = nx.DiGraph()
        for node in self.nodes.values():
            graph.add_edges_from((source, node.name) for source in node.inputs)
        for component in nx.strongly_connected_components(graph):
            if len(component) < 2:
                continue
            for name in sorted(component):
                found = self.nodes.get(name)
                if found is None or found.kind != "repairs":
                    continue
                spec = attrs.evolve(found.spec, unless=None, judged_whole=True)
                self.nodes[name] = Node(name, "repairs", (), (ALL_TYPES,), spec)

    def add_tiers(self) -> None:
        vetoes = []
        for veto in self.policy.vetoes.values():
            if veto.when is None or veto.forces is None:
                continue
            condition = self.condition(veto.when)
            spec = VetoSpec(veto.name, veto.forces, veto.locked)
            vetoes.append(
                (
                    self.add(f"veto:{veto.name}", "veto", (condition,), (), spec),
                    veto.forces,
                )
            )

        tiers = self.policy.tiers
        names = tuple(tier.name for tier in tiers.tiers) if tiers else ()
        conditions = tuple(
            None if tier.when is None else self.condition(tier.when)
            for tier in (tiers.tiers if tiers else ())
        )
        start = tiers.start if tiers else None
        inputs = [name for name in conditions if name is not None]
        if start is not None:
            self.add("first_record", "first_record", (), (ALL_TYPES,), None)
            inputs.append("first_record")
        inputs.extend(name for name, _ in vetoes)
        self.add(
            "tier",
            "tier",
            tuple(inputs),
            (),
            TierSpec(names, conditions, start, tuple(vetoes)),
        )

    def add_lists(self) -> None:
        for name, decl in self.policy.lists.items():
            inputs: list[str] = []
            reads: tuple[str, ...] = ()
            enter_on = None
            if decl.enter_on is not None:
                record_type = decl.enter_on.record_type
                where = self.record_condition(decl.enter_on.where, record_type)
                enter_on = (
                    record_type,
                    where,
                    self.resolved.classes.get(record_type, ()),
                )
                inputs.extend(self.repairs_of(record_type))
                reads = (record_type,)
            enter_when = self.optional_condition(decl.enter_when, inputs)
            leave_when = self.optional_condition(decl.leave_when, inputs)
            spec = ListSpec(
                name, enter_on, enter_when, decl.min_stay, decl.max_stay, leave_when
            )
            self.add(f"list:{name}", "list", tuple(inputs), reads, spec)

    def add_effects(self) -> None:
        for name, decl in self.policy.effects.items():
            inputs: list[str] = []
            condition = self.optional_condition(decl.when, inputs)
            spec = EffectSpec(name, decl.kind or "incentive", decl.lasts)
            if condition is None:
                self.add(f"effect:{name}", "effect", (), (), spec)
            else:
                self.add(f"effect:{name}", "effect", tuple(inputs), (), spec)

    def add_supervision(self) -> None:
        entries = []
        inputs = ["tier"]
        for name, decl in self.policy.supervision.items():
            condition = self.optional_condition(decl.when, inputs)
            entries.append((name, frozenset(decl.tiers), condition))
        self.add(
            "supervision",
            "supervision",
            tuple(inputs),
            (),
            SupervisionSpec(tuple(entries)),
        )

    def classifiers(self) -> dict[str, Classifier]:
        return {
            record_type: Classifier(
                tuple(
                    (
                        rule.name,
                        self.record_condition(
                            rule.on.where if rule.on else None, record_type
                        ),
                        rule.repair or "none",
                    )
                    for rule in rules
                )
            )
            for record_type, rules in self.resolved.classifying_rules.items()
        }

    # ---- conditions --------------------------------------------------------------

    def optional_condition(
        self, expr: ast.Expr | None, inputs: list[str]
    ) -> str | None:
        if expr is None:
            return None
        name = self.condition(expr)
        inputs.append(name)
        return name

    def condition(self, expr: ast.Expr) -> str:
        lowered = self.subject_expr(expr)
        known = self.conditions.get(lowered)
        if known is not None:
            return known
        name = f"condition:{len(self.conditions) + 1}"
        self.conditions[lowered] = name
        self.add(
            name, "condition", tuple(_references(lowered)), (), ConditionSpec(lowered)
        )
        return name

    def query(self, query: ast.Query) -> str:
        where = self.record_condition(query.where, query.record_type)
        key = (query.record_type, where, query.within)
        known = self.queries.get(key)
        if known is not None:
            return known
        name = f"query:{len(self.queries) + 1}"
        self.queries[key] = name
        classes = self.resolved.classes.get(query.record_type, ())
        spec = QuerySpec(query.record_type, where, query.within, classes)
        self.add(
            name,
            "query",
            self.repairs_of(query.record_type),
            (query.record_type,),
            spec,
        )
        return name

    def subject_expr(self, expr: ast.Expr) -> Expr:
        if isinstance(expr, ast.ScoreRef):
            return ("node", "score")
        if isinstance(expr, ast.TierRef):
            return ("node", "tier")
        if isinstance(expr, ast.Listed):
            return ("node", f"list:{expr.list_name}")
        if isinstance(expr, ast.Active):
            return ("node", f"effect:{expr.effect_name}")
        if isinstance(expr, ast.Count):
            return ("count", self.query(expr.query))
        if isinstance(expr, ast.AnyOf):
            return ("any", self.query(expr.query))
        if isinstance(expr, ast.NoneOf):
            return ("none", self.query(expr.query))
        return _common(expr, self.subject_expr, frozenset())

    def record_condition(self, expr: ast.Expr | None, record_type: str) -> Expr | None:
        if expr is None:
            return None
        fields = self.resolved.fields.get(record_type, frozenset())

        def visit(node: ast.Expr) -> Expr:
            if isinstance(
                node,
                ast.ScoreRef
                | ast.TierRef
                | ast.Listed
                | ast.Active
                | ast.Count
                | ast.AnyOf
                | ast.NoneOf,
            ):
                raise PolicyError(
                    [NOT_A_RECORD_CONDITION.at(_span_of(node), what=_keyword(node))]
                )
            return _common(node, visit, fields)

        return visit(expr)


def _common(expr: ast.Expr, visit: object, fields: frozenset[str]) -> Expr:
    """Lower the forms that mean the same inside and outside a query."""
    assert callable(visit)
    if isinstance(expr, ast.Ref):
        if len(expr.path) == 2 and expr.path[0] == "subject":
            return ("subject", expr.path[1])
        if len(expr.path) == 1 and expr.path[0] in fields:
            return ("field", expr.path[0])
        return ("const", expr.dotted)
    if isinstance(expr, ast.Number | ast.String | ast.DateLiteral | ast.Bool):
        return ("const", expr.value)
    if isinstance(expr, ast.Compare):
        return ("cmp", expr.op, visit(expr.left), visit(expr.right))
    if isinstance(expr, ast.Member):
        return (
            "in",
            visit(expr.operand),
            tuple(visit(value) for value in expr.values),
            expr.negated,
        )
    if isinstance(expr, ast.And):
        return ("and", tuple(visit(item) for item in expr.items))
    if isinstance(expr, ast.Or):
        return ("or", tuple(visit(item) for item in expr.items))
    if isinstance(expr, ast.Not):
        return ("not", visit(expr.item))
    raise TypeError(f"cannot lower {type(expr).__name__}")


def _references(expr: Expr) -> list[str]:
    """Return the node names a lowered condition reads, in order of appearance."""
    if expr[0] in ("node", "count", "any", "none"):
        return [expr[1]]
    return [name for part in operands(expr) for name in _references(part)]


def _counts(counts: ast.Counts) -> tuple[object, ...]:
    if isinstance(counts, ast.CountsFor):
        return ("for", counts.duration)
    if isinstance(counts, ast.CountsBetween):
        return ("between", counts.start_field, counts.end_field)
    return ("forever",)


def _keyword(expr: ast.Expr) -> str:
    names = {
        ast.ScoreRef: "score",
        ast.TierRef: "tier",
        ast.Listed: "listed",
        ast.Active: "active",
        ast.Count: "count",
        ast.AnyOf: "any",
        ast.NoneOf: "none",
    }
    return names.get(type(expr), type(expr).__name__)


def _span_of(expr: ast.Expr) -> Span:
    span: Span = expr.span
    return span
