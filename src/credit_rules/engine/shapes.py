"""A quick test that a record surely fits its type: the fast path of `check_record`.

`check_record` looks up the declaration, builds a dict of the fields and checks
each through the general type check, so that it can say what is wrong. Most
records are right, and telling that needs far less: per record type, the sorted
field names and the Python type (or enum values) of each field, worked out once.
`RecordShapes.fits` says yes only when `check_record` would pass the record
without a word; anything else, including every record type with a credit code
(whose check may warn), goes through `check_record`, which names the problem.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from credit_rules.dsl.policy import Policy
from credit_rules.records import Record

_PLAIN = {
    "text": str,
    "record_id": str,
    "bool": bool,
    "date": date,
    "number": Decimal,
}
"""Declared types whose values are right when they are exactly of a Python type."""

_Shape = tuple[tuple[str, ...], tuple[type | frozenset[str], ...]]


class RecordShapes:
    """The field names and value kinds of each record type of a policy.

    Example:
        >>> shapes = RecordShapes(policy)  # doctest: +SKIP
        >>> shapes.fits(record)  # doctest: +SKIP
        True
    """

    def __init__(self, policy: Policy) -> None:
        self._shapes: dict[str, _Shape] = {}
        for name, decl in policy.records.items():
            kinds: dict[str, type | frozenset[str]] = {}
            for field in decl.fields:
                enum = policy.enums.get(field.type)
                if field.type in _PLAIN:
                    kinds[field.name] = _PLAIN[field.type]
                elif enum is not None:
                    kinds[field.name] = frozenset(v.name for v in enum.values)
                else:
                    break  # a credit code, or a type the full check explains
            else:
                names = tuple(sorted(kinds))
                self._shapes[name] = (names, tuple(kinds[n] for n in names))

    def fits(self, record: Record) -> bool:
        """Tell whether `check_record` surely accepts the record, warning of nothing."""
        shape = self._shapes.get(record.type)
        if shape is None:
            return False
        # `isspace` tells a blank id without building its stripped copy.
        record_id = record.id
        if not (type(record_id) is str and record_id and not record_id.isspace()):
            return False
        subject = record.subject
        if not (type(subject) is str and subject and not subject.isspace()):
            return False
        if type(record.date) is not date:
            return False
        names, kinds = shape
        fields = record.fields
        count = len(names)
        if len(fields) != count:
            return False
        # By index rather than `zip`: this runs for every record ingested, and
        # the lengths are equal.
        for index in range(count):
            name, value = fields[index]
            if name != names[index]:
                return False
            kind = kinds[index]
            if type(kind) is frozenset:
                if type(value) is not str or value not in kind:
                    return False
            elif type(value) is not kind:
                return False
            elif kind is Decimal and not value.is_finite():  # type: ignore[union-attr]
                return False  # a non-finite number is a `Decimal` too
        return True
