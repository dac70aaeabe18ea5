"""The JSON explanation: it adds up, agrees with the assessment, fits its schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from credit_rules import Engine
from credit_rules.explain import render_json, report
from explain.population import AS_OF, ROOT
from explain.schema_subset import validate

SCHEMAS = ROOT / "docs" / "schema"


def _schema(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(
        (SCHEMAS / f"{name}.schema.json").read_text()
    )
    return loaded


@pytest.fixture(scope="module")
def explained(population: Engine) -> list[dict[str, object]]:
    """The JSON explanation of every subject of the population."""
    return [render_json(report(population, s, AS_OF)) for s in population.subjects()]


def test_contributions_add_up_to_the_assessed_score(
    population: Engine, explained: list[dict[str, object]]
) -> None:
    """For every subject, base plus every contribution's points is the assessed score."""
    for data in explained:
        assessed = population.assess(str(data["subject"]), AS_OF)
        items = data["contributions"]
        assert isinstance(items, list)
        total = Decimal(str(data["base"])) + sum(
            (Decimal(item["points"]) for item in items), Decimal(0)
        )
        assert assessed.score == total
        assert str(assessed.score) == data["score"]


def test_tier_is_the_assessed_tier(
    population: Engine, explained: list[dict[str, object]]
) -> None:
    """For every subject, the explanation's tier and its tier decision are the assessed tier."""
    for data in explained:
        assessed = population.assess(str(data["subject"]), AS_OF)
        decision = data["tier_decision"]
        assert isinstance(decision, dict)
        assert assessed.tier == data["tier"]
        assert assessed.tier == decision["tier"]


def test_assessment_fields_are_the_assessments_json(
    population: Engine, explained: list[dict[str, object]]
) -> None:
    """The explanation carries the assessment's fields exactly as `to_json` writes them."""
    for data in explained:
        expected = population.assess(str(data["subject"]), AS_OF).to_json()
        assert expected == {key: data[key] for key in expected}


def test_every_source_names_a_real_file_and_line(
    explained: list[dict[str, object]],
) -> None:
    """Every contribution's `source` is `path:line` of an existing `.rules` file's line."""
    seen = 0
    for data in explained:
        items = data["contributions"]
        assert isinstance(items, list)
        for item in items:
            path, _, line = item["source"].rpartition(":")
            assert path.endswith(".rules")
            lines = Path(path).read_text(encoding="utf-8").splitlines()
            assert 1 <= int(line) <= len(lines)
            assert item["layer"] in ("jiangsu", "huaian")
            seen += 1
    assert seen > 0


def test_outputs_fit_their_schemas(
    population: Engine, explained: list[dict[str, object]]
) -> None:
    """Every explanation fits the explanation schema, every assessment the assessment schema."""
    explanation_schema = _schema("explanation")
    assessment_schema = _schema("assessment")
    for data in explained:
        assert [] == validate(data, explanation_schema)
    for assessment in population.assess_all(AS_OF):
        assert [] == validate(assessment.to_json(), assessment_schema)


def test_the_validator_finds_a_missing_key() -> None:
    """The schema check is not vacuous: a missing or mistyped field is found."""
    schema = _schema("assessment")
    assert ["$: missing `tier`"] == validate(
        {
            "subject": "S",
            "as_of": "2026-01-01",
            "score": "1",
            "lists": [],
            "effects": [],
            "supervision": None,
            "repair_options": [],
            "next_change": None,
            "policy_digest": "",
        },
        schema,
    )
    assert validate({"score": 1.5}, schema)
