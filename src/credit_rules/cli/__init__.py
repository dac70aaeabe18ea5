"""The `credit-rules` command line: one program with a subcommand per job.

Each subcommand lives in its own module `credit_rules.cli.<name>`, which offers
`register(subparsers)` to add its parser and `run(args) -> int` to do the work.
`COMMANDS` lists them in the order that `--help` shows them.

Exit codes: 0 success, 1 a finding (errors, failed tests, rejected rows), 2 bad
usage, 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import Protocol, TextIO, TypeAlias

from credit_rules import __version__
from credit_rules.errors import CreditRulesError, UsageError

__all__ = ["COMMANDS", "EXIT_FINDING", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_FINDING = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

PROG = "credit-rules"

COMMANDS: tuple[str, ...] = (
    "check",
    "fmt",
    "test",
    "score",
    "explain",
    "diff",
    "publish",
    "graph",
    "generate",
    "ingest",
    "history",
)
"""The subcommands, each the name of a module in this package."""

DEBUG_ENV = "CREDIT_RULES_DEBUG"
"""Set to `1` to see the full traceback of an unexpected failure."""

logger = logging.getLogger("credit_rules.cli")


# Only the type checker sees the subscript; `_SubParsersAction` is not generic
# at run time.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""What `register` receives to add a command's parser to."""


class CommandModule(Protocol):
    """What a subcommand module offers."""

    def register(self, subparsers: Subparsers) -> None:
        """Add the command's parser to `subparsers`."""

    def run(self, args: argparse.Namespace) -> int:
        """Do the command's work and return the exit code."""


def load_commands(names: Sequence[str] = COMMANDS) -> dict[str, CommandModule]:
    """Import the command modules that exist, by command name.

    A command whose module is not there is left out so that the others still
    work; any other import failure, including a missing module that a command
    itself imports, is a real error and propagates.

    Args:
        names: The command names, as in `COMMANDS`.

    Returns:
        The modules that could be imported, in the order of `names`.
    """
    modules: dict[str, CommandModule] = {}
    for name in names:
        qualified = f"{__name__}.{name}"
        try:
            module = importlib.import_module(qualified)
        except ModuleNotFoundError as error:
            if error.name != qualified:
                raise
            logger.debug(
                "command `%s` is not available: no module `%s`", name, qualified
            )
            continue
        modules[name] = module
    return modules


def build_parser(
    commands: dict[str, CommandModule] | None = None,
) -> tuple[argparse.ArgumentParser, dict[str, CommandModule]]:
    """Build the argument parser with a subparser per available command.

    Args:
        commands: The command modules; by default those that `load_commands` finds.

    Returns:
        The parser, and the module to run for each subparser name (including
        any aliases a command registers).
    """
    if commands is None:
        commands = load_commands()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Check, test and run credit policies written as `.rules` files.",
        epilog=f"run `{PROG} COMMAND --help` for the options of one command.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=0,
        help="show progress messages; twice for debugging detail",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")

    # A command may register aliases, so which module runs is read off the
    # names each one adds rather than assumed to be the module's name.
    runners: dict[str, CommandModule] = {}
    for module in commands.values():
        before = set(subparsers.choices)
        module.register(subparsers)
        for added in set(subparsers.choices) - before:
            runners[added] = module
    return parser, runners


def _configure_logging(verbosity: int, stream: TextIO) -> None:
    """Show the library's log messages on `stream` when asked to."""
    if verbosity <= 0:
        return
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(f"{PROG}: %(message)s"))
    root = logging.getLogger("credit_rules")
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbosity == 1 else logging.DEBUG)


def _exit_code(error: SystemExit) -> int:
    """Turn argparse's `SystemExit` into the code it carries."""
    if error.code is None:
        return EXIT_OK
    if isinstance(error.code, int):
        return error.code
    print(error.code, file=sys.stderr)
    return EXIT_FINDING


def _report(message: str) -> None:
    print(f"{PROG}: error: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Args:
        argv: The arguments after the program name; by default `sys.argv[1:]`.

    Returns:
        0 on success, 1 on a finding, 2 on bad usage, 130 when interrupted.
    """
    parser, runners = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as error:
        return _exit_code(error)

    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    _configure_logging(args.verbose, sys.stderr)
    try:
        return runners[args.command].run(args)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (`| head`); point stdout at
        # nothing so that the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDING
    except CreditRulesError as error:
        _report(str(error))
        return EXIT_USAGE if isinstance(error, UsageError) else EXIT_FINDING
    except Exception as error:
        if os.environ.get(DEBUG_ENV) == "1":
            raise
        _report(
            f"unexpected {type(error).__name__}: {error}; this is a bug in {PROG}, "
            f"please report it with the output of a rerun with `{DEBUG_ENV}=1`"
        )
        return EXIT_FINDING
