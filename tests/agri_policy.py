"""A policy of the stdlib's record types alone, for tests of records in and out.

It is built from the parsed `stdlib/agri.rules` without a loader, so these tests
depend on the record declarations only, not on any provincial point rules.
"""

from __future__ import annotations

import functools
from importlib import resources

from credit_rules.dsl import ast
from credit_rules.dsl.parser import parse
from credit_rules.dsl.policy import Policy

AGRI = resources.files("credit_rules") / "stdlib" / "agri.rules"


@functools.cache
def agri_policy() -> Policy:
    """The stdlib's enums, record types and subject declaration as a `Policy`."""
    module = parse(AGRI.read_text(encoding="utf-8"), "stdlib/agri.rules")
    enums = {i.name: i for i in module.items if isinstance(i, ast.EnumDecl)}
    records = {i.name: i for i in module.items if isinstance(i, ast.RecordDecl)}
    subject = next(i for i in module.items if isinstance(i, ast.SubjectDecl))
    return Policy(
        name="agri",
        header=ast.PolicyHeader("agri"),
        root="stdlib",
        layers=("agri",),
        enums=enums,
        records=records,
        subject=subject,
        score=None,
        groups={},
        rules={},
        tiers=None,
        vetoes={},
        supervision={},
        lists={},
        effects={},
        repairs={},
    )
