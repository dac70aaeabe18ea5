"""`credit-rules diff` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.datasets import AS_OF, HUAIAN, JIANGSU, huaian_dataset
from credit_rules.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 30 producers."""
    return huaian_dataset(tmp_path_factory.mktemp("huaian"))


def test_matrix_counts_every_subject(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The migration matrix's cells add up to the number of subjects."""
    command = [
        "diff",
        "--policy",
        str(JIANGSU),
        "--against",
        str(HUAIAN),
        "--data",
        str(data),
        "--as-of",
        AS_OF,
    ]
    assert 0 == main([*command, "--format", "json"])
    result = json.loads(capsys.readouterr().out)
    assert 30 == sum(cell["subjects"] for cell in result["matrix"])
    assert ["A", "B", "C", "D"] == result["old_tiers"]


def test_text_has_the_matrix_and_a_summary(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The text output starts with the matrix header and has the summary line."""
    command = [
        "diff",
        "--policy",
        str(HUAIAN),
        "--against",
        str(HUAIAN),
        "--data",
        str(data),
        "--as-of",
        AS_OF,
    ]
    assert 0 == main(command)
    out = capsys.readouterr().out
    assert out.startswith("old \\ new")
    assert "30 subjects: 0 change tier, 0 change score" in out
