"""Whether a subject or record fits what the policy declares, and typing text cells.

`check_record` and `check_subject` look at values that are already Python values
(what a host hands `Engine.ingest`); `coerce_row` and `coerce_subject` turn the text
cells of a CSV row into such values first. Both raise `RecordError` naming the
record and field at fault, with a reason that says how to fix it.

Every field a record type declares is required (see `docs/semantics.md`): a
condition never sees a missing value. Types map to Python values as follows:

| declared type | Python value | text cell |
|---|---|---|
| `text`, `record_id` | `str` | as written |
| `credit_code` | `str` | 18 characters with a right check character |
| an enum's name | `str` | one of the enum's value names |
| `number` | `decimal.Decimal`, finite | `12`, `-3.5` (no exponent, no separators) |
| `bool` | `bool` | `true`/`yes`/`是`/`1` or `false`/`no`/`否`/`0`, any case |
| `date` | `datetime.date` | `YYYY-MM-DD`, a real calendar day |

A credit code that fails only its check character may be a legal early code (see
`credit_rules.credit_code`). `legacy_codes` says what to do with one: `reject` it,
`warn` (call `on_warning`, or issue a `LegacyCodeWarning`) and keep it, or `accept`
it silently.
"""

from __future__ import annotations

import datetime as dt
import difflib
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Literal

from credit_rules.credit_code import CodeStatus, check_code
from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy
from credit_rules.engine import cells
from credit_rules.errors import RecordError
from credit_rules.records import FieldValue, Record, Subject

__all__ = [
    "RECORD_COLUMNS",
    "SUBJECT_COLUMNS",
    "SUBJECT_KIND_ENUM",
    "LegacyCodeWarning",
    "LegacyCodes",
    "check_record",
    "check_subject",
    "coerce_row",
    "coerce_subject",
]

LegacyCodes = Literal["reject", "warn", "accept"]
"""What to do with a credit code that fails only its check character."""

RECORD_COLUMNS = ("id", "subject", "type", "date")
"""The columns every record row has besides its type's fields."""

SUBJECT_COLUMNS = ("id", "kind")
"""The columns every subject row has besides the declared attributes."""

SUBJECT_KIND_ENUM = "subject_kind"
"""The enum whose values a subject's `kind` must be, when the policy declares it."""

BUILTIN_TYPES = ("text", "number", "bool", "date", "credit_code", "record_id")


class LegacyCodeWarning(UserWarning):
    """A credit code fails its check character but was kept, as asked.

    Attributes:
        record_id: The record's or subject's id.
        field: The field holding the code.
        reason: What is wrong with the code.
    """

    def __init__(self, reason: str, *, record_id: str | None, field: str) -> None:
        self.reason = reason
        self.record_id = record_id
        self.field = field
        super().__init__(f"`{record_id}`, field `{field}`: {reason}")


WarningSink = Callable[[LegacyCodeWarning], None]


def check_record(
    policy: Policy,
    record: Record,
    *,
    legacy_codes: LegacyCodes = "warn",
    on_warning: WarningSink | None = None,
) -> None:
    """Check that a record has its type's fields, each a value of its type.

    Args:
        policy: The policy that declares the record types.
        record: The record to check.
        legacy_codes: What to do with a credit code that fails only its check.
        on_warning: Receives the warnings; without it they are issued with
            `warnings.warn`.

    Raises:
        RecordError: For the first problem found, naming the record and field.

    Example:
        >>> import datetime as dt
        >>> from credit_rules import Record, load_policy
        >>> policy = load_policy("policies/huaian")  # doctest: +SKIP
        >>> check_record(policy, Record("R-1", "S-1", "inspectoin", dt.date(2026, 1, 5)))  # doctest: +SKIP
        Traceback (most recent call last):
        ...
        credit_rules.errors.RecordError: record `R-1`, field `type`: unknown record type `inspectoin`; did you mean `inspection`?
    """
    decl = record_type(policy, record.type, record.id)
    _check_identity(record.id, "id", record.id)
    _check_identity(record.subject, "subject", record.id)
    if type(record.date) is not dt.date:
        raise RecordError(
            f"the date must be a `datetime.date`, not {_describe(record.date)}",
            record_id=record.id,
            field="date",
        )

    fields = record.field_map
    _check_names(decl.fields, fields, f"record type `{decl.name}`", record.id)
    for field in decl.fields:
        value = fields[field.name]
        _check_value(policy, field, value, record.id)
        _check_credit_code(field, value, record.id, legacy_codes, on_warning)


