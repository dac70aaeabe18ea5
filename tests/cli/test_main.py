import argparse
import datetime as dt
import importlib

import pytest

import credit_rules
import credit_rules.cli as cli
from credit_rules.cli import common
from credit_rules.errors import DataError, UsageError


class _FakeCommand:
    """A command module stand-in whose `run` does what the test asks."""

    def __init__(self, name: str, outcome: object = 0) -> None:
        self.name = name
        self.outcome = outcome

    def register(self, subparsers: cli.Subparsers) -> None:
        subparsers.add_parser(self.name, help="a command for tests")

    def run(self, args: argparse.Namespace) -> int:
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        assert isinstance(self.outcome, int)
        return self.outcome


def _use(monkeypatch: pytest.MonkeyPatch, *commands: _FakeCommand) -> None:
    table = {command.name: command for command in commands}
    monkeypatch.setattr(cli, "load_commands", lambda names=cli.COMMANDS: table)


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A command that does not exist exits 2 with argparse's message."""
    code = cli.main(["no-such-command"])

    assert 2 == code
    assert "invalid choice" in capsys.readouterr().err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    """Running without a command shows the help on stderr and exits 2."""
    code = cli.main([])

    assert 2 == code
    assert "usage: credit-rules" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """`--version` prints the package version and exits 0."""
    code = cli.main(["--version"])

    assert 0 == code
    assert f"credit-rules {credit_rules.__version__}\n" == capsys.readouterr().out


def test_missing_command_module_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command whose module does not exist is left out and the others load."""
    monkeypatch.setattr(cli, "COMMANDS", ("no_such_command_module",))

    assert {} == cli.load_commands(cli.COMMANDS)


def test_broken_import_inside_a_command_propagates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A module that a command imports being missing is an error, not a skip."""

    def fail(name: str) -> None:
        raise ModuleNotFoundError("No module named 'lark_missing'", name="lark_missing")

    monkeypatch.setattr(importlib, "import_module", fail)

    with pytest.raises(ModuleNotFoundError):
        cli.load_commands(("check",))


def test_command_exit_code_is_returned(monkeypatch: pytest.MonkeyPatch) -> None:
    """The code a command's `run` returns is the program's exit code."""
    _use(monkeypatch, _FakeCommand("demo", 1))

    assert 1 == cli.main(["demo"])


@pytest.mark.parametrize(
    ("error", "expected"),
    [(UsageError("`--as-of` is missing; add it"), 2), (DataError("bad"), 1)],
)
def test_library_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    error: Exception,
    expected: int,
) -> None:
    """A library error prints one line and exits 2 for usage, 1 otherwise."""
    _use(monkeypatch, _FakeCommand("demo", error))

    code = cli.main(["demo"])

    assert expected == code
    assert f"credit-rules: error: {error}\n" == capsys.readouterr().err


def test_unexpected_error_has_no_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unexpected exception prints a one-line bug notice and exits 1."""
    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    _use(monkeypatch, _FakeCommand("demo", RuntimeError("boom")))

    code = cli.main(["demo"])

    err = capsys.readouterr().err
    assert 1 == code
    assert 1 == err.count("\n")
    assert "this is a bug in credit-rules" in err
    assert "Traceback" not in err


def test_debug_env_shows_the_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the debug variable set, an unexpected exception propagates."""
    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    _use(monkeypatch, _FakeCommand("demo", RuntimeError("boom")))

    with pytest.raises(RuntimeError, match="boom"):
        cli.main(["demo"])


def test_keyboard_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C during a command exits 130 quietly."""
    _use(monkeypatch, _FakeCommand("demo", KeyboardInterrupt()))

    assert 130 == cli.main(["demo"])


def test_parse_date_arg_accepts_iso_dates() -> None:
    """A `YYYY-MM-DD` argument becomes a date."""
    assert dt.date(2024, 2, 29) == common.parse_date_arg("2024-02-29")


@pytest.mark.parametrize("text", ["2021-02-30", "20210201", "2021-2-1", "tomorrow"])
def test_parse_date_arg_rejects_other_text(text: str) -> None:
    """Anything but a real `YYYY-MM-DD` date is refused with the expected form."""
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        common.parse_date_arg(text)

    assert f"`{text}` is not a date; expected YYYY-MM-DD" == str(caught.value)


def test_data_and_archive_are_exclusive(capsys: pytest.CaptureFixture[str]) -> None:
    """`--data` and `--archive` cannot be given together."""
    parser = argparse.ArgumentParser(prog="demo")
    common.add_data_arguments(parser)

    with pytest.raises(SystemExit) as caught:
        parser.parse_args(["--data", "d", "--archive", "a"])

    assert 2 == caught.value.code
    assert "not allowed with argument" in capsys.readouterr().err


def test_progress_passes_items_through_silently_off_a_terminal() -> None:
    """Off a terminal the progress bar draws nothing and yields every item."""
    import io

    stream = io.StringIO()

    assert [1, 2, 3] == list(common.progress([1, 2, 3], 3, "scoring", stream))
    assert "" == stream.getvalue()
