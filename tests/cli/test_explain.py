"""`credit-rules explain` end to end."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from cli.datasets import AS_OF, HUAIAN, huaian_dataset
from credit_rules.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 30 producers."""
    return huaian_dataset(tmp_path_factory.mktemp("huaian"))


def _first_subject(data: Path) -> str:
    return (
        (data / "subjects.csv")
        .read_text(encoding="utf-8")
        .splitlines()[1]
        .split(",")[0]
    )


def _explain(data: Path, *extra: str) -> list[str]:
    return [
        "explain",
        "--policy",
        str(HUAIAN),
        "--data",
        str(data),
        "--as-of",
        AS_OF,
        *extra,
    ]


def test_text_is_a_tree_that_adds_up(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The default output is the Chinese tree, ending at the score."""
    subject = _first_subject(data)
    assert 0 == main(_explain(data, subject))
    out = capsys.readouterr().out
    assert out.startswith(f"主体 {subject}")
    assert "├─ 得分构成" in out


def test_json_adds_up_to_the_score(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--format json` has base and contributions that sum to the score."""
    assert 0 == main(_explain(data, _first_subject(data), "--format", "json"))
    explained = json.loads(capsys.readouterr().out)
    total = Decimal(explained["base"]) + sum(
        Decimal(c["points"]) for c in explained["contributions"]
    )
    assert Decimal(explained["score"]) == total


def test_markdown_in_english(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--format markdown --lang en` is an English letter."""
    assert 0 == main(
        _explain(data, _first_subject(data), "--format", "markdown", "--lang", "en")
    )
    assert capsys.readouterr().out.startswith("# Credit assessment explained\n")


def test_unknown_subject_suggests_the_closest(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown subject is one line naming the closest known id, exit 1."""
    subject = _first_subject(data)
    assert 1 == main(_explain(data, subject[:-1]))
    err = capsys.readouterr().err
    assert [
        f"credit-rules: error: unknown subject `{subject[:-1]}`; did you mean `{subject}`?"
    ] == err.splitlines()


def test_bad_date_is_a_usage_error(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A date that does not exist is a usage error naming it, exit 2, no traceback."""
    command = [
        "explain",
        "--policy",
        str(HUAIAN),
        "--data",
        str(data),
        "X",
        "--as-of",
        "2026-02-30",
    ]
    assert 2 == main(command)
    err = capsys.readouterr().err
    assert "`2026-02-30` is not a date" in err
    assert "Traceback" not in err


def test_bad_policy_path_is_one_line(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A policy path that does not exist is one clear line, exit 2."""
    assert 2 == main(
        ["explain", "--policy", str(tmp_path / "nope"), "--data", str(data), "X"]
    )
    assert 1 == len(capsys.readouterr().err.splitlines())
