"""Scenario tests: YAML files beside a policy that pin what it decides.

A scenario gives one or more subjects, their records over several years, and
checkpoints: the score, tier, lists, effects, supervision and repair options
expected on given dates. `run_policy` loads a policy, runs every scenario in its
`scenarios/` folder through the reference evaluator, and reports each checkpoint
that disagrees and the declarations no checkpoint exercised. The file format is
described in `docs/scenarios.md`.

Example:
    >>> report = run_policy("policies/jiangsu")  # doctest: +SKIP
    >>> f"{report.passed} passed, {report.failed} failed"  # doctest: +SKIP
    '104 passed, 0 failed'
"""

from credit_rules.scenarios.coverage import Coverage
from credit_rules.scenarios.model import Checkpoint, Expected, ExpectedRepair, Scenario
from credit_rules.scenarios.reader import SCENARIO_FOLDER, load_file, scenario_files
from credit_rules.scenarios.runner import (
    Assessor,
    CheckpointResult,
    Mismatch,
    PolicyReport,
    ReferenceAssessor,
    compare,
    run_checkpoint,
    run_policy,
)

__all__ = [
    "SCENARIO_FOLDER",
    "Assessor",
    "Checkpoint",
    "CheckpointResult",
    "Coverage",
    "Expected",
    "ExpectedRepair",
    "Mismatch",
    "PolicyReport",
    "ReferenceAssessor",
    "Scenario",
    "compare",
    "load_file",
    "run_checkpoint",
    "run_policy",
    "scenario_files",
]
