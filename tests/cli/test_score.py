"""`credit-rules score` end to end."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cli.datasets import AS_OF, HUAIAN, huaian_dataset
from credit_rules.cli import main


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 30 producers."""
    return huaian_dataset(tmp_path_factory.mktemp("huaian"))


def test_table_has_a_row_per_subject(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table has the header and one row per subject; no progress bar off a terminal."""
    assert 0 == main(
        ["score", "--policy", str(HUAIAN), "--data", str(data), "--as-of", AS_OF]
    )
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert ["subject", "name", "score", "tier", "lists", "supervision"] == lines[
        0
    ].split()
    assert 31 == len(lines)
    assert "" == err


def test_json_is_one_assessment_per_subject(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--format json` is an array of assessments with the documented fields."""
    assert 0 == main(
        [
            "score",
            "--policy",
            str(HUAIAN),
            "--data",
            str(data),
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ]
    )
    grades = json.loads(capsys.readouterr().out)
    assert 30 == len(grades)
    assert {
        "subject",
        "as_of",
        "score",
        "tier",
        "lists",
        "effects",
        "supervision",
        "repair_options",
        "next_change",
        "policy_digest",
    } == set(grades[0])
    assert {AS_OF} == {grade["as_of"] for grade in grades}


def test_csv_agrees_with_json(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CSV's scores and tiers are the JSON's."""
    base = ["score", "--policy", str(HUAIAN), "--data", str(data), "--as-of", AS_OF]
    main([*base, "--format", "json"])
    grades = json.loads(capsys.readouterr().out)
    main([*base, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(g["subject"], g["score"], g["tier"]) for g in grades] == [
        (r["subject"], r["score"], r["tier"]) for r in rows
    ]


def test_rejected_rows_are_reported_and_the_rest_scored(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad record row is named on stderr with a count, exit 1, and every subject is still scored."""
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("subjects.csv", "records.csv"):
        (broken / name).write_bytes((data / name).read_bytes())
    with (broken / "records.csv").open("a", encoding="utf-8") as records:
        records.write("BAD-1,NO-SUCH-SUBJECT,inspection,2026-01-01" + "," * 40 + "\n")
    assert 1 == main(
        ["score", "--policy", str(HUAIAN), "--data", str(broken), "--as-of", AS_OF]
    )
    out, err = capsys.readouterr()
    assert 31 == len(out.splitlines())
    assert "rejected 1 rows" in err


def test_a_missing_dataset_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A dataset path that does not exist is one clear line and exit 2."""
    assert 2 == main(
        ["score", "--policy", str(HUAIAN), "--data", str(tmp_path / "none")]
    )
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "does not exist" in err


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`score --help` ends with an example."""
    assert 0 == main(["score", "--help"])
    assert "example:\n  credit-rules score --policy" in capsys.readouterr().out


def test_archive_gives_the_datasets_grades(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Scoring from an archive holding the dataset gives the dataset's grades."""
    from credit_rules import load_policy, read_dataset
    from credit_rules.store import SqliteStore

    archive = tmp_path / "archive.sqlite"
    store = SqliteStore(archive)
    store.append(read_dataset(data, load_policy(HUAIAN)).items(), by="test")
    store.close()
    base = ["score", "--policy", str(HUAIAN), "--as-of", AS_OF, "--format", "csv"]
    assert 0 == main([*base, "--data", str(data)])
    from_data = capsys.readouterr().out
    assert 0 == main([*base, "--archive", str(archive)])
    assert from_data == capsys.readouterr().out


def test_a_missing_archive_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An archive path that does not exist is one clear line, exit 2."""
    assert 2 == main(
        ["score", "--policy", str(HUAIAN), "--archive", str(tmp_path / "a")]
    )
    assert "does not exist" in capsys.readouterr().err
