"""The Jiangsu and Huai'an policies against every scenario beside them."""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_rules.scenarios import PolicyReport, run_policy

POLICIES = Path(__file__).resolve().parents[2] / "policies"
NAMES = ("jiangsu", "huaian")


@pytest.fixture(scope="module", params=NAMES)
def report(request: pytest.FixtureRequest) -> PolicyReport:
    """The report of one policy's scenarios, run once per module."""
    return run_policy(POLICIES / request.param)


def test_every_checkpoint_passes(report: PolicyReport) -> None:
    """Every hand-computed checkpoint agrees with the reference evaluator."""
    failures = [
        f"{result.where}: {'; '.join(map(str, result.mismatches)) or result.error}"
        for result in report.results
        if not result.passed
    ]

    assert [] == failures


def test_every_declaration_is_exercised(report: PolicyReport) -> None:
    """Some checkpoint exercises every declaration of the policy.

    That is every rule, tier, veto, list, effect and repair class, inherited ones
    included.
    """
    uncovered = {
        kind: names for kind, names in report.coverage.uncovered().items() if names
    }

    assert {} == uncovered
    assert set() == report.coverage.unknown


def test_at_least_forty_scenarios_across_the_policies() -> None:
    """The two policies together carry at least 40 scenarios."""
    count = sum(run_policy(POLICIES / name).scenario_count for name in NAMES)

    assert count >= 40


@pytest.mark.parametrize("name", NAMES)
def test_the_engine_agrees_with_every_checkpoint(name: str) -> None:
    """The incremental engine, living through each scenario, meets every checkpoint."""
    report = run_policy(POLICIES / name, engine=True)

    assert 0 == report.failed
