"""`credit-rules check`: load and check policies, showing every problem at once.

Each PATH is a policy folder (with the layers it extends) or a single `.rules`
file, checked on its own. Every diagnostic is shown as
`path:line:col: error[CODE]: message` with the source line and a caret, then one
summary line. Exit codes: 0 when no error was found (warnings alone do not fail),
1 when any PATH has an error, 2 for bad usage.

`--format json` prints one object instead: `{"policies": [{"path", "ok",
"diagnostics"}], "errors", "warnings"}`, each diagnostic as
`credit_rules.dsl.diagnostics.to_json` writes it.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from credit_rules.cli.common import add_format_argument, example_parser
from credit_rules.dsl import check_collect
from credit_rules.dsl.diagnostics import (
    Diagnostic,
    Lang,
    Severity,
    has_errors,
    render,
    summary,
    to_json,
)
from credit_rules.dsl.parser import MAX_FILE_BYTES
from credit_rules.errors import UsageError

if TYPE_CHECKING:
    from credit_rules.cli import Subparsers

SHOWN_LINE = 240
"""Source lines longer than this are cut when shown under a diagnostic."""

_STDLIB = "<stdlib>/"


def register(subparsers: Subparsers) -> None:
    """Add the `check` command's parser."""
    parser = example_parser(
        subparsers,
        "check",
        help="check policies and show every problem with its location",
        example=(
            "credit-rules check policies/jiangsu policies/huaian\n"
            "credit-rules check --format json --lang zh policies/huaian"
        ),
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="policy folders or `.rules` files, each checked on its own",
    )
    add_format_argument(parser, ("text", "json"), "text")
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="the language of the messages (default: en)",
    )


def run(args: argparse.Namespace) -> int:
    """Check every path of `args.paths` and return the exit code.

    Raises:
        UsageError: If a path cannot be a path at all.
    """
    lang: Lang = args.lang
    for path in args.paths:
        if "\0" in path or not path:
            raise UsageError(
                f"`{path!r}` is not a path; give a policy folder or a `.rules` file"
            )
    results = [(path, check_path(path)) for path in args.paths]
    everything = [d for _, found in results for d in found]

    if args.format == "json":
        print(json.dumps(_json(results, lang), ensure_ascii=False, indent=2))
    else:
        _print_text(results, everything, lang)
    return 1 if has_errors(everything) else 0


def check_path(path: str) -> list[Diagnostic]:
    """Return every diagnostic of the policy at `path`, loaded and checked."""
    _, diagnostics = check_collect(path)
    return diagnostics


def _print_text(
    results: list[tuple[str, list[Diagnostic]]],
    everything: list[Diagnostic],
    lang: Lang,
) -> None:
    color = sys.stdout.isatty()
    for _, diagnostics in results:
        if diagnostics:
            print(render(diagnostics, read_source, lang=lang, color=color))
            print()
    count = len(results)
    if lang == "zh":
        print(f"已检查 {count} 个政策：{summary(everything, lang)}")
    else:
        noun = "policy" if count == 1 else "policies"
        print(f"checked {count} {noun}: {summary(everything, lang)}")


def _json(results: list[tuple[str, list[Diagnostic]]], lang: Lang) -> dict[str, object]:
    everything = [d for _, found in results for d in found]
    return {
        "policies": [
            {
                "path": path,
                "ok": not has_errors(found),
                "diagnostics": to_json(found, lang),
            }
            for path, found in results
        ],
        "errors": sum(d.severity is Severity.ERROR for d in everything),
        "warnings": sum(d.severity is Severity.WARNING for d in everything),
    }


@functools.cache
def read_source(path: str) -> str | None:
    """Return the text of a file to show its lines, or None if it cannot be shown.

    A file too large to be a policy, or not text, is not shown; a line too long
    to read is cut.
    """
    try:
        if path.startswith(_STDLIB):
            name = path.removeprefix(_STDLIB)
            data = resources.files("credit_rules.stdlib").joinpath(name).read_bytes()
        else:
            data = Path(path).read_bytes()
    except (OSError, ValueError):
        return None

    if len(data) > MAX_FILE_BYTES or b"\x00" in data:
        return None
    text = data.decode("utf-8-sig", errors="replace")
    return "\n".join(_cut(line) for line in text.split("\n"))


def _cut(line: str) -> str:
    return line if len(line) <= SHOWN_LINE else line[:SHOWN_LINE] + " …"
