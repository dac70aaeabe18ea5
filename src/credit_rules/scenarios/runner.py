"""Running scenarios: assess every checkpoint and compare with what it expects.

An `Assessor` is what computes assessments; `ReferenceAssessor`, the default, is
the reference evaluator, which is the meaning of a policy. A checkpoint passes
when every item it states equals the assessment's; items it leaves out are not
checked. Lists and effects compare as sets: a scenario states what holds, not
the order the policy declares it in.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Protocol

import attrs

from credit_rules.dsl.policy import Policy
from credit_rules.engine.assessment import (
    Assessment,
    RepairOption,
    ScoreParts,
    TierTrace,
)
from credit_rules.errors import CreditRulesError
from credit_rules.records import Record, Subject
from credit_rules.scenarios.coverage import Coverage, Observation
from credit_rules.scenarios.model import Checkpoint, Expected, ExpectedRepair, Scenario
from credit_rules.scenarios.reader import load_file, scenario_files


class Assessor(Protocol):
    """Computes what a checkpoint is compared with."""

    def assess(
        self,
        policy: Policy,
        subject: Subject,
        records: Sequence[Record],
        as_of: dt.date,
    ) -> Assessment:
        """Return the subject's assessment as of a date."""

    def observe(
        self,
        policy: Policy,
        subject: Subject,
        records: Sequence[Record],
        as_of: dt.date,
    ) -> tuple[ScoreParts | None, TierTrace | None]:
        """Return the score's parts and the tier's trace, where available."""


class ReferenceAssessor:
    """The reference evaluator `credit_rules.engine.reference`."""

    def __init__(self) -> None:
        self._module: ModuleType | None = None

    @property
    def module(self) -> ModuleType:
        """The reference evaluator's module, imported on first use."""
        if self._module is None:
            self._module = importlib.import_module("credit_rules.engine.reference")
        return self._module

    def assess(
        self,
        policy: Policy,
        subject: Subject,
        records: Sequence[Record],
        as_of: dt.date,
    ) -> Assessment:
        """Return the reference evaluator's assessment."""
        result: Assessment = self.module.assess(policy, subject, list(records), as_of)
        return result

    def observe(
        self,
        policy: Policy,
        subject: Subject,
        records: Sequence[Record],
        as_of: dt.date,
    ) -> tuple[ScoreParts | None, TierTrace | None]:
        """Return the reference evaluator's score parts and tier trace."""
        parts = getattr(self.module, "score_parts", None)
        trace = getattr(self.module, "tier_trace", None)
        return (
            parts(policy, subject, list(records), as_of) if parts else None,
            trace(policy, subject, list(records), as_of) if trace else None,
        )


@attrs.frozen
class Mismatch:
    """One item a checkpoint expected differently from what was assessed."""

    item: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.item}: expected {self.expected}, got {self.actual}"


@attrs.frozen
class CheckpointResult:
    """The outcome of one checkpoint: passed when nothing mismatched or failed.

    Attributes:
        scenario: The scenario's name.
        file: The scenario's file.
        checkpoint: The checkpoint.
        mismatches: What differed.
        error: Why the assessment could not be made at all, if it could not.
        assessor: What assessed: `reference` or `engine`.
        explanation: For a failed checkpoint, when asked for, the explanation
            of what was assessed, as `credit-rules explain` prints it.
    """

    scenario: str
    file: str
    checkpoint: Checkpoint
    mismatches: tuple[Mismatch, ...] = ()
    error: str | None = None
    assessor: str = "reference"
    explanation: str | None = None

    @property
    def passed(self) -> bool:
        """Whether the checkpoint passed."""
        return not self.mismatches and self.error is None

    @property
    def where(self) -> str:
        """`file:line: scenario `name`, subject S on DATE`, for reports."""
        point = self.checkpoint
        by = "" if self.assessor == "reference" else f" ({self.assessor})"
        return (
            f"{self.file}:{point.line}: scenario `{self.scenario}`, "
            f"`{point.subject}` on {point.on.isoformat()}{by}"
        )


@attrs.frozen
class PolicyReport:
    """Every checkpoint result of one policy's scenarios, and their coverage."""

    policy: str
    path: str
    results: tuple[CheckpointResult, ...]
    coverage: Coverage
    scenario_count: int

    @property
    def passed(self) -> int:
        """How many checkpoints passed."""
        return sum(1 for result in self.results if result.passed)

    @property
    def failed(self) -> int:
        """How many checkpoints failed."""
        return len(self.results) - self.passed


