"""The examples in the package's docstrings run and print what they show."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import credit_rules

ROOT = Path(__file__).resolve().parents[1]

MODULES = sorted(
    module.name
    for module in pkgutil.walk_packages(credit_rules.__path__, "credit_rules.")
    if module.name != "credit_rules.pygments_lexer"
)


@pytest.mark.parametrize("name", ["credit_rules", *MODULES])
def test_docstring_examples_run(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every example of the module's docstrings gives the output it shows."""
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)

    failed, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=True)

    assert 0 == failed
