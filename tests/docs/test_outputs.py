"""Every output the docs show is the output the code gives.

A page whose commands are run says where, on a line of its own:

- `<!-- docs-test: run in an empty folder -->`: the tutorials, which start from
  nothing and create every file they use;
- `<!-- docs-test: run in the docs folder -->`: a copy of `docs/`, where
  `tutorial/policy` and `tutorial/data` are;
- `<!-- docs-test: run in the repository -->`: the repository's root, read only.

Such a page is replayed from top to bottom, in order:

- a fenced block with `title="PATH"` is a file the reader writes: it is written
  to PATH (the block titled `output` is not a file, see below);
- `<!-- docs-test: replace in PATH: "OLD" with "NEW" -->` is an edit the page
  asks for in words; OLD must occur in PATH exactly once;
- a ```console block holds commands, each on a line starting with `$ `, each
  followed by its output: `credit-rules ...` runs `credit_rules.cli.main` with
  standard output and standard error captured together, as a terminal shows them;
  `python PATH` runs that file of the repository as a script;
- a ```python block runs, in one namespace shared by the page's python blocks;
  a ```text title="output" block right after it is what it prints.

Only trailing whitespace is normalized. A page that shows commands or outputs
without saying where they run fails, so that nothing is left out unnoticed.
"""

from __future__ import annotations

import contextlib
import filecmp
import io
import re
import runpy
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from credit_rules.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial"
TUTORIAL_PAGES = ("tutorial.zh.md", "tutorial.en.md")

_WHERE = re.compile(r"^<!-- docs-test: run in (.+?) -->$", re.MULTILINE)
_PLACES = ("an empty folder", "the docs folder", "the repository")
_EVENT = re.compile(
    r"^(?P<fence>```+)(?P<lang>[\w-]*)(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$"
    r'|^<!-- docs-test: replace in (?P<path>\S+): "(?P<old>[^"]*)" with "(?P<new>[^"]*)" -->$',
    re.DOTALL | re.MULTILINE,
)
_TITLE = re.compile(r'title="([^"]+)"')
# Commands whose output depends on the day they run unless told the date.
_DATED = {"score", "explain", "diff", "publish"}


@attrs.frozen
class Block:
    """A fenced block of a page, or an edit it asks for."""

    line: int
    lang: str
    title: str | None
    body: str
    edit: tuple[str, str, str] | None = None


def _events(text: str) -> list[Block]:
    events = []
    for match in _EVENT.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if match.group("path") is not None:
            edit = (match.group("path"), match.group("old"), match.group("new"))
            events.append(Block(line, "", None, "", edit))
            continue
        title = _TITLE.search(match.group("info"))
        events.append(
            Block(
                line,
                match.group("lang"),
                title.group(1) if title else None,
                match.group("body"),
            )
        )
    return events


def _pages() -> list[str]:
    return sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))


def _where(page: str) -> str | None:
    found = _WHERE.findall((DOCS / page).read_text(encoding="utf-8"))
    assert len(found) <= 1, f"{page} says more than once where it runs"
    return found[0] if found else None


RUN_PAGES = [page for page in _pages() if _where(page) is not None]


