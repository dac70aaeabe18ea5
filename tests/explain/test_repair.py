"""The repair section's "after" figures are what the engine gives after the repair."""

from __future__ import annotations

from credit_rules import Engine, Record, RepairOption
from credit_rules.dsl.policy import Policy
from credit_rules.explain import render_json, report
from explain.scenario import AS_OF, RECORDS, SUBJECT


def _engine(policy: Policy, extra: list[Record]) -> Engine:
    engine = Engine(policy, today=AS_OF)
    engine.ingest([SUBJECT, *RECORDS, *extra])
    return engine


def _options(policy: Policy) -> tuple[RepairOption, ...]:
    return report(_engine(policy, []), SUBJECT.id, AS_OF).explanation.repair_options


def _repaired(
    policy: Policy, option: RepairOption, evidence: list[Record]
) -> tuple[object, str]:
    """Ingest the evidence and a repair request dated as the option says; assess that day."""
    on = max(AS_OF, option.available_from)
    request = Record(
        f"RQ-{option.record}",
        SUBJECT.id,
        "repair_request",
        on,
        {"target": option.record},
    )
    after = _engine(policy, [*evidence, request]).assess(SUBJECT.id, on)
    return after.score, after.tier


def test_scenario_has_options_with_and_without_missing_evidence(
    jiangsu: Policy,
) -> None:
    """The scenario exercises both kinds of repair option (so the tests below bite)."""
    options = _options(jiangsu)
    assert {"P1", "S1", "I1", "C1"} == {option.record for option in options}
    assert any(not option.missing for option in options)
    assert any(option.missing for option in options)


def test_after_figures_equal_the_engine_after_a_complete_repair(
    jiangsu: Policy,
) -> None:
    """With the evidence all present, a repair request gives exactly the option's figures."""
    complete = [option for option in _options(jiangsu) if not option.missing]
    assert complete
    for option in complete:
        assert (option.score_after, option.tier_after) == _repaired(jiangsu, option, [])


def test_after_figures_equal_the_engine_once_missing_evidence_arrives(
    jiangsu: Policy,
) -> None:
    """Supplying the missing evidence, then the request, gives the option's figures."""
    missing = [option for option in _options(jiangsu) if option.missing]
    assert missing
    for option in missing:
        on = max(AS_OF, option.available_from)
        evidence = [
            Record(
                f"EV-{option.record}-{kind}",
                SUBJECT.id,
                kind,
                on,
                _evidence_fields(kind),
            )
            for kind in option.missing
        ]
        assert (option.score_after, option.tier_after) == _repaired(
            jiangsu, option, evidence
        )


def _evidence_fields(kind: str) -> dict[str, object]:
    return {"topic": "质量安全主体责任"} if kind == "training" else {}


def test_json_repair_options_are_the_assessments(jiangsu: Policy) -> None:
    """The JSON's repair options are the assessment's, field for field."""
    engine = _engine(jiangsu, [])
    data = render_json(report(engine, SUBJECT.id, AS_OF))
    assert (
        engine.assess(SUBJECT.id, AS_OF).to_json()["repair_options"]
        == data["repair_options"]
    )


def test_repair_path_is_offered_when_it_lifts_the_tier(jiangsu: Policy) -> None:
    """A repair that lifts the tier appears as a path, dated when it can take effect."""
    engine = _engine(jiangsu, [])
    explained = report(engine, SUBJECT.id, AS_OF)
    names = jiangsu.tier_names()
    current = names.index(explained.explanation.assessment.tier)
    lifting = [
        o
        for o in explained.explanation.repair_options
        if names.index(o.tier_after) < current
    ]
    repairs = [step for step in explained.paths if step.kind == "repair"]
    assert lifting
    expected = {o.record: max(AS_OF, o.available_from) for o in lifting}
    assert expected == {step.records[0]: step.on for step in repairs}
