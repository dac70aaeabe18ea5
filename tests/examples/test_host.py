"""The embedding example in `examples/host/` runs and answers as the docs say."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

HOST = Path(__file__).resolve().parents[2] / "examples" / "host" / "host.py"


def test_the_host_reports_changes_and_answers_about_project_funds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The host sees the tier fall to D, is refused funds while listed, then not."""
    runpy.run_path(str(HOST), run_name="__main__")

    lines = capsys.readouterr().out.splitlines()
    assert any("tier" in line and "C -> D" in line for line in lines)
    assert any("list serious" in line and "-> True" in line for line in lines)
    answers = [line for line in lines if line.startswith("may ")]
    assert 2 == len(answers)
    assert "on 2026-07-01? no:" in answers[0]
    assert "on 2029-06-01? yes:" in answers[1]
    assert lines[-1] == "on 2029-06-01: score 80, tier B"
