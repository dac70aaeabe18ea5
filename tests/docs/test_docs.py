"""The documentation stays true to the code.

Its examples parse, its tutorial runs, and its tables list everything the code
defines.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import credit_rules.dsl
import credit_rules.engine.compiler
from credit_rules.dsl import load_policy, loader, parser
from credit_rules.dsl.diagnostics import MESSAGES
from credit_rules.scenarios import run_policy

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
TUTORIAL = DOCS / "tutorial"
TUTORIAL_POLICY = TUTORIAL / "policy"
TUTORIAL_PAGES = ("tutorial.zh.md", "tutorial.en.md")

_FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)
_DEFINED_CODE = re.compile(r"""define\(\s*["']([EW]\d{4})["']""")
_TABLE_CODE = re.compile(r"^\| `([EW]\d{4})` \|", re.MULTILINE)


def _blocks(language: str) -> list[tuple[str, int, str]]:
    """Return every fenced block of `language` in the docs: (page, line, text)."""
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match.group(1) == language:
                line = text.count("\n", 0, match.start()) + 1
                found.append((page.relative_to(DOCS).as_posix(), line, match.group(2)))
    return found


def _ids(blocks: list[tuple[str, int, str]]) -> list[str]:
    return [f"{page}:{line}" for page, line, _ in blocks]


RULES_BLOCKS = _blocks("rules")
PYTHON_BLOCKS = _blocks("python")


def test_the_docs_have_rules_examples() -> None:
    """The search for `rules` blocks finds the examples, so the next test is not vacuous."""
    pages = {page for page, _, _ in RULES_BLOCKS}
    assert {"reference/language.md", *TUTORIAL_PAGES} <= pages


@pytest.mark.parametrize(("page", "line", "text"), RULES_BLOCKS, ids=_ids(RULES_BLOCKS))
def test_every_rules_example_parses(page: str, line: int, text: str) -> None:
    """Every ```rules block of every page is a complete, parseable snippet."""
    module = parser.parse(text, f"{page}:{line}")

    assert module.items


@pytest.mark.parametrize(
    ("page", "line", "text"), PYTHON_BLOCKS, ids=_ids(PYTHON_BLOCKS)
)
def test_every_python_example_is_valid_python(page: str, line: int, text: str) -> None:
    """Every ```python block of every page is syntactically valid Python."""
    compile(text, f"{page}:{line}", "exec")


def test_the_tutorial_policy_loads() -> None:
    """The tutorial's policy folder loads on top of the standard library."""
    policy = loader.load(TUTORIAL_POLICY)

    assert ("stdlib", "demo") == policy.layers


def test_the_tutorial_policy_checks_without_warnings() -> None:
    """The tutorial's policy is an example to copy: the checker finds nothing in it."""
    policy = load_policy(TUTORIAL_POLICY)

    assert () == policy.warnings


def test_the_tutorial_scenarios_pass_and_cover_the_policy() -> None:
    """The tutorial's scenarios pass and exercise every declaration, as it says."""
    report = run_policy(str(TUTORIAL_POLICY))

    failures = [r for r in report.results if r.mismatches or r.error]
    assert [] == failures
    assert {} == {
        kind: names for kind, names in report.coverage.uncovered().items() if names
    }


@pytest.mark.parametrize("page", TUTORIAL_PAGES)
@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(TUTORIAL).as_posix()
        for p in TUTORIAL.rglob("*")
        if p.is_file() and p.suffix in {".rules", ".yaml", ".csv", ".jsonl"}
    ),
)
def test_the_tutorial_shows_each_file_as_it_is(page: str, path: str) -> None:
    """Each file of the tutorial folder appears whole, as it is, in both tutorials."""
    content = (TUTORIAL / path).read_text(encoding="utf-8").rstrip("\n")
    shown = [text.rstrip("\n") for _, text in _page_blocks(DOCS / page)]

    assert content in shown


def _page_blocks(page: Path) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in _FENCE.finditer(page.read_text("utf-8"))]


def _defined_codes() -> set[str]:
    """Every diagnostic code the package defines, read from its source.

    The shared registry is not used: tests define codes of their own in it.
    Every code of the package that the registry holds once its modules are
    imported must have been found in the source.
    """
    codes: set[str] = set()
    for source in sorted((ROOT / "src" / "credit_rules").rglob("*.py")):
        codes |= set(_DEFINED_CODE.findall(source.read_text(encoding="utf-8")))

    for package in (credit_rules.dsl, credit_rules.engine.compiler):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)
    package_codes = {kind.code for kind in MESSAGES if not kind.code.startswith("T")}
    assert set() == package_codes - codes
    return codes


def test_the_diagnostics_page_lists_every_code() -> None:
    """The table of codes has one row for each defined code, and no other rows.

    A failure names the codes to add to `docs/reference/diagnostics.md` (first set)
    and the rows to remove (second set).
    """
    page = (DOCS / "reference" / "diagnostics.md").read_text(encoding="utf-8")
    rows = _TABLE_CODE.findall(page)
    defined = _defined_codes()

    assert (set(), set()) == (defined - set(rows), set(rows) - defined)
    assert len(set(rows)) == len(rows)


def test_the_language_reference_states_the_limits() -> None:
    """The limits table gives the values the parser and the loader enforce."""
    page = (DOCS / "reference" / "language.md").read_text(encoding="utf-8")
    limits = {
        "MAX_FILE_BYTES": parser.MAX_FILE_BYTES,
        "MAX_NESTING": parser.MAX_NESTING,
        "MAX_ERRORS": parser.MAX_ERRORS,
        "MAX_LAYERS": loader.MAX_LAYERS,
        "MAX_FILES": loader.MAX_FILES,
    }

    stated = {
        name: int(value)
        for name, value in re.findall(
            r"^\| [^|]*\(`(MAX_\w+)`[^|]*\| (\d+)", page, re.M
        )
    }
    assert limits == stated


def test_the_language_reference_lists_every_keyword() -> None:
    """The keyword list names exactly the words the grammar reserves."""
    grammar = (ROOT / "src" / "credit_rules" / "dsl" / "rules.lark").read_text("utf-8")
    grammar = re.sub(r"//[^\n]*", "", grammar)
    page = (DOCS / "reference" / "language.md").read_text(encoding="utf-8")
    section = page.split("## Keywords", 1)[1].split("\n## ", 1)[0]

    assert set(re.findall(r'"([a-z]+)"', grammar)) == set(
        re.findall(r"`([a-z]+)`", section)
    )
