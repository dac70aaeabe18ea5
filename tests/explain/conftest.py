"""Engines over a generated Huai'an population, shared by the explanation tests."""

from __future__ import annotations

import pytest

from credit_rules import Engine, load_policy
from credit_rules.dsl.policy import Policy
from credit_rules.generate import generate
from explain.population import AS_OF, ROOT, SEED, SUBJECTS


@pytest.fixture(scope="session")
def huaian() -> Policy:
    """The Huai'an policy, loaded by absolute path so spans name real files."""
    return load_policy(ROOT / "policies" / "huaian")


@pytest.fixture(scope="session")
def jiangsu() -> Policy:
    """The Jiangsu policy."""
    return load_policy(ROOT / "policies" / "jiangsu")


@pytest.fixture(scope="session")
def population(huaian: Policy) -> Engine:
    """An engine holding a generated population of Huai'an producers."""
    engine = Engine(huaian, today=AS_OF)
    engine.ingest(list(generate(huaian, subjects=SUBJECTS, seed=SEED)))
    return engine
