"""`credit-rules fmt`: rewrite `.rules` files in the canonical layout.

A file with syntax errors is never written: its diagnostics are shown and the
command exits 1. Files are replaced atomically, so an interrupted run leaves each
file either as it was or fully formatted.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from credit_rules.cli.common import example_parser
from credit_rules.dsl.diagnostics import has_errors, render
from credit_rules.dsl.formatter import format_module
from credit_rules.dsl.parser import decode, parse_collect
from credit_rules.errors import UsageError

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

SUFFIX = ".rules"


def register(subparsers: Subparsers) -> None:
    """Add the `fmt` command's parser."""
    parser = example_parser(
        subparsers,
        "fmt",
        help="rewrite `.rules` files in the canonical layout",
        example="credit-rules fmt policies/huaian\ncredit-rules fmt --check policies",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="`.rules` files, or folders searched for them",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that would change and exit 1 if any",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="write nothing; print the changes as a unified diff",
    )


def run(args: argparse.Namespace) -> int:
    """Format the files that `args.paths` name and return the exit code."""
    files = list(rules_files(args.paths))
    write = not (args.check or args.diff)
    broken = changed = 0
    for path in files:
        outcome = _format_file(path, write=write, show_diff=args.diff)
        broken += outcome is None
        changed += bool(outcome)
        if outcome and args.check:
            print(f"would reformat {path}")

    print(_summary(len(files), changed, broken, write), file=sys.stderr)
    if broken or (changed and not write):
        return 1
    return 0


def rules_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Yield the `.rules` files that `paths` name, those in a folder sorted.

    Raises:
        UsageError: If a path does not exist.
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise UsageError(
                f"no file or folder `{path}`; give a `.rules` file or a policy folder"
            )


def _format_file(path: Path, *, write: bool, show_diff: bool) -> bool | None:
    """Format one file; return whether it changed, or None if it has errors."""
    name = str(path)
    text, diagnostics = decode(path.read_bytes(), name)
    if text is None:
        print(render(diagnostics, {}), file=sys.stderr)
        return None

    module, diagnostics = parse_collect(text, name)
    if has_errors(diagnostics):
        print(render(diagnostics, {name: text}), file=sys.stderr)
        return None

    formatted = format_module(module, text)
    if formatted == text:
        return False

    if show_diff:
        sys.stdout.writelines(
            difflib.unified_diff(
                text.splitlines(keepends=True),
                formatted.splitlines(keepends=True),
                fromfile=f"{name} (before)",
                tofile=f"{name} (formatted)",
            )
        )
    if write:
        replace_atomically(path, formatted)
    return True


def replace_atomically(path: Path, text: str) -> None:
    """Replace a file's content by writing a sibling file and renaming it over.

    The new file keeps the old one's permissions.
    """
    mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _summary(total: int, changed: int, broken: int, write: bool) -> str:
    verb = "reformatted" if write else "would be reformatted"
    parts = [f"{changed} of {total} {_files(total)} {verb}"]
    if broken:
        parts.append(f"{broken} {_files(broken)} with syntax errors left alone")
    return "; ".join(parts)


def _files(count: int) -> str:
    return "file" if count == 1 else "files"
