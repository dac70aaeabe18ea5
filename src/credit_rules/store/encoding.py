"""Subjects and records as canonical JSON text, and a digest of their contents.

Each value is kept with its type, so that a `Decimal("2.50")`, `"2.50"`, a date and
its ISO text stay different after a round trip; the digest of two entries is the
same exactly when they are equal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from credit_rules.records import FieldValue, Record, Subject

__all__ = ["decode", "digest", "encode"]


def _value(value: FieldValue) -> list[Any]:
    if isinstance(value, bool):
        return ["b", value]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    if isinstance(value, dt.date):
        return ["d", value.isoformat()]
    return ["s", value]


def _typed(tagged: list[Any]) -> FieldValue:
    tag, text = tagged
    if tag == "b":
        return bool(text)
    if tag == "n":
        return Decimal(text)
    if tag == "d":
        return dt.date.fromisoformat(text)
    return str(text)


def encode(item: Subject | Record) -> str:
    """The item as canonical JSON: sorted keys, no spaces, types tagged.

    Example:
        >>> encode(Subject("S-1", "enterprise", {"name": "甲"}))
        '{"a":{"name":["s","甲"]},"id":"S-1","kind":"enterprise","t":"subject"}'
    """
    if isinstance(item, Subject):
        data: dict[str, Any] = {
            "t": "subject",
            "id": item.id,
            "kind": item.kind,
            "a": {k: _value(v) for k, v in item.attributes},
        }
    else:
        data = {
            "t": "record",
            "id": item.id,
            "subject": item.subject,
            "type": item.type,
            "date": item.date.isoformat(),
            "f": {k: _value(v) for k, v in item.fields},
        }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode(text: str) -> Subject | Record:
    """The item that `encode` wrote."""
    data = json.loads(text)
    if data["t"] == "subject":
        attributes = {k: _typed(v) for k, v in data["a"].items()}
        return Subject(data["id"], data["kind"], attributes)
    fields = {k: _typed(v) for k, v in data["f"].items()}
    date = dt.date.fromisoformat(data["date"])
    return Record(data["id"], data["subject"], data["type"], date, fields)


def digest(text: str) -> str:
    """A digest of encoded contents, to compare entries by."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