def run_policy(
    path: str | os.PathLike[str],
    assessor: Assessor | None = None,
    policy: Policy | None = None,
    *,
    engine: bool = False,
    explain: str | None = None,
) -> PolicyReport:
    """Load a policy and run every scenario beside it.

    Args:
        path: The policy folder.
        assessor: What assesses; by default the reference evaluator.
        policy: The policy, if already loaded from `path`.
        engine: Also live through every scenario in the incremental engine,
            whose results then follow the reference's.
        explain: The language (`zh` or `en`) in which to explain each failed
            checkpoint's assessment; None for no explanation.

    Returns:
        The report of every checkpoint and the coverage.

    Raises:
        PolicyError: If the policy does not load.
        DataError: If a scenario file is malformed, naming file and line.
    """
    if policy is None:
        from credit_rules.dsl import load_policy

        policy = load_policy(path)
    assessor = assessor or ReferenceAssessor()

    scenarios = [s for file in scenario_files(path) for s in load_file(policy, file)]
    coverage = Coverage.of(policy)
    results = []
    for scenario in scenarios:
        for checkpoint in scenario.checkpoints:
            result = run_checkpoint(policy, scenario, checkpoint, assessor, coverage)
            if explain is not None and result.mismatches:
                text = explain_checkpoint(policy, scenario, checkpoint, explain)
                result = attrs.evolve(result, explanation=text)
            results.append(result)
    if engine:
        from credit_rules.scenarios.engine_run import engine_results

        for scenario in scenarios:
            results.extend(engine_results(policy, scenario))
    return PolicyReport(
        policy.name, str(Path(path)), tuple(results), coverage, len(scenarios)
    )


def run_checkpoint(
    policy: Policy,
    scenario: Scenario,
    checkpoint: Checkpoint,
    assessor: Assessor,
    coverage: Coverage | None = None,
) -> CheckpointResult:
    """Assess one checkpoint, compare, and note what it exercised in `coverage`."""
    subject = scenario.subjects[checkpoint.subject]
    records = scenario.view(checkpoint.subject, checkpoint.on)
    try:
        actual = assessor.assess(policy, subject, records, checkpoint.on)
        if coverage is not None:
            parts, trace = assessor.observe(policy, subject, records, checkpoint.on)
            coverage.note(Observation(actual, parts, trace))
    except CreditRulesError as error:
        return CheckpointResult(
            scenario.name, scenario.file, checkpoint, error=str(error)
        )
    mismatches = compare(checkpoint.expected, actual)
    return CheckpointResult(scenario.name, scenario.file, checkpoint, mismatches)


def explain_checkpoint(
    policy: Policy, scenario: Scenario, checkpoint: Checkpoint, lang: str
) -> str | None:
    """Explain what a checkpoint assessed, as `credit-rules explain` would.

    Returns:
        The explanation's text, or None if the scenario cannot be explained
        (the assessment itself failed).
    """
    from credit_rules.engine.runtime import Engine
    from credit_rules.explain import render_text, report

    subject = scenario.subjects[checkpoint.subject]
    records = scenario.view(checkpoint.subject, checkpoint.on)
    try:
        engine = Engine(policy, today=checkpoint.on)
        engine.ingest([subject, *records])
        return render_text(report(engine, subject.id, checkpoint.on), lang)
    except CreditRulesError:
        return None


def compare(expected: Expected, actual: Assessment) -> tuple[Mismatch, ...]:
    """Return every item of `expected` that `actual` does not match."""
    found: list[Mismatch] = []
    if expected.score is not None and expected.score != actual.score:
        found.append(Mismatch("score", str(expected.score), str(actual.score)))
    if expected.tier is not None and expected.tier != actual.tier:
        found.append(Mismatch("tier", expected.tier, actual.tier))
    if expected.lists is not None and set(expected.lists) != set(actual.lists):
        found.append(Mismatch("lists", _names(expected.lists), _names(actual.lists)))
    if expected.effects is not None and set(expected.effects) != set(actual.effects):
        found.append(
            Mismatch("effects", _names(expected.effects), _names(actual.effects))
        )
    supervision = actual.supervision.name if actual.supervision else None
    if expected.check_supervision and expected.supervision != supervision:
        found.append(
            Mismatch("supervision", str(expected.supervision), str(supervision))
        )
    if expected.check_next_change and expected.next_change != actual.next_change:
        found.append(
            Mismatch("next_change", str(expected.next_change), str(actual.next_change))
        )
    if expected.repair_options is not None:
        found.extend(_compare_repairs(expected.repair_options, actual.repair_options))
    return tuple(found)


def _compare_repairs(
    expected: Sequence[ExpectedRepair], actual: Sequence[RepairOption]
) -> list[Mismatch]:
    """Compare repair options by record, then each stated attribute."""
    by_record = {option.record: option for option in actual}
    wanted = [option.record for option in expected]
    if set(wanted) != set(by_record):
        return [Mismatch("repair_options", _names(wanted), _names(list(by_record)))]

    found = []
    for option in expected:
        got = by_record[option.record]
        pairs = [
            ("rule", option.rule, got.rule),
            ("repair_class", option.repair_class, got.repair_class),
            ("available_from", option.available_from, got.available_from),
            ("score_after", option.score_after, got.score_after),
            ("tier_after", option.tier_after, got.tier_after),
        ]
        for name, want, have in pairs:
            if want is not None and want != have:
                found.append(
                    Mismatch(
                        f"repair of `{option.record}` {name}", str(want), str(have)
                    )
                )
        if option.missing is not None and set(option.missing) != set(got.missing):
            found.append(
                Mismatch(
                    f"repair of `{option.record}` missing",
                    _names(option.missing),
                    _names(got.missing),
                )
            )
    return found


def _names(names: Sequence[str]) -> str:
    """Show a list of names as `[a, b]`, sorted so that order does not matter."""
    return "[" + ", ".join(sorted(names)) + "]"
