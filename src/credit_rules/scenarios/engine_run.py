"""Running a scenario's story through the incremental engine.

The reference evaluator assesses each checkpoint from the view of its date. The
engine instead lives through the story: it ingests the subjects, then the records
as first entered in the order they reached the archive (`entered`, else their
date), then applies the corrections and retractions, and is asked about every
checkpoint afterwards. Both must give what the checkpoints expect.
"""

from __future__ import annotations

from credit_rules.dsl.policy import Policy
from credit_rules.engine.runtime import Engine
from credit_rules.errors import CreditRulesError
from credit_rules.records import Record
from credit_rules.scenarios.model import Scenario
from credit_rules.scenarios.runner import CheckpointResult, compare

ENGINE = "engine"
"""The name results of the incremental engine carry."""


def engine_results(policy: Policy, scenario: Scenario) -> list[CheckpointResult]:
    """Live through a scenario in a new engine and check every checkpoint.

    Args:
        policy: The checked policy.
        scenario: The scenario.

    Returns:
        One result per checkpoint, in file order, each named `engine`.
    """
    first = min((r.date for r in scenario.records), default=None)
    engine = Engine(policy, today=first or scenario.checkpoints[0].on)
    try:
        _live_through(engine, scenario)
    except CreditRulesError as error:
        return [
            CheckpointResult(
                scenario.name, scenario.file, point, error=str(error), assessor=ENGINE
            )
            for point in scenario.checkpoints
        ]

    results = []
    for point in scenario.checkpoints:
        try:
            actual = engine.assess(point.subject, point.on)
        except CreditRulesError as error:
            results.append(
                CheckpointResult(
                    scenario.name,
                    scenario.file,
                    point,
                    error=str(error),
                    assessor=ENGINE,
                )
            )
            continue
        mismatches = compare(point.expected, actual)
        results.append(
            CheckpointResult(
                scenario.name, scenario.file, point, mismatches, assessor=ENGINE
            )
        )
    return results


def _live_through(engine: Engine, scenario: Scenario) -> None:
    """Ingest, correct and retract as the scenario tells it."""
    engine.ingest(scenario.subjects.values())
    for record in sorted(scenario.first_versions, key=lambda r: _arrival(scenario, r)):
        engine.ingest([record])
    first = {record.id: record for record in scenario.first_versions}
    for record in scenario.records:
        if record != first[record.id]:
            engine.correct(record)
    for record_id, on in sorted(scenario.retractions.items(), key=lambda item: item[1]):
        engine.retract(record_id, on=on)


def _arrival(scenario: Scenario, record: Record) -> tuple[object, ...]:
    """When a record reached the archive, for the order of ingestion."""
    return (scenario.entered.get(record.id, record.date), record.date, record.id)
