"""Subjects and records: what a host feeds the engine.

A subject (主体) is a producer under supervision; a record is one entry of its credit
archive (电子信用档案): an inspection, a sampling test, a penalty, a certification.
Field values are Python values of the declared types: `str` for text, enum values,
credit codes and record ids; `decimal.Decimal` for numbers; `bool`; `datetime.date`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

FieldValue = str | Decimal | bool | dt.date
"""A value of a record field or subject attribute."""


def _freeze(values: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(dict(values).items()))


@attrs.frozen
class Subject:
    """A producer under credit supervision.

    Attributes:
        id: The subject's identifier, usually its unified social credit code.
        kind: A value of the `subject_kind` enum: enterprise, cooperative, family farm.
        attributes: The attributes the policy's `subject` declaration names.

    Example:
        >>> farm = Subject("92320803MA1XXXXXX1", "family_farm", {"region": "淮安区"})
        >>> farm.attribute("region")
        '淮安区'
    """

    id: str
    kind: str
    attributes: tuple[tuple[str, FieldValue], ...] = attrs.field(
        default=(), converter=_freeze
    )

    def attribute(self, name: str) -> FieldValue:
        """Return one attribute's value; `KeyError` if the subject lacks it."""
        for key, value in self.attributes:
            if key == name:
                return value
        raise KeyError(name)

    @property
    def attribute_map(self) -> dict[str, FieldValue]:
        """The attributes as a new dict."""
        return dict(self.attributes)


@attrs.frozen
class Record:
    """One supervision record about one subject.

    Attributes:
        id: Unique across the archive; ingesting the same id twice changes nothing.
        subject: The id of the subject it concerns.
        type: The name of its record type, e.g. `sampling_test`.
        date: The day it happened (not the day it was entered).
        fields: The fields its type declares, every one present.

    Example:
        >>> import datetime as dt
        >>> test = Record("S-1", "91320800MA1XXXXXX2", "sampling_test",
        ...               dt.date(2026, 3, 1), {"result": "fail"})
        >>> test.field("result")
        'fail'
    """

    id: str
    subject: str
    type: str
    date: dt.date
    fields: tuple[tuple[str, FieldValue], ...] = attrs.field(
        default=(), converter=_freeze
    )

    def field(self, name: str) -> FieldValue:
        """Return one field's value; `KeyError` if the record lacks it."""
        for key, value in self.fields:
            if key == name:
                return value
        raise KeyError(name)

    @property
    def field_map(self) -> dict[str, FieldValue]:
        """The fields as a new dict."""
        return dict(self.fields)
