"""Credit rules: grade agricultural producers by policies written as `.rules` files.

Policy staff write credit policies in a small language; this package parses and
checks them, compiles them into an evaluation graph, and grades producers with an
explanation of every grade.

Example, from the root of the repository:
    >>> import datetime as dt
    >>> import credit_rules
    >>> policy = credit_rules.load_policy("policies/huaian")
    >>> engine = credit_rules.Engine(policy, today=dt.date(2026, 7, 1))
    >>> engine.ingest(credit_rules.read_dataset("examples/huaian", policy))
    >>> grade = engine.assess("92320803MAY5UTJT4M")
    >>> grade.score, grade.tier
    (Decimal('70'), 'C')
"""

from credit_rules.dsl import load_policy
from credit_rules.dsl.policy import Policy
from credit_rules.engine.assessment import Assessment, RepairOption, SupervisionLevel
from credit_rules.engine.changes import Change, Decision
from credit_rules.engine.compiler import compile_policy
from credit_rules.engine.explanation import Explanation
from credit_rules.engine.plan import Plan
from credit_rules.engine.reference import assess
from credit_rules.engine.runtime import Engine
from credit_rules.errors import (
    CreditRulesError,
    DataError,
    PolicyError,
    RecordError,
    UsageError,
)
from credit_rules.io import Dataset, read_dataset
from credit_rules.records import Record, Subject

__version__ = "0.1.0"

__all__ = [
    "Assessment",
    "Change",
    "CreditRulesError",
    "DataError",
    "Dataset",
    "Decision",
    "Engine",
    "Explanation",
    "Plan",
    "Policy",
    "PolicyError",
    "Record",
    "RecordError",
    "RepairOption",
    "Subject",
    "SupervisionLevel",
    "UsageError",
    "__version__",
    "assess",
    "compile_policy",
    "load_policy",
    "read_dataset",
]
