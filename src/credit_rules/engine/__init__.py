"""The engine: compile a checked policy into a plan and assess subjects by it.

`assess` is the reference evaluator, the executable specification; `Engine` is the
incremental runtime that hosts embed, which must agree with it on every input.
"""

from credit_rules.engine.changes import Change, Decision
from credit_rules.engine.compiler import compile_policy
from credit_rules.engine.explanation import EffectPeriod, Explanation
from credit_rules.engine.plan import Plan
from credit_rules.engine.reference import assess
from credit_rules.engine.runtime import Engine
from credit_rules.engine.store import MemoryStore, Store

__all__ = [
    "Change",
    "Decision",
    "EffectPeriod",
    "Engine",
    "Explanation",
    "MemoryStore",
    "Plan",
    "Store",
    "assess",
    "compile_policy",
]