def _normalize(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _console(body: str) -> Iterator[tuple[str, str]]:
    """Split a console block into its commands and the output shown for each."""
    command: str | None = None
    output: list[str] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            if command is not None:
                yield command, "\n".join(output)
            command, output = line[2:], []
        else:
            assert command is not None, f"output before any command: {line!r}"
            output.append(line)
    if command is not None:
        yield command, "\n".join(output)


def _run(command: str) -> str:
    """Run one command of a page in the current folder and return what it printed."""
    words = shlex.split(command)
    captured = io.StringIO()
    with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
        if words[0] == "credit-rules":
            if words[1:2] and words[1] in _DATED:
                assert "--as-of" in words, f"`{command}` needs a fixed `--as-of`"
            main(words[1:])
        elif words[0] == "python" and len(words) == 2:
            runpy.run_path(str(ROOT / words[1]), run_name="__main__")
        else:
            pytest.fail(f"the docs test cannot run `{command}`")
    return captured.getvalue()


def _replay(page: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Replay a page in `folder`; return how many outputs it compared."""
    monkeypatch.chdir(folder)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    compared = 0
    events = _events((DOCS / page).read_text(encoding="utf-8"))
    for index, block in enumerate(events):
        where = f"{page}:{block.line}"
        if block.edit is not None:
            path, old, new = block.edit
            target = folder / path
            text = target.read_text(encoding="utf-8")
            assert 1 == text.count(old), f"{where}: `{old}` must occur once in {path}"
            target.write_text(text.replace(old, new), encoding="utf-8")
        elif block.lang == "console":
            for command, shown in _console(block.body):
                assert _normalize(shown) == _normalize(_run(command)), (
                    f"{where}: `{command}`"
                )
                compared += 1
        elif block.title is not None and block.title != "output":
            _write_or_compare(folder / block.title, block.body, where, folder == ROOT)
        elif block.lang == "python":
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(block.body, where, "exec"), namespace)
            following = events[index + 1] if index + 1 < len(events) else None
            if following is not None and following.title == "output":
                assert _normalize(following.body) == _normalize(printed.getvalue()), (
                    where
                )
                compared += 1
    return compared


def _write_or_compare(target: Path, content: str, where: str, read_only: bool) -> None:
    """Write a file a page shows; in the repository, which is read only, compare it."""
    if read_only:
        assert target.read_text(encoding="utf-8") == content, (
            f"{where}: the page shows `{target.relative_to(ROOT)}` other than it is"
        )
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")


def _folder(page: str, tmp_path: Path) -> Path:
    where = _where(page)
    if where == "an empty folder":
        return tmp_path
    if where == "the docs folder":
        copy = tmp_path / "docs"
        shutil.copytree(DOCS, copy)
        return copy
    assert "the repository" == where, f"{page}: unknown place `{where}`"
    return ROOT


def test_pages_say_where_they_run() -> None:
    """Every page that shows a command's output or runs Python says where it runs.

    A ```console block or a ```python block on a page without the marker would
    never be compared, so it is an error; so is a placeholder left for an output.
    """
    unmarked = []
    for page in _pages():
        text = (DOCS / page).read_text(encoding="utf-8")
        assert "<!-- output:" not in text, f"{page} still has an output placeholder"
        langs = {block.lang for block in _events(text)}
        if langs & {"console", "python"} and _where(page) is None:
            unmarked.append(page)
        if _where(page) is not None:
            assert _where(page) in _PLACES, page
    assert [] == unmarked


def test_the_pages_that_run_are_found() -> None:
    """The search for pages to replay finds the tutorials, so the test is not vacuous."""
    assert {
        *TUTORIAL_PAGES,
        "data.md",
        "embedding.md",
        "explain.md",
        "reference/diagnostics.md",
    } <= set(RUN_PAGES)


@pytest.mark.parametrize("page", RUN_PAGES)
def test_every_output_shown_is_the_real_output(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replaying the page gives exactly the outputs it shows, in order."""
    compared = _replay(page, _folder(page, tmp_path), monkeypatch)

    assert compared > 0


@pytest.mark.parametrize("page", TUTORIAL_PAGES)
def test_the_tutorial_builds_the_folder_it_ships(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Following the tutorial from an empty folder makes `docs/tutorial` exactly."""
    _replay(page, tmp_path, monkeypatch)

    comparison = filecmp.dircmp(TUTORIAL, tmp_path)
    assert ([], [], []) == _differences(comparison)


def _differences(comparison: filecmp.dircmp[str]) -> tuple[list[str], ...]:
    """Files only in the shipped folder, only in the built one, and different."""
    left = list(comparison.left_only)
    right = list(comparison.right_only)
    (_, mismatch, errors) = filecmp.cmpfiles(
        comparison.left, comparison.right, comparison.common_files, shallow=False
    )
    changed = [*mismatch, *errors]
    for name, sub in sorted(comparison.subdirs.items()):
        sub_left, sub_right, sub_changed = _differences(sub)
        left += [f"{name}/{n}" for n in sub_left]
        right += [f"{name}/{n}" for n in sub_right]
        changed += [f"{name}/{n}" for n in sub_changed]
    return sorted(left), sorted(right), sorted(changed)
