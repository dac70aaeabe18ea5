"""The scenario runner: reading YAML, comparing checkpoints, coverage, the CLI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from credit_rules.cli import main
from credit_rules.dsl.loader import load
from credit_rules.dsl.policy import Policy
from credit_rules.errors import DataError
from credit_rules.scenarios import load_file, run_policy

POLICY = """
policy demo "示例政策" / "demo policy" {
  version "1"
}

import stdlib.agri

score {
  base 80
  range 0 to 100
}

rule sampling_failure "监测抽检不合格" / "sampling test failed" {
  on sampling_test where result == fail
  points -10
  counts for 1 year
  repair general
  source "test"
}

rule training_attended "参加培训" / "training attended" {
  on training
  points +2
  counts for 1 year
  source "test"
}

tiers "信用等级" / "tiers" {
  A "守信" / "trustworthy" when score >= 90
  B "基本守信" / "basically trustworthy" when score >= 75
  C "失信" / "untrustworthy" otherwise
  start B
}

repair general "一般失信信息修复" / "general" {
  after 3 months
  requires commitment_letter
  source "test"
}
"""

SUBJECT = """subject:
  id: 91320100MA1JX0001G
  kind: enterprise
  attributes: {credit_code: 91320100MA1JX0001G, name: 示例公司, region: 南京市,
               registered: 2019-01-01, products: 蔬菜, legal_person: 王某,
               phone: "13800000000"}
"""

FAILED_TEST = (
    "{id: ST1, type: sampling_test, date: 2026-03-01, fields: {result: fail,"
    " hazard: pesticide_residue, disputed: false, retest: not_requested}}"
)

PASSING = f"""name: failure-expires
description: 抽检不合格一年后到期 / a failure expires after a year
{SUBJECT}records:
  - {FAILED_TEST}
expect:
  - on: 2026-03-01
    score: 70
    tier: C
    lists: []
    effects: []
    supervision: null
    repair_options:
      - {{record: ST1, repair_class: general, available_from: 2026-06-01,
          missing: [commitment_letter], score_after: 80, tier_after: B}}
  - on: 2027-03-01
    score: 80
    tier: B