def check_subject(
    policy: Policy,
    subject: Subject,
    *,
    legacy_codes: LegacyCodes = "warn",
    on_warning: WarningSink | None = None,
) -> None:
    """Check that a subject has a known kind and the declared attributes.

    Args:
        policy: The policy whose `subject` declaration names the attributes.
        subject: The subject to check.
        legacy_codes: What to do with a credit code that fails only its check.
        on_warning: Receives the warnings; without it they are issued with
            `warnings.warn`.

    Raises:
        RecordError: For the first problem found, naming the subject and field.
    """
    _check_identity(subject.id, "id", subject.id)
    _check_kind(policy, subject.kind, subject.id)

    declared = policy.subject.fields if policy.subject else ()
    attributes = subject.attribute_map
    _check_names(declared, attributes, "the subject declaration", subject.id)
    for field in declared:
        value = attributes[field.name]
        _check_value(policy, field, value, subject.id)
        _check_credit_code(field, value, subject.id, legacy_codes, on_warning)


def coerce_row(
    policy: Policy,
    type_name: str,
    row: Mapping[str, str | None],
    *,
    legacy_codes: LegacyCodes = "reject",
    on_warning: WarningSink | None = None,
) -> Record:
    """Turn the text cells of one record row into a checked `Record`.

    Empty cells (after trimming spaces) count as absent, as in a wide CSV table
    whose columns are the union of every type's fields. Values other than text
    are trimmed; text is kept as written.

    Args:
        policy: The policy that declares the record types.
        type_name: The record's type; a `type` cell, if any, must agree.
        row: Column name to cell text: `id`, `subject`, `date` and the fields.
        legacy_codes: What to do with a credit code that fails only its check.
        on_warning: Receives the warnings; without it they are issued with
            `warnings.warn`.

    Returns:
        The record, checked with `check_record`.

    Raises:
        RecordError: For the first problem found, naming the record and field.

    Example:
        >>> coerce_row(policy, "inspection", {"id": "R-1", "subject": "S-1",
        ...     "date": "2021-02-30", "result": "ok"})  # doctest: +SKIP
        Traceback (most recent call last):
        ...
        credit_rules.errors.RecordError: record `R-1`, field `date`: `2021-02-30` is not a date: February 2021 has 28 days
    """
    cells_present = _present(row)
    record_id = cells_present.pop("id", None)
    if record_id is None:
        raise RecordError(
            "the row has no `id`; give every record a unique id", field="id"
        )
    decl = record_type(policy, type_name, record_id)
    written_type = cells_present.pop("type", type_name)
    if written_type != type_name:
        raise RecordError(
            f"the row says type `{written_type}` but is read as `{type_name}`",
            record_id=record_id,
            field="type",
        )

    subject = _required_cell(cells_present, "subject", record_id)
    date = _date(
        cells.parse_date(_required_cell(cells_present, "date", record_id)), record_id
    )
    fields = _coerce_fields(
        policy, decl.fields, cells_present, record_id, f"record type `{decl.name}`"
    )
    record = Record(record_id, subject, type_name, date, fields)
    check_record(policy, record, legacy_codes=legacy_codes, on_warning=on_warning)
    return record


def coerce_subject(
    policy: Policy,
    row: Mapping[str, str | None],
    *,
    legacy_codes: LegacyCodes = "reject",
    on_warning: WarningSink | None = None,
) -> Subject:
    """Turn the text cells of one subject row into a checked `Subject`.

    Args:
        policy: The policy whose `subject` declaration names the attributes.
        row: Column name to cell text: `id`, `kind` and the attributes.
        legacy_codes: What to do with a credit code that fails only its check.
        on_warning: Receives the warnings; without it they are issued with
            `warnings.warn`.

    Returns:
        The subject, checked with `check_subject`.

    Raises:
        RecordError: For the first problem found, naming the subject and field.
    """
    cells_present = _present(row)
    subject_id = cells_present.pop("id", None)
    if subject_id is None:
        raise RecordError(
            "the row has no `id`; give every subject a unique id", field="id"
        )
    kind = _required_cell(cells_present, "kind", subject_id)

    declared = policy.subject.fields if policy.subject else ()
    attributes = _coerce_fields(
        policy, declared, cells_present, subject_id, "the subject declaration"
    )
    subject = Subject(subject_id, kind, attributes)
    check_subject(policy, subject, legacy_codes=legacy_codes, on_warning=on_warning)
    return subject


def record_type(policy: Policy, name: str, record_id: str | None) -> ast.RecordDecl:
    """Return the declaration of a record type, or raise naming a close one."""
    decl = policy.records.get(name)
    if decl is None:
        raise RecordError(
            f"unknown record type `{name}`{_suggestion(name, policy.records)}",
            record_id=record_id,
            field="type",
        )
    return decl


