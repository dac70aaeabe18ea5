"""A loaded policy: every layer's declarations merged into one view.

The loader builds a `Policy` from a folder of `.rules` files and the layers it
extends; the checker has checked it when `load_policy` returns it. Every declaration
keeps its span (which file and line) and its layer (which policy declared it), so
that explanations can say whether Jiangsu or Huai'an decided.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.diagnostics import Diagnostic


@attrs.frozen
class Policy:
    """The merged declarations of a policy and the layers it extends.

    Mappings keep declaration order: inherited declarations first, in the order
    their layer declared them, then the extending layer's. `supervision` is the
    exception: the most specific layer's entries come first, because a city's
    entries refine the province's and the first that applies decides.

    Attributes:
        name: The policy's name from its `policy` header.
        header: The header itself.
        root: The folder it was loaded from, as given.
        layers: Names of the layers, from the most basic to this one.
        enums: Enums by name, the stdlib's included.
        records: Record types by name.
        subject: The subject attributes, or None if no layer declares them.
        score: The score declaration, or None.
        groups: Point groups by name.
        rules: Point rules by name.
        tiers: The tiers, or None.
        vetoes: Vetoes by name.
        supervision: Supervision entries by name, most specific layer first.
        lists: Lists by name.
        effects: Effects by name.
        repairs: Repair classes by name.
        sources: The text of every file loaded, by path, for diagnostics.
        warnings: Warnings the checker found; errors raise instead.
    """

    name: str
    header: ast.PolicyHeader
    root: str
    layers: tuple[str, ...]
    enums: Mapping[str, ast.EnumDecl]
    records: Mapping[str, ast.RecordDecl]
    subject: ast.SubjectDecl | None
    score: ast.ScoreDecl | None
    groups: Mapping[str, ast.GroupDecl]
    rules: Mapping[str, ast.RuleDecl]
    tiers: ast.TiersDecl | None
    vetoes: Mapping[str, ast.VetoDecl]
    supervision: Mapping[str, ast.SupervisionDecl]
    lists: Mapping[str, ast.ListDecl]
    effects: Mapping[str, ast.EffectDecl]
    repairs: Mapping[str, ast.RepairDecl]
    sources: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    warnings: tuple[Diagnostic, ...] = attrs.field(default=(), eq=False, repr=False)

    def tier_names(self) -> tuple[str, ...]:
        """The tiers' names, best first."""
        return tuple(t.name for t in self.tiers.tiers) if self.tiers else ()
