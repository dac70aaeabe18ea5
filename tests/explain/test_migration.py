"""The tier migration between two policies."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from credit_rules import Engine, load_policy
from credit_rules.dsl.policy import Policy
from credit_rules.explain.migration import migrate
from explain.population import ROOT
from explain.scenario import AS_OF, RECORDS, SUBJECT


def lenient_jiangsu(folder: Path) -> Path:
    """Copy Jiangsu with general penalties costing 1 point instead of 10."""
    copy = folder / "jiangsu"
    shutil.copytree(ROOT / "policies" / "jiangsu", copy)
    rules = copy / "deductions.rules"
    text = rules.read_text(encoding="utf-8")
    old = 'rule penalty_general "一般违法行政处罚" / "administrative penalty, general" {\n  on penalty where severity == general\n  points -10'
    assert old in text
    rules.write_text(text.replace(old, old[:-3] + "-1"), encoding="utf-8")
    return copy


def test_a_changed_rule_moves_the_subject_and_names_the_rule(
    jiangsu: Policy, tmp_path: Path
) -> None:
    """Lowering a penalty's points moves the scenario's producer from D to C, by that rule."""
    engines = []
    for policy in (jiangsu, load_policy(lenient_jiangsu(tmp_path))):
        engine = Engine(policy, today=AS_OF)
        engine.ingest([SUBJECT, *RECORDS])
        engines.append(engine)
    migration = migrate(engines[0], engines[1], [SUBJECT.id], AS_OF)
    assert 1 == migration.score_changes
    assert {("D", "C"): 1} == migration.counts
    (move,) = migration.moves
    assert (Decimal(58), Decimal(67)) == (move.old_score, move.new_score)
    assert (("penalty_general", Decimal(-10), Decimal(-1)),) == move.rules
