"""The exceptions that `credit_rules` raises, all under `CreditRulesError`.

Catch `CreditRulesError` to handle every problem the library reports about its
input; anything else escaping the library is a bug in it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from credit_rules.dsl.diagnostics import Diagnostic


class CreditRulesError(Exception):
    """The root of every error that `credit_rules` raises on purpose."""


class PolicyError(CreditRulesError):
    """A policy could not be loaded; carries every diagnostic found, not just the first.

    Attributes:
        diagnostics: The diagnostics, sorted by file, line, column and code.
    """

    diagnostics: tuple[Diagnostic, ...]

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        # Imported here: the `dsl` package imports this module while it loads.
        from credit_rules.dsl.diagnostics import sort_key

        self.diagnostics = tuple(sorted(diagnostics, key=sort_key))
        super().__init__(*self.diagnostics)

    def __str__(self) -> str:
        from credit_rules.dsl.diagnostics import brief, summary

        lines = [brief(diagnostic) for diagnostic in self.diagnostics]
        if not lines:
            return "the policy could not be loaded, but no diagnostic says why"
        return "\n".join([f"the policy has {summary(self.diagnostics)}:", *lines])

    def __reduce__(self) -> tuple[type[PolicyError], tuple[tuple[Diagnostic, ...]]]:
        return (type(self), (self.diagnostics,))


class RecordError(CreditRulesError, ValueError):
    """A subject or record does not fit what the policy declares for it.

    Attributes:
        record_id: The id of the record, if it has one.
        field: The field at fault, if the problem is in one field.
        reason: What is wrong, as a lowercase sentence that offers a fix.
    """

    record_id: str | None
    field: str | None
    reason: str

    def __init__(
        self, reason: str, *, record_id: str | None = None, field: str | None = None
    ) -> None:
        self.reason = reason
        self.record_id = record_id
        self.field = field
        super().__init__(reason)

    def __str__(self) -> str:
        where = []
        if self.record_id is not None:
            where.append(f"record `{self.record_id}`")
        if self.field is not None:
            where.append(f"field `{self.field}`")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason

    def __reduce__(
        self,
    ) -> tuple[object, ...]:
        return (_rebuild_record_error, (self.reason, self.record_id, self.field))


def _rebuild_record_error(
    reason: str, record_id: str | None, field: str | None
) -> RecordError:
    """Rebuild a pickled `RecordError`; its keyword-only arguments need the help."""
    return RecordError(reason, record_id=record_id, field=field)


class DataError(CreditRulesError):
    """A dataset or archive cannot be read at all, as opposed to one bad row."""


class UsageError(CreditRulesError):
    """The command line was asked for something it cannot do."""
