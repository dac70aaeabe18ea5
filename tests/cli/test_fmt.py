from __future__ import annotations

from pathlib import Path

import pytest

from credit_rules.cli import main

MESSY = 'group bonus "加分" {at most 20}\n'
TIDY = 'group bonus "加分" {\n  at most +20\n}\n'


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def test_rewrites_files_in_a_folder(tmp_path: Path) -> None:
    """`fmt FOLDER` rewrites every `.rules` file below it and exits 0."""
    first = _write(tmp_path, "a.rules", MESSY)
    second = _write(tmp_path, "sub/b.rules", MESSY)
    other = _write(tmp_path, "notes.txt", MESSY)

    code = main(["fmt", str(tmp_path)])

    assert 0 == code
    assert TIDY == first.read_text(encoding="utf-8")
    assert TIDY == second.read_text(encoding="utf-8")
    assert MESSY == other.read_text(encoding="utf-8")


def test_leaves_no_temporary_files(tmp_path: Path) -> None:
    """The atomic rewrite leaves only the formatted file behind."""
    _write(tmp_path, "a.rules", MESSY)

    main(["fmt", str(tmp_path / "a.rules")])

    assert ["a.rules"] == sorted(p.name for p in tmp_path.iterdir())


def test_check_lists_files_that_would_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--check` writes nothing, names the untidy files and exits 1."""
    messy = _write(tmp_path, "a.rules", MESSY)
    _write(tmp_path, "b.rules", TIDY)

    code = main(["fmt", "--check", str(tmp_path)])

    assert 1 == code
    assert MESSY == messy.read_text(encoding="utf-8")
    assert f"would reformat {messy}\n" == capsys.readouterr().out


def test_check_passes_on_tidy_files(tmp_path: Path) -> None:
    """`--check` exits 0 when every file is already formatted."""
    _write(tmp_path, "b.rules", TIDY)

    assert 0 == main(["fmt", "--check", str(tmp_path)])


def test_diff_prints_unified_diff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--diff` prints the change as a unified diff and writes nothing."""
    messy = _write(tmp_path, "a.rules", MESSY)

    code = main(["fmt", "--diff", str(messy)])

    out = capsys.readouterr().out
    assert 1 == code
    assert f"-{MESSY}" in out
    assert "+  at most +20\n" in out
    assert MESSY == messy.read_text(encoding="utf-8")


def test_file_with_syntax_errors_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken file keeps its text; its diagnostics are shown with a caret; exit 1."""
    broken = _write(tmp_path, "bad.rules", "rule r {\n  points\n}\n")
    tidy = _write(tmp_path, "good.rules", MESSY)

    code = main(["fmt", str(tmp_path)])

    err = capsys.readouterr().err
    assert 1 == code
    assert "rule r {\n  points\n}\n" == broken.read_text(encoding="utf-8")
    assert TIDY == tidy.read_text(encoding="utf-8")
    assert f"{broken}:3:1: error[E0001]" in err
    assert "^" in err


def test_binary_file_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A binary `.rules` file gets its diagnostic, not a traceback."""
    path = tmp_path / "x.rules"
    path.write_bytes(b"\x00\x01")

    code = main(["fmt", str(path)])

    assert 1 == code
    assert "error[E0006]" in capsys.readouterr().err
    assert b"\x00\x01" == path.read_bytes()


def test_missing_path_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A path that does not exist exits 2 naming it."""
    code = main(["fmt", str(tmp_path / "nowhere")])

    assert 2 == code
    assert "no file or folder" in capsys.readouterr().err


def test_keeps_file_permissions(tmp_path: Path) -> None:
    """A rewritten file keeps the permissions it had."""
    path = _write(tmp_path, "a.rules", MESSY)
    path.chmod(0o640)

    main(["fmt", str(path)])

    assert 0o640 == path.stat().st_mode & 0o777
