"""Reason codes, the next change and the paths of a report."""

from __future__ import annotations

from decimal import Decimal

from credit_rules import Engine
from credit_rules.dsl.policy import Policy
from credit_rules.explain import from_explanation, report
from explain.scenario import AS_OF, RECORDS, SUBJECT


def _engine(policy: Policy) -> Engine:
    engine = Engine(policy, today=AS_OF)
    engine.ingest([SUBJECT, *RECORDS])
    return engine


def test_reason_codes_rank_rules_by_points_lost(jiangsu: Policy) -> None:
    """Reason codes are the rules that lost points, the largest loss first; bonuses are not."""
    reasons = report(_engine(jiangsu), SUBJECT.id, AS_OF).reasons
    assert [
        "penalty_general",
        "sampling_failure",
        "inspection_problem",
        "substantiated_complaint",
    ] == [reason.rule for reason in reasons]
    assert [Decimal(-10), Decimal(-10), Decimal(-2), Decimal(-2)] == [
        r.points for r in reasons
    ]


def test_next_change_names_the_expiring_record_and_the_grade_after(
    jiangsu: Policy,
) -> None:
    """The next change is I1 expiring on 2026-03-20, with the engine's grade of that day."""
    engine = _engine(jiangsu)
    upcoming = report(engine, SUBJECT.id, AS_OF).upcoming
    assert upcoming is not None
    assert "2026-03-20" == upcoming.on.isoformat()
    assert ["I1"] == [event.name for event in upcoming.events if event.what == "record"]
    assert engine.assess(SUBJECT.id, upcoming.on) == upcoming.after


def test_paths_are_earliest_first_and_reach_a_better_tier(jiangsu: Policy) -> None:
    """Every path reaches a better tier than today's, and they come earliest first."""
    engine = _engine(jiangsu)
    explained = report(engine, SUBJECT.id, AS_OF)
    names = jiangsu.tier_names()
    tier = names.index(explained.explanation.assessment.tier)
    assert explained.paths
    assert all(names.index(step.tier) < tier for step in explained.paths)
    dates = [step.on for step in explained.paths]
    assert sorted(dates) == dates
    waits = [step for step in explained.paths if step.kind == "wait"]
    for step in waits:
        assert engine.assess(SUBJECT.id, step.on).tier == step.tier


def test_a_bare_explanation_gives_reasons_without_engine_extras(
    jiangsu: Policy,
) -> None:
    """From `Engine.explain` alone the report has reasons and the next date, no paths."""
    bare = from_explanation(_engine(jiangsu).explain(SUBJECT.id, AS_OF))
    assert bare.reasons
    assert bare.upcoming is not None and bare.upcoming.after is None
    assert () == bare.paths
