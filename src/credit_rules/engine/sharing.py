"""One object for many equal values: what keeps a large engine small.

An engine holds a timeline per node per subject and the records of every
subject. Most of their parts repeat across subjects: constant timelines, value
sequences such as `(0, -10, 0)` or `(False, True, False)`, the dates, and whole
field tuples such as `(("result", "pass"),)`. Each is kept once, in a table of
its own, and every holder points at that one copy.

Two values that compare equal are not always the same value: `Decimal("5")`
equals `Decimal("5.0")` and `True` equals `1`, but they print differently. The
tables are therefore keyed by what tells those apart: the text of decimals, in
timelines and in records' fields, and the type of the values of a timeline
(whose values all have one type, or are None).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Final, cast

from credit_rules.engine.timeline import Timeline
from credit_rules.records import Record

_TABLE_LIMIT: Final = 1 << 16
"""Entries per table; a full table starts over, which costs sharing, not results."""

_CONSTANTS: Final[dict[Any, Timeline]] = {}
_VALUES: Final[dict[Any, tuple[Any, ...]]] = {}
_FIELDS: Final[dict[Any, tuple[tuple[str, Any], ...]]] = {}
_DATES: Final[dict[dt.date, dt.date]] = {}
_TYPES: Final[dict[str, str]] = {}
_POINTS: Final[dict[object, object]] = {}


def share(value: Any, whole: bool = False, before: Any = None) -> Any:
    """Return a node value built from shared parts, equal to `value`.

    A constant timeline becomes the one shared timeline of its value; another
    timeline keeps its own object but shares its sequence of values and the
    objects of its dates (see `_shared_points`).
    Anything else is returned as it is.

    Args:
        value: A node's value.
        whole: Whether every decimal the node can hold is a whole number of
            exponent 0, as in a plan whose sums are exact (see
            `credit_rules.engine.patching.exact_sums`): equal ones then print
            alike, and the values are their own key.
        before: The value `value` replaces, shared already: the dates a
            patched timeline keeps from it are not looked up again.
    """
    if type(value) is not Timeline:
        return value
    values = value.values
    kind = type(values[0])
    # Only decimals need their text to tell equal values apart; `str` tells
    # `5` from `5.0` and `-0` from `0` as `repr` does, in half the time. The
    # text keys and the tuple keys never meet.
    key = (
        "|".join(map(str, values)) if kind is Decimal and not whole else (kind, values)
    )
    try:
        if not value.points:
            return _shared(_CONSTANTS, key, value)
        value.values = _shared(_VALUES, key, values)
    except TypeError:  # values that cannot be hashed are kept unshared
        pass
    kept = before.points if type(before) is Timeline else ()
    value.points = _shared_points(value.points, kept)
    return value


def _shared_points(
    points: tuple[int, ...], kept: tuple[int, ...] = ()
) -> tuple[int, ...]:
    """Return points equal to these, each the one object kept for its date.

    Python code passes the objects of `credit_rules.engine.dates.ordinal` on,
    and these are the points it holds already. Compiled code makes a new
    object of each number it stores (see `hatch_build.py`): a timeline's
    points are then made the shared ones again, so that the engine keeps one
    object per date and the ones compared most often stay in the cache.

    Args:
        points: A timeline's points.
        kept: Shared points that `points` may hold in the same order, such as
            those of the timeline a patch (`Timeline.plus_step`) started from:
            each found again, object for object, needs no lookup.
    """
    table = _POINTS
    found: list[object] = []
    changed = False
    # As objects, so that compiled code passes each one on as it is.
    old = cast("tuple[object, ...]", kept)
    count = len(old)
    index = 0
    for point in cast("tuple[object, ...]", points):
        if index < count and old[index] is point:
            index += 1
            found.append(point)
            continue
        known = table.get(point)
        if known is None:
            known = _shared(table, point, point)
        elif known is not point:
            changed = True
        found.append(known)
    return cast("tuple[int, ...]", tuple(found)) if changed else points


def compact(record: Record, subject_id: str) -> Record:
    """Return a record equal to `record`, built of shared parts.

    Each part is replaced by an equal one of the same `repr` (its subject id by
    `subject_id`, the subject's own string), so that ten thousand records of `result: pass`
    hold one tuple of fields between them. The caller's record is left as it is:
    the copy is made without `Record.__init__`, whose converter would build the
    fields anew, and is as frozen as any other record once made.
    """
    # A checked record's fields are text, numbers, bools and dates: hashable.
    fields = _shared(_FIELDS, _fields_key(record.fields), record.fields)
    shared = object.__new__(Record)
    # attrs' frozen classes set their attributes this way in `__init__` too.
    setter = object.__setattr__.__get__(shared)
    setter("id", record.id)
    subject = record.subject
    setter("subject", subject_id if subject == subject_id else subject)
    record_type = record.type
    setter("type", _shared(_TYPES, record_type, record_type))
    date = record.date
    setter("date", _shared(_DATES, date, date))
    setter("fields", fields)
    return shared


def _fields_key(fields: tuple[tuple[str, Any], ...]) -> Any:
    """Key a record's fields so that equal ones that print apart key apart.

    Of field values, only decimals can be equal and print differently (a bool
    field holds a bool, never the 1 it equals): each decimal's pair gains its
    text, a triple no pair equals. Fields without decimals key as they are.
    """
    for _, value in fields:
        if type(value) is Decimal:
            return tuple(
                (name, value, str(value)) if type(value) is Decimal else (name, value)
                for name, value in fields
            )
    return fields


def _shared(table: dict[Any, Any], key: Any, value: Any) -> Any:
    """Return the table's value for `key`, keeping `value` there if it has none.

    Raises:
        TypeError: If the key cannot be hashed.
    """
    known = table.get(key)
    if known is not None:
        return known
    if len(table) >= _TABLE_LIMIT:
        table.clear()
    table[key] = value
    return value
