"""The engine: assessing subjects by a policy."""

from credit_rules.engine.reference import assess

__all__ = ["assess"]
