"""Arguments and helpers that several commands share, so they read the same everywhere."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

T = TypeVar("T")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date_arg(text: str) -> dt.date:
    """Read a calendar date given on the command line, as `YYYY-MM-DD`.

    Use it as an argparse `type`, so that a bad date is a usage error naming it.

    Args:
        text: The argument as typed.

    Returns:
        The date.

    Raises:
        argparse.ArgumentTypeError: If `text` is not a real date in that form.

    Example:
        >>> parse_date_arg("2026-12-01")
        datetime.date(2026, 12, 1)
    """
    # `date.fromisoformat` also takes forms such as `20261201`; one form keeps
    # scripts and documentation consistent.
    if _ISO_DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise argparse.ArgumentTypeError(f"`{text}` is not a date; expected YYYY-MM-DD")


def add_policy_argument(
    parser: argparse.ArgumentParser,
    flag: str = "--policy",
    *,
    required: bool = True,
    help: str = "the policy folder or `.rules` file",
) -> None:
    """Add the option that names a policy, such as `--policy policies/huaian`.

    Args:
        parser: The command's parser.
        flag: The option's name; `diff` uses a second one, `--against`.
        required: Whether the option must be given.
        help: The option's help text.
    """
    parser.add_argument(flag, type=Path, required=required, metavar="PATH", help=help)


def add_data_arguments(
    parser: argparse.ArgumentParser, *, required: bool = True
) -> None:
    """Add `--data DIR` and `--archive PATH`, of which one names the input.

    Args:
        parser: The command's parser.
        required: Whether one of the two must be given.
    """
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="a dataset folder with `subjects` and `records` as csv or jsonl",
    )
    group.add_argument(
        "--archive",
        type=Path,
        metavar="PATH",
        help="an archive of records kept with their history",
    )


def add_as_of_argument(parser: argparse.ArgumentParser) -> None:
    """Add `--as-of DATE`, the date to assess on; it defaults to today."""
    parser.add_argument(
        "--as-of",
        type=parse_date_arg,
        default=None,
        metavar="DATE",
        help="the date to assess on, as YYYY-MM-DD (default: today)",
    )


def add_lang_argument(parser: argparse.ArgumentParser, default: str = "zh") -> None:
    """Add `--lang zh|en`, the language of labels and messages."""
    parser.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=default,
        help=f"the language of labels and messages (default: {default})",
    )


def add_format_argument(
    parser: argparse.ArgumentParser, choices: Sequence[str], default: str
) -> None:
    """Add `--format`, how a command writes its output.

    Args:
        parser: The command's parser.
        choices: The formats the command supports.
        default: The format used when none is given; one of `choices`.

    Raises:
        ValueError: If `default` is not one of `choices`.
    """
    if default not in choices:
        raise ValueError(f"default format `{default}` is not one of {list(choices)}")
    parser.add_argument(
        "--format",
        choices=tuple(choices),
        default=default,
        help=f"the output format (default: {default})",
    )


def example_parser(
    subparsers: Subparsers,
    name: str,
    help: str,
    example: str,
) -> argparse.ArgumentParser:
    """Add a command's parser whose help ends with an example, kept as written.

    Args:
        subparsers: What `register` received.
        name: The command's name.
        help: One line on what the command does.
        example: One or more example command lines.

    Returns:
        The new parser, for the command to add its arguments to.
    """
    lines = "\n".join(f"  {line}" for line in example.strip().splitlines())
    return subparsers.add_parser(
        name,
        help=help,
        description=help,
        epilog=f"example:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def progress(
    iterable: Iterable[T],
    total: int | None,
    label: str,
    stream: TextIO | None = None,
) -> Iterator[T]:
    """Yield from `iterable` while drawing a progress bar on a terminal.

    Nothing is drawn when `stream` is not a terminal, so logs and pipes stay clean.

    Args:
        iterable: The items to pass through.
        total: How many items there are, if known; without it only a count shows.
        label: What is being done, such as `scoring`.
        stream: Where to draw; by default standard error.

    Yields:
        The items of `iterable`, unchanged.
    """
    out = sys.stderr if stream is None else stream
    if not out.isatty():
        yield from iterable
        return

    done = 0
    drawn_at = 0.0
    try:
        for item in iterable:
            yield item
            done += 1
            now = time.monotonic()
            # Redrawing on every item would cost more than the work for fast loops.
            if now - drawn_at >= 0.1 or done == total:
                out.write("\r" + _bar(label, done, total))
                out.flush()
                drawn_at = now
    finally:
        out.write("\r" + _bar(label, done, total) + "\n")
        out.flush()


def _bar(label: str, done: int, total: int | None, width: int = 30) -> str:
    """Return one line of the progress bar."""
    if not total:
        return f"{label} {done}"
    filled = min(width, width * done // total)
    return f"{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
