"""`credit-rules check` end to end, through `credit_rules.cli.main`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from credit_rules.cli import main

ROOT = Path(__file__).resolve().parents[2]
POLICIES = [ROOT / "policies" / "jiangsu", ROOT / "policies" / "huaian"]

VALID = """\
import stdlib.agri
score { base 80 range 0 to 100 }
rule late "迟报" / "late report" {
  on inspection where result == problem
  points -2
}
tiers "等级" {
  A "守信" when score >= 90
  B "失信" otherwise
}
"""

THREE_ERRORS = """\
import stdlib.agri
rule one "一" {
  on inspection where result == problme
  points -1
}
rule two "二" {
  on sampling_tset
  points -1
}
effect three "三" {
  incentive
  when score >= 2026-01-01
}
"""


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def _write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("policy", POLICIES, ids=[p.name for p in POLICIES])
def test_real_policies_pass(capsys: pytest.CaptureFixture[str], policy: Path) -> None:
    """The bundled policies check without an error."""
    if not policy.is_dir():
        pytest.skip(f"{policy.name} is not written yet")

    code, out = _check(capsys, str(policy))

    assert 0 == code, out


def test_valid_file_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A valid policy file exits 0 and says there are no problems."""
    path = _write(tmp_path, "ok.rules", VALID)

    code, out = _check(capsys, path)

    assert 0 == code
    assert "checked 1 policy: no problems\n" == out


def test_three_independent_errors_are_all_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Every error of a file is shown at once, each with location and caret."""
    path = _write(tmp_path, "three.rules", THREE_ERRORS)

    code, out = _check(capsys, path)

    assert 1 == code
    assert f"{path}:3:33: error[E2004]" in out
    assert f"{path}:7:6: error[E2001]" in out
    assert f"{path}:12:8: error[E2102]" in out
    assert "   |                                 ^^^^^^^" in out
    assert "   |      ^^^^^^^^^^^^^" in out
    assert "checked 1 policy: 3 errors" in out


def test_a_syntax_error_does_not_hide_the_other_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A syntax error in one declaration leaves the others checked in the same run."""
    text = (
        "rule a { on sampling_tset points -10 }\n"
        "rule b { on penalty where severity = serious points -5 }\n"
        "tiers { A when score >= 90 B when score >= 95 C otherwise }\n"
    )
    path = _write(tmp_path, "mixed.rules", "import stdlib.agri\n" + text)

    code, out = _check(capsys, path)

    assert 1 == code
    assert f"{path}:2:13: error[E2001]" in out
    assert f"{path}:3:36: error[E0003]" in out
    assert f"{path}:4:28: error[E2303]" in out
    assert "checked 1 policy: 3 errors" in out


def test_warnings_alone_exit_zero(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A policy with warnings and no error exits 0 and shows the warnings."""
    path = _write(
        tmp_path, "warn.rules", VALID + 'group unused "未用" { at most +5 }\n'
    )

    code, out = _check(capsys, path)

    assert 0 == code
    assert "warning[W2001]" in out


def test_json_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`--format json` prints one object with every diagnostic and the counts."""
    path = _write(tmp_path, "three.rules", THREE_ERRORS)

    code, out = _check(capsys, "--format", "json", path)

    report = json.loads(out)
    assert 1 == code
    assert 3 == report["errors"]
    assert ["E2004", "E2001", "E2102"] == [
        d["code"] for d in report["policies"][0]["diagnostics"]
    ]


def test_chinese_messages(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`--lang zh` shows messages and the summary in Chinese."""
    path = _write(tmp_path, "three.rules", THREE_ERRORS)

    code, out = _check(capsys, "--lang", "zh", path)

    assert 1 == code
    assert "错误[E2001]: 未知的记录类型 `sampling_tset`" in out
    assert "已检查 1 个政策：3 个错误" in out


def test_several_paths_are_checked_each_on_its_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """One broken policy among good ones fails the run; all are reported."""
    good = _write(tmp_path, "ok.rules", VALID)
    bad = _write(tmp_path, "three.rules", THREE_ERRORS)

    code, out = _check(capsys, good, bad)

    assert 1 == code
    assert "checked 2 policies: 3 errors" in out


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("rule late { on inspection points -1", "E0002"),
        ("", "E2211"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "E0006"),
        (b"rule \xff\xfe {}", "E0005"),
        ("(" * 1_000_000, "E0008"),
        ("(" * 1_000_001, "E0007"),
        ("tiers { A when " + "not " * 5000 + "score > 1 }", "E0016"),
    ],
    ids=[
        "broken",
        "empty",
        "binary",
        "not-utf8",
        "million-parens",
        "too-large",
        "nots",
    ],
)
def test_bad_files_get_a_diagnostic_not_a_traceback(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str | bytes,
    code: str,
) -> None:
    """Hostile or broken input exits 1 with a coded diagnostic."""
    path = _write(tmp_path, "bad.rules", content)

    exit_code, out = _check(capsys, path)

    assert 1 == exit_code
    assert f"error[{code}]" in out
    assert max(len(line) for line in out.splitlines()) < 400


def test_empty_file_is_also_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An empty file is warned about besides the policy declaring nothing."""
    path = _write(tmp_path, "empty.rules", "")

    _, out = _check(capsys, path)

    assert "warning[W1013]" in out


def test_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A path that does not exist is a finding, exit 1, with E1001."""
    code, out = _check(capsys, str(tmp_path / "nowhere"))

    assert 1 == code
    assert "error[E1001]" in out


def test_unreadable_folder(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A folder that cannot be listed gets E1014 with the reason."""
    folder = tmp_path / "policy"
    folder.mkdir()

    def refuse(path: object) -> list[str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "listdir", refuse)
    code, out = _check(capsys, str(folder))

    assert 1 == code
    assert "error[E1014]" in out
    assert "Permission denied" in out


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="the superuser may read any folder",
)
def test_folder_without_read_permission(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A real folder without read permission exits 1 with E1014."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0)
    try:
        code, out = _check(capsys, str(folder))
    finally:
        folder.chmod(0o755)

    assert 1 == code
    assert "error[E1014]" in out


def test_no_path_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    """`check` without a path exits 2."""
    code, out = _check(capsys)

    assert 2 == code
    assert "PATH" in out


def test_a_path_with_a_nul_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    """A path that no file system accepts exits 2, not with a traceback."""
    code, out = _check(capsys, "a\0b")

    assert 2 == code
    assert "is not a path" in out