def _suggestion(name: str, known: Iterable[str]) -> str:
    """Return `; did you mean `x`?` for the closest known name, or a list of them."""
    choices = sorted(known)
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f"; did you mean `{close[0]}`?"
    if choices and len(choices) <= 12:
        return "; expected one of " + ", ".join(f"`{c}`" for c in choices)
    return ""


def _check_identity(value: object, field: str, record_id: str | None) -> None:
    if not isinstance(value, str) or not value.strip():
        raise RecordError(
            f"`{field}` must be a non-empty string, not {_describe(value)}",
            record_id=record_id if isinstance(record_id, str) else None,
            field=field,
        )


def _check_kind(policy: Policy, kind: object, subject_id: str) -> None:
    _check_identity(kind, "kind", subject_id)
    enum = policy.enums.get(SUBJECT_KIND_ENUM)
    if enum is None:
        return
    names = [v.name for v in enum.values]
    if kind not in names:
        raise RecordError(
            f"`{kind}` is not a subject kind{_suggestion(str(kind), names)}",
            record_id=subject_id,
            field="kind",
        )


def _check_names(
    declared: Iterable[ast.FieldDecl],
    present: Mapping[str, object],
    owner: str,
    record_id: str,
) -> None:
    """Raise if a declared field is absent or a present one is not declared."""
    names = [f.name for f in declared]
    missing = [n for n in names if n not in present]
    if missing:
        shown = ", ".join(f"`{n}`" for n in missing)
        raise RecordError(
            f"{owner} requires {shown}, which the record lacks; every field is "
            "required",
            record_id=record_id,
            field=missing[0],
        )
    for name in sorted(present):
        if name not in names:
            raise RecordError(
                f"`{name}` is not a field of {owner}{_suggestion(name, names)}",
                record_id=record_id,
                field=name,
            )


def _check_value(
    policy: Policy, field: ast.FieldDecl, value: object, record_id: str
) -> None:
    reason = cells.type_problem(policy, field.type, value)
    if reason is not None:
        raise RecordError(reason, record_id=record_id, field=field.name)


def _check_credit_code(
    field: ast.FieldDecl,
    value: FieldValue,
    record_id: str,
    legacy_codes: LegacyCodes,
    on_warning: WarningSink | None,
) -> None:
    if field.type != "credit_code" or not isinstance(value, str):
        return
    result = check_code(value)
    if result.status is CodeStatus.VALID or result.reason is None:
        return
    if result.status is CodeStatus.INVALID or legacy_codes == "reject":
        raise RecordError(result.reason, record_id=record_id, field=field.name)
    if legacy_codes == "accept":
        return

    warning = LegacyCodeWarning(result.reason, record_id=record_id, field=field.name)
    if on_warning is None:
        warnings.warn(warning, stacklevel=4)
    else:
        on_warning(warning)


def _present(row: Mapping[str, str | None]) -> dict[str, str]:
    """The cells that hold something, keyed by trimmed column name."""
    return {key.strip(): value for key, value in row.items() if value and value.strip()}


def _required_cell(present: dict[str, str], name: str, record_id: str) -> str:
    value = present.pop(name, None)
    if value is None:
        raise RecordError(
            f"the row has no `{name}`; fill in the column",
            record_id=record_id,
            field=name,
        )
    return value.strip()


def _coerce_fields(
    policy: Policy,
    declared: Iterable[ast.FieldDecl],
    present: Mapping[str, str],
    record_id: str,
    owner: str,
) -> dict[str, FieldValue]:
    """Type every present cell by its declaration.

    Absent cells are left for the check, which names them all at once.
    """
    by_name = {f.name: f for f in declared}
    values: dict[str, FieldValue] = {}
    for name, text in present.items():
        field = by_name.get(name)
        if field is None:
            raise RecordError(
                f"`{name}` is not a field of {owner}{_suggestion(name, by_name)}",
                record_id=record_id,
                field=name,
            )
        parsed = cells.parse_cell(policy, field.type, text)
        values[name] = _ok(parsed, record_id, name)
    return values


def _ok(parsed: FieldValue | cells.Problem, record_id: str, field: str) -> FieldValue:
    if isinstance(parsed, cells.Problem):
        raise RecordError(parsed.reason, record_id=record_id, field=field)
    return parsed


def _date(parsed: dt.date | cells.Problem, record_id: str) -> dt.date:
    if isinstance(parsed, cells.Problem):
        raise RecordError(parsed.reason, record_id=record_id, field="date")
    return parsed


def _describe(value: object) -> str:
    return cells.describe(value)
