"""`credit-rules graph` end to end."""

from __future__ import annotations

import pytest

from cli.datasets import JIANGSU
from credit_rules.cli import main


def test_dot_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """The default is DOT with labelled rules."""
    assert 0 == main(["graph", "--policy", str(JIANGSU)])
    out = capsys.readouterr().out
    assert out.startswith('digraph "jiangsu" {')
    assert "rule sampling_failure\\n监测抽检不合格 / sampling test failed" in out


def test_mermaid(capsys: pytest.CaptureFixture[str]) -> None:
    """`--format mermaid` is a Mermaid flowchart."""
    assert 0 == main(["graph", "--policy", str(JIANGSU), "--format", "mermaid"])
    assert capsys.readouterr().out.startswith("flowchart LR\n")


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    """`graph --help` ends with an example."""
    assert 0 == main(["graph", "--help"])
    assert "example:\n  credit-rules graph --policy" in capsys.readouterr().out
