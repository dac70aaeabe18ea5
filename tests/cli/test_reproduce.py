"""An assessment made from the archive can be reproduced exactly later on."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from credit_rules.cli import main
from sample_datasets import FARM, RECORD_HEADER, RECORD_ROWS, good_dataset, write

ROOT = Path(__file__).parents[2]
HUAIAN = str(ROOT / "policies" / "huaian")
AS_OF = "2024-12-31"

# A penalty that arrives late, dated before the first assessment.
BACKDATED = f"P-9,{FARM},penalty,2024-06-01,,,,,第七十一条,general,art71,false,true"


def _explain_json(capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, object]:
    archive_args = ["--policy", HUAIAN, "--archive", extra[0], "--as-of", AS_OF]
    capsys.readouterr()
    code = main(["explain", *archive_args, *extra[1:], "--format", "json", FARM])
    out = capsys.readouterr().out
    assert 0 == code
    result: dict[str, object] = json.loads(out)
    return result


def test_known_at_and_digest_reproduce_an_earlier_assessment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the archive held then, under the same policy, gives the same grade.

    A backdated penalty arriving later changes the grade as of the same date;
    `--known-at` before it and the first assessment's digest give the first
    explanation back exactly.
    """
    archive = str(tmp_path / "archive.db")
    first_data = good_dataset(tmp_path / "first")
    assert 0 == main(["ingest", "--archive", archive, "--data", str(first_data), "--policy", HUAIAN])  # fmt: skip
    before = _explain_json(capsys, archive)

    time.sleep(0.01)
    between = dt.datetime.now(dt.UTC).isoformat()
    time.sleep(0.01)
    later = tmp_path / "later"
    good_dataset(later)
    write(later, "records.csv", [RECORD_HEADER, *RECORD_ROWS, BACKDATED])
    assert 0 == main(["ingest", "--archive", archive, "--data", str(later), "--policy", HUAIAN])  # fmt: skip
    capsys.readouterr()
    after = _explain_json(capsys, archive)

    digest = str(before["policy_digest"])
    reproduced = _explain_json(
        capsys, archive, "--known-at", between, "--digest", digest[:12]
    )

    assert before["score"] != after["score"]
    assert before == reproduced


def test_another_policy_digest_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Grading under a policy whose digest is not the one asked for is an error."""
    archive = str(tmp_path / "archive.db")
    data = good_dataset(tmp_path / "data")
    assert 0 == main(["ingest", "--archive", archive, "--data", str(data), "--policy", HUAIAN])  # fmt: skip
    capsys.readouterr()

    code = main(["score", "--policy", HUAIAN, "--archive", archive, "--digest", "00ff"])

    assert 1 == code
    assert "not `00ff`" in capsys.readouterr().err


def test_known_at_needs_an_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dataset folder has no history to go back to: `--known-at` is bad usage."""
    data = good_dataset(tmp_path / "data")

    code = main(["score", "--policy", HUAIAN, "--data", str(data), "--known-at", "2024-01-01"])  # fmt: skip

    assert 2 == code
    assert "`--known-at` needs `--archive`" in capsys.readouterr().err