"""


def _policy_folder(root: Path, *scenarios: str) -> Path:
    """Write the demo policy and one scenario file per text; return the folder."""
    folder = root / "demo"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "policy.rules").write_text(POLICY, encoding="utf-8")
    for index, text in enumerate(scenarios):
        path = folder / "scenarios" / f"s{index}.yaml"
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def policy(tmp_path: Path) -> Policy:
    """The demo policy, loaded."""
    return load(_policy_folder(tmp_path / "policy"))


def _scenario_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_true_scenario_passes(tmp_path: Path) -> None:
    """Every checkpoint of a scenario whose figures are right passes."""
    report = run_policy(_policy_folder(tmp_path, PASSING))

    assert 2 == report.passed
    assert 0 == report.failed
    assert 1 == report.scenario_count


def test_a_wrong_figure_fails_with_expected_and_actual(tmp_path: Path) -> None:
    """A checkpoint that states a wrong score and tier fails.

    The result names both items, the expected and actual values, file and line.
    """
    wrong = PASSING.replace("score: 70\n    tier: C", "score: 75\n    tier: B")
    report = run_policy(_policy_folder(tmp_path, wrong))

    assert 1 == report.failed
    result = next(r for r in report.results if not r.passed)
    shown = [str(m) for m in result.mismatches]
    assert ["score: expected 75, got 70", "tier: expected B, got C"] == shown
    assert result.where.endswith(
        "s0.yaml:12: scenario `failure-expires`, `91320100MA1JX0001G` on 2026-03-01"
    )


def test_a_failed_checkpoint_carries_the_explanation_when_asked(
    tmp_path: Path,
) -> None:
    """With `explain`, a failure comes with the waterfall of what was assessed."""
    wrong = PASSING.replace("score: 70\n    tier: C", "score: 75\n    tier: B")
    report = run_policy(_policy_folder(tmp_path, wrong), explain="en")

    failed = [r for r in report.results if not r.passed]
    passed = [r for r in report.results if r.passed]
    assert 1 == len(failed)
    assert failed[0].explanation is not None
    assert "Score 70 · Tier C" in failed[0].explanation
    assert all(r.explanation is None for r in passed)


def test_a_wrong_repair_option_fails(tmp_path: Path) -> None:
    """A repair option expected with the wrong evidence missing is a mismatch."""
    wrong = PASSING.replace("missing: [commitment_letter]", "missing: []")
    report = run_policy(_policy_folder(tmp_path, wrong))

    result = next(r for r in report.results if not r.passed)
    assert ["repair of `ST1` missing: expected [], got [commitment_letter]"] == [
        str(m) for m in result.mismatches
    ]


def test_retraction_removes_a_record_from_its_date_on(tmp_path: Path) -> None:
    """A retracted record counts before the retraction day and not from it."""
    text = (
        f"name: retracted\n{SUBJECT}records:\n  - {FAILED_TEST}\n"
        "retract:\n  - {id: ST1, on: 2026-05-01}\n"
        "expect:\n  - {on: 2026-04-30, score: 70}\n  - {on: 2026-05-01, score: 80}\n"
    )
    report = run_policy(_policy_folder(tmp_path, text))

    assert (2, 0) == (report.passed, report.failed)


def test_correction_replaces_fields_in_every_view(
    policy: Policy, tmp_path: Path
) -> None:
    """A correction changes the named field and keeps the others."""
    text = (
        f"name: corrected\n{SUBJECT}records:\n  - {FAILED_TEST}\n"
        "correct:\n  - {id: ST1, fields: {result: pass}}\n"
        "expect:\n  - {on: 2026-03-01, score: 80}\n"
    )
    (scenario,) = load_file(policy, _scenario_file(tmp_path, text))

    assert "pass" == scenario.records[0].field("result")
    assert "pesticide_residue" == scenario.records[0].field("hazard")


def test_values_keep_their_types(policy: Policy, tmp_path: Path) -> None:
    """`on:` stays a key, numbers become exact decimals, dates become dates."""
    text = (
        f"name: typed\n{SUBJECT}records:\n"
        "  - {id: CC1, type: conformity_certificate, date: 2026-01-05,"
        " fields: {batches: 3}}\n"
        "expect:\n  - {on: 2026-01-05, score: 80.5}\n"
    )
    (scenario,) = load_file(policy, _scenario_file(tmp_path, text))

    assert Decimal(3) == scenario.records[0].field("batches")
    assert dt.date(2026, 1, 5) == scenario.checkpoints[0].on
    assert Decimal("80.5") == scenario.checkpoints[0].expected.score


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            f"name: x\n{SUBJECT}expect:\n  - {{on: 2026-01-01, scroe: 80}}\n",
            "case.yaml:9: a checkpoint has unknown key `scroe`",
        ),
        (
            f"name: x\n{SUBJECT}",
            "case.yaml:1: scenario `x` has no `expect:` checkpoints; add one",
        ),
        (
            f"name: x\nname: y\n{SUBJECT}",
            "case.yaml:2: the key `name` is given twice",
        ),
        (
            f"name: x\n{SUBJECT}retract:\n  - {{id: P9, on: 2026-01-01}}\n"
            "expect:\n  - {on: 2026-01-01, score: 80}\n",
            "case.yaml:9: the retraction names unknown record `P9`",
        ),
        (
            f"name: x\n{SUBJECT}records:\n  - {{id: I1, type: inspection,"
            " date: 2026-01-01, fields: {result: fine}}\n"
            "expect:\n  - {on: 2026-01-01, score: 80}\n",
            "case.yaml:9: record `I1`, field `result`",
        ),
        (
            f"name: x\n{SUBJECT}expect:\n  - {{on: 2026-13-01, score: 80}}\n",
            "case.yaml:9: `2026-13-01` is not a date: month must be in 1..12",
        ),
        (
            f"name: x\n{SUBJECT}expect:\n  - {{on: 2026-01-01}}\n",
            "case.yaml:9: the checkpoint on 2026-01-01 expects nothing",
        ),
    ],
)
def test_malformed_scenarios_name_file_and_line(
    policy: Policy, tmp_path: Path, text: str, message: str
) -> None:
    """Each kind of mistake in a scenario file is reported with its line."""
    with pytest.raises(DataError) as raised:
        load_file(policy, _scenario_file(tmp_path, text))

    assert message in str(raised.value)


def test_coverage_lists_what_no_checkpoint_exercised(tmp_path: Path) -> None:
    """Declarations no checkpoint exercised are reported uncovered.

    A rule with no record in force at any checkpoint and a tier never reached
    are listed; the others are not.
    """
    report = run_policy(_policy_folder(tmp_path, PASSING))

    uncovered = report.coverage.uncovered()
    assert ("training_attended",) == uncovered["rule"]
    assert ("A",) == uncovered["tier"]
    assert () == uncovered["repair"]


def test_cli_exit_codes_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`credit-rules test` exits 0 when all pass and 1 on a failure.

    On a failure it prints the failing item and the summary line.
    """
    good = _policy_folder(tmp_path / "good", PASSING)
    bad = _policy_folder(
        tmp_path / "bad", PASSING.replace("score: 80\n", "score: 81\n")
    )

    assert 0 == main(["test", str(good)])
    assert "2 passed, 0 failed (1 scenarios)" in capsys.readouterr().out

    assert 1 == main(["test", str(bad)])
    out = capsys.readouterr().out
    assert "score: expected 81" in out
    assert "1 passed, 1 failed (1 scenarios)" in out
    assert "rules not covered: `training_attended`" in out


def test_cli_refuses_a_folder_without_scenarios(tmp_path: Path) -> None:
    """A path with no scenarios is a usage error, exit code 2."""
    assert 2 == main(["test", str(tmp_path)])
