"""The `.rules` language: grammar, syntax tree, loader, checker and formatter.

`load_policy` is the entry point: it reads a policy folder with every layer it
extends, checks it, and returns the merged `Policy` or raises `PolicyError` with
every diagnostic found.
"""

from __future__ import annotations

import os

import attrs

from credit_rules.dsl.diagnostics import Diagnostic
from credit_rules.dsl.loader import load_collect
from credit_rules.dsl.policy import Policy
from credit_rules.errors import PolicyError

__all__ = ["Policy", "check_collect", "load_policy"]


def check_collect(
    path: str | os.PathLike[str],
) -> tuple[Policy | None, list[Diagnostic]]:
    """Load and check a policy; return it (None if unusable) and every diagnostic.

    A policy with syntax errors is still checked, as far as its declarations
    parsed, so that one run reports every error it can; a reference to a broken
    declaration may then be reported as unknown too.
    """
    policy, diagnostics = load_collect(path)
    if policy is None:
        return None, diagnostics

    from credit_rules.dsl.check_parts import EMPTY_POLICY
    from credit_rules.dsl.checker import check

    checked = check(policy)
    if any(d.is_error for d in diagnostics):
        # A file whose declarations all failed to parse declares nothing; its
        # syntax errors already say so.
        checked = [d for d in checked if d.code != EMPTY_POLICY.code]
    diagnostics = [*diagnostics, *checked]
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    return attrs.evolve(policy, warnings=tuple(diagnostics)), diagnostics


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Load a policy folder (or one `.rules` file) with its layers, and check it.

    Args:
        path: The policy's folder, e.g. `policies/huaian`.

    Returns:
        The checked policy; its `warnings` hold what the checker warned about.

    Raises:
        PolicyError: With every error found, sorted by file and line.

    Example:
        >>> policy = load_policy("policies/huaian")  # doctest: +SKIP
        >>> policy.layers  # doctest: +SKIP
        ('stdlib', 'jiangsu', 'huaian')
    """
    policy, diagnostics = check_collect(path)
    if policy is None:
        raise PolicyError(diagnostics)
    return policy
