from __future__ import annotations

from pathlib import Path

import pytest

pygments = pytest.importorskip("pygments")

from pygments.token import Comment, Error, Keyword, Literal, Name, Number, String  # noqa: E402

from credit_rules.pygments_lexer import RulesLexer  # noqa: E402

FIXTURE = Path(__file__).parent / "dsl" / "fixtures" / "messy.formatted.rules"


def _tokens(text: str) -> list[tuple[object, str]]:
    return [(kind, value) for kind, value in RulesLexer().get_tokens(text)]


def test_sample_lexes_without_errors() -> None:
    """A file using every construct lexes with no Error token."""
    tokens = _tokens(FIXTURE.read_text(encoding="utf-8"))

    assert [] == [value for kind, value in tokens if kind in Error]


def test_token_kinds() -> None:
    """Keywords, names (Chinese too), strings, numbers, dates and comments are told apart."""
    tokens = _tokens('rule 抽检 "不合格" { points -10 }  # 注释\nwhen d == 2026-04-01')

    assert (Keyword.Declaration, "rule") in tokens
    assert (Name, "抽检") in tokens
    assert (String.Double, "不合格") in tokens
    assert (Number, "-10") in tokens
    assert (Comment.Single, "# 注释") in tokens
    assert (Literal.Date, "2026-04-01") in tokens


def test_library_does_not_import_pygments() -> None:
    """Importing the library and its command line leaves Pygments unloaded."""
    import subprocess
    import sys

    code = (
        "import sys, credit_rules.dsl, credit_rules.cli, credit_rules.dsl.formatter;"
        "print('pygments' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert "False" == result.stdout.strip()
