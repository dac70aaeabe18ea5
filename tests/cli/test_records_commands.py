import csv
import json
from pathlib import Path

import pytest

from credit_rules.cli import main
from sample_datasets import FARM, RECORD_ROWS, good_dataset

ROOT = Path(__file__).parents[2]
HUAIAN = str(ROOT / "policies" / "huaian")


def test_generate_then_ingest_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A generated dataset ingests with nothing rejected, and again adds nothing."""
    data, archive = tmp_path / "d", tmp_path / "a.db"
    assert 0 == main(
        [
            "generate",
            "--subjects",
            "20",
            "--seed",
            "1",
            "--out",
            str(data),
            "--policy",
            HUAIAN,
        ]
    )

    assert 0 == main(
        ["ingest", "--archive", str(archive), "--data", str(data), "--policy", HUAIAN]
    )
    first = capsys.readouterr().out
    assert 0 == main(
        ["ingest", "--archive", str(archive), "--data", str(data), "--policy", HUAIAN]
    )
    second = capsys.readouterr().out

    assert "subjects.csv: read 20 = accepted 20 + rejected 0" in first
    assert "added 0," in second


def test_ingest_rejects_and_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad rows make exit code 1, are counted and land in the rejects file."""
    bad = f"I-2,{FARM},inspection,2021-02-30,ok,,,,,,,,"
    data = good_dataset(
        tmp_path / "d", [*RECORD_ROWS, bad, RECORD_ROWS[0].replace(",ok,", ",problem,")]
    )
    archive, rejects = tmp_path / "a.db", tmp_path / "r.csv"

    code = main(
        [
            "ingest",
            "--archive",
            str(archive),
            "--data",
            str(data),
            "--policy",
            HUAIAN,
            "--rejects",
            str(rejects),
        ]
    )

    out, err = capsys.readouterr()
    assert 1 == code
    assert "records.csv: read 5 = accepted 3 + rejected 2" in out
    assert "February 2021 has 28 days" in err
    with rejects.open(encoding="utf-8") as stream:
        assert ["5", "6"] == [row["line"] for row in csv.DictReader(stream)]


def test_ingest_needs_a_policy(tmp_path: Path) -> None:
    """Without `--policy` the rows cannot be typed: a usage error."""
    data = good_dataset(tmp_path / "d")

    assert 2 == main(
        ["ingest", "--archive", str(tmp_path / "a.db"), "--data", str(data)]
    )


def test_history_shows_the_trail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trail of a subject lists its subject and record entries with who made them."""
    data, archive = good_dataset(tmp_path / "d"), tmp_path / "a.db"
    main(
        [
            "ingest",
            "--archive",
            str(archive),
            "--data",
            str(data),
            "--policy",
            HUAIAN,
            "--by",
            "clerk",
        ]
    )
    capsys.readouterr()

    assert 0 == main(["history", "--archive", str(archive), FARM, "--format", "json"])

    trail = json.loads(capsys.readouterr().out)
    assert [("subject", FARM), ("record", "I-1"), ("record", "S-1")] == [
        (e["kind"], e["id"]) for e in trail
    ]
    assert {"clerk"} == {e["by"] for e in trail}
    assert 1 == main(["history", "--archive", str(archive), "nobody"])


def test_publish_from_data_and_archive_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The list published from a dataset equals the one from its archive."""
    data, archive = tmp_path / "d", tmp_path / "a.db"
    main(
        [
            "generate",
            "--subjects",
            "60",
            "--seed",
            "2",
            "--out",
            str(data),
            "--policy",
            HUAIAN,
        ]
    )
    main(["ingest", "--archive", str(archive), "--data", str(data), "--policy", HUAIAN])
    capsys.readouterr()
    common = ["publish", "--policy", HUAIAN, "--list", "red", "--as-of", "2026-06-30"]

    assert 0 == main([*common, "--data", str(data)])
    from_data = capsys.readouterr().out
    assert 0 == main([*common, "--archive", str(archive)])

    assert from_data == capsys.readouterr().out
    assert from_data.startswith("list,name,credit_code,reason,since,until\n")
    assert len(from_data.splitlines()) > 1


def test_publish_unknown_list_is_a_usage_error(tmp_path: Path) -> None:
    """A list the policy lacks is bad usage."""
    data = good_dataset(tmp_path / "d")

    assert 2 == main(
        ["publish", "--policy", HUAIAN, "--data", str(data), "--list", "black"]
    )
