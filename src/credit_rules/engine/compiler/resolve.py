"""The `resolve` pass: look up what every name in the policy refers to.

The checker has already made sure that every name exists; this pass gathers what
the later passes need to know about each: the fields of each record type (so that
a bare name in a `where` is known to be a field or a value), and the repair
classes that the records of each type may have.
"""

from __future__ import annotations

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy


@attrs.frozen
class Resolved:
    """A policy with its names looked up.

    Attributes:
        policy: The policy.
        fields: Record type to the names of its fields.
        classes: Record type to the repair classes named by the rules on it, in
            declaration order (`none` left out).
        classifying_rules: Record type to the rules on it that say `repair`,
            in declaration order.
    """

    policy: Policy
    fields: dict[str, frozenset[str]]
    classes: dict[str, tuple[str, ...]]
    classifying_rules: dict[str, tuple[ast.RuleDecl, ...]]


def resolve(policy: Policy) -> Resolved:
    """Return the policy with its record types' fields and repair classes."""
    fields = {
        name: frozenset(field.name for field in decl.fields)
        for name, decl in policy.records.items()
    }

    classes: dict[str, list[str]] = {}
    classifying: dict[str, list[ast.RuleDecl]] = {}
    for rule in policy.rules.values():
        if rule.on is None or rule.repair is None:
            continue
        record_type = rule.on.record_type
        classifying.setdefault(record_type, []).append(rule)
        known = classes.setdefault(record_type, [])
        if rule.repair != "none" and rule.repair not in known:
            known.append(rule.repair)

    return Resolved(
        policy=policy,
        fields=fields,
        classes={name: tuple(names) for name, names in classes.items()},
        classifying_rules={name: tuple(rules) for name, rules in classifying.items()},
    )
