"""The compiler's passes and the plan they make."""

from __future__ import annotations

import pickle
from decimal import Decimal

import attrs
import pytest

from credit_rules.dsl import ast
from credit_rules.dsl.span import Span
from credit_rules.engine.compiler import PASSES, compile_policy
from credit_rules.engine.plan import ALL_TYPES
from credit_rules.errors import PolicyError
from engine.policies import any_of, eq, policy, q, rule, score_at_least, tiers, years


def _policy() -> object:
    return policy(
        rule(
            "failure", on=q("test", eq("result", "fail")), points=[-10], counts=years(1)
        ),
        rule("bonus", on=q("cert"), points=[5]),
        tiers(("A", score_at_least(90)), ("B", None), start="B"),
        ast.VetoDecl("veto", forces="B", when=any_of(q("penalty", None, years(3)))),
    )


def test_passes_are_named_in_order() -> None:
    """The compiler is the five named passes, in their order."""
    assert ["resolve", "lower", "build_graph", "order", "fuse"] == [
        name for name, _ in PASSES
    ]


def test_nodes_come_after_their_inputs() -> None:
    """Every node's inputs come before it in the plan."""
    plan = compile_policy(_policy())  # type: ignore[arg-type]
    for position, node in enumerate(plan.nodes):
        assert all(plan.index[name] < position for name in node.inputs)


def test_schedule_of_a_type_skips_unrelated_rules() -> None:
    """A record type's schedule holds its rule and what follows, not other rules."""
    plan = compile_policy(_policy())  # type: ignore[arg-type]
    names = {plan.nodes[p].name for p in plan.schedule_for("test")}
    assert {"rule:failure", "score", "tier"} <= names
    assert "rule:bonus" not in names
    assert "veto:veto" not in names
    assert len(plan.nodes) == len(plan.schedule_for(ALL_TYPES))


def test_equal_queries_share_a_node() -> None:
    """Two conditions with the same query read one query node."""
    same = any_of(q("penalty", None, years(3)))
    plan = compile_policy(
        policy(
            tiers(("A", same), ("B", None)),
            ast.VetoDecl("veto", forces="B", when=same),
        )
    )
    assert 1 == sum(1 for node in plan.nodes if node.kind == "query")


def test_plan_pickles_and_keeps_its_digest() -> None:
    """A plan survives pickling, and compiling again gives the same digest."""
    plan = compile_policy(_policy())  # type: ignore[arg-type]
    copy = pickle.loads(pickle.dumps(plan))
    assert plan.digest == copy.digest
    assert plan.nodes == copy.nodes
    assert plan.digest == compile_policy(_policy()).digest  # type: ignore[arg-type]


def test_digest_follows_content_not_spans() -> None:
    """A change of points changes the digest; a change of span does not."""
    first = compile_policy(policy(rule("r", on=q("test"), points=[-10])))
    moved = attrs.evolve(
        rule("r", on=q("test"), points=[-10]), span=Span("other.rules", 9, 1, 9, 5)
    )
    changed = compile_policy(policy(rule("r", on=q("test"), points=[-20])))
    assert first.digest == compile_policy(policy(moved)).digest
    assert first.digest != changed.digest


def test_cycle_is_a_policy_error() -> None:
    """A list entered by a condition on itself is reported as a cycle."""
    looping = policy(ast.ListDecl("red", enter_when=ast.Listed("red")))
    with pytest.raises(PolicyError) as raised:
        compile_policy(looping)
    assert "E0901" == raised.value.diagnostics[0].code
    assert "list:red" in str(raised.value)


def test_a_bar_on_its_own_repairs_compiles() -> None:
    """A class barred by records it repairs is no cycle: the reference judges it."""
    barred = ast.RepairDecl("general", unless=any_of(q("test", eq("result", "fail"))))
    failure = rule("failure", on=q("test", eq("result", "fail")), points=[-10])
    plan = compile_policy(policy(attrs.evolve(failure, repair="general"), barred))
    repairs = plan.nodes[plan.index["repairs:general"]]
    assert repairs.spec.judged_whole
    assert () == repairs.inputs


def test_time_in_a_where_is_refused() -> None:
    """A query's `where` may not read the score."""
    bad = policy(
        rule(
            "r",
            on=q("test", ast.Compare(">", ast.ScoreRef(), ast.Number(Decimal(1)))),
            points=[1],
        )
    )
    with pytest.raises(PolicyError) as raised:
        compile_policy(bad)
    assert "E0902" == raised.value.diagnostics[0].code
