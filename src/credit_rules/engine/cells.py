"""Values of declared field types: reading them from text and checking Python ones.

`parse_cell` reads one text cell as a value of a declared type and `type_problem`
says what is wrong with a Python value, if anything. Both return a reason rather
than raising, so that the caller can name the record and field it belongs to.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal, InvalidOperation

import attrs

from credit_rules.dsl.policy import Policy
from credit_rules.records import FieldValue

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "Problem",
    "describe",
    "parse_bool",
    "parse_cell",
    "parse_date",
    "parse_number",
    "type_problem",
]

TRUE_WORDS = ("true", "yes", "1", "是")
"""Cells read as `True`, compared without regard to case."""

FALSE_WORDS = ("false", "no", "0", "否")
"""Cells read as `False`, compared without regard to case."""

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.ASCII)
_STRING_TYPES = ("text", "record_id", "credit_code")


@attrs.frozen
class Problem:
    """Why a cell or value is not of its declared type, as a lowercase sentence."""

    reason: str


def parse_cell(policy: Policy, type_name: str, text: str) -> FieldValue | Problem:
    """Read a text cell as a value of a declared field type.

    Args:
        policy: The policy, for the values of enums.
        type_name: `text`, `number`, `bool`, `date`, `credit_code`, `record_id`
            or an enum's name.
        text: The cell; values other than text are trimmed first.

    Returns:
        The value, or the problem with the cell.

    Example:
        >>> parse_cell(policy, "number", "-3.5")  # doctest: +SKIP
        Decimal('-3.5')
    """
    if type_name == "text":
        return text
    text = text.strip()
    if type_name in ("record_id", "credit_code"):
        return text
    if type_name == "number":
        return parse_number(text)
    if type_name == "bool":
        return parse_bool(text)
    if type_name == "date":
        return parse_date(text)
    return _parse_enum(policy, type_name, text)


def parse_date(text: str) -> dt.date | Problem:
    """Read `YYYY-MM-DD`, saying why a date like `2021-02-30` does not exist.

    Example:
        >>> parse_date("2021-02-30").reason
        '`2021-02-30` is not a date: February 2021 has 28 days'
    """
    match = _DATE.fullmatch(text)
    if match is None:
        return Problem(
            f"`{text}` is not a date; write it as YYYY-MM-DD, e.g. 2026-04-01"
        )

    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return Problem(f"`{text}` is not a date: there is no month {month}")
    if year < 1:
        return Problem(f"`{text}` is not a date: there is no year 0")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        return Problem(f"`{text}` is not a date: {name} {year} has {days} days")
    return dt.date(year, month, day)


def parse_number(text: str) -> Decimal | Problem:
    """Read a decimal number such as `12` or `-3.5`, exactly.

    Exponents, thousands separators and full-width digits are refused, so that a
    cell means one number only.
    """
    if _NUMBER.fullmatch(text) is None:
        return Problem(
            f"`{text}` is not a number; write digits with an optional sign and "
            "decimal point, e.g. -3.5"
        )
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return Problem(f"`{text}` is not a number")


def parse_bool(text: str) -> bool | Problem:
    """Read yes or no: `true`/`yes`/`1`/`是` or `false`/`no`/`0`/`否`, any case."""
    word = text.casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return Problem(
        f"`{text}` is not yes or no; write `true` or `false` (also accepted: "
        "yes/no, 是/否, 1/0)"
    )


def _parse_enum(policy: Policy, type_name: str, text: str) -> str | Problem:
    problem = type_problem(policy, type_name, text)
    return text if problem is None else Problem(problem)


def type_problem(policy: Policy, type_name: str, value: object) -> str | None:
    """Say what keeps a Python value from being of a declared type, if anything.

    Args:
        policy: The policy, for the values of enums.
        type_name: The declared type.
        value: The value.

    Returns:
        The reason, or None when the value fits.
    """
    if type_name in _STRING_TYPES:
        return _expect(value, str, "text")
    if type_name == "number":
        return _number_problem(value)
    if type_name == "bool":
        return _expect(value, bool, "`true` or `false`")
    if type_name == "date":
        return _expect(value, dt.date, "a `datetime.date`")
    return _enum_problem(policy, type_name, value)


def _expect(value: object, kind: type, wanted: str) -> str | None:
    # `type(...) is` rather than `isinstance`: a bool is an int and a datetime
    # is a date, and neither may pass for the other here.
    if type(value) is kind:
        return None
    return f"expected {wanted}, got {describe(value)}"


def _number_problem(value: object) -> str | None:
    if type(value) is Decimal:
        if value.is_finite():
            return None
        return f"expected a finite number, got `{value}`"
    hint = ""
    if isinstance(value, float):
        hint = "; pass a `decimal.Decimal` so that points stay exact"
    return f"expected a `decimal.Decimal`, got {describe(value)}{hint}"


def _enum_problem(policy: Policy, type_name: str, value: object) -> str | None:
    enum = policy.enums.get(type_name)
    if enum is None:
        return f"the policy declares no type `{type_name}`; check the record type"
    names = [v.name for v in enum.values]
    if isinstance(value, str) and value in names:
        return None
    shown = ", ".join(f"`{n}`" for n in names)
    if not isinstance(value, str):
        return f"expected a value of `{type_name}` ({shown}), got {describe(value)}"
    return f"`{value}` is not a value of `{type_name}`; use one of {shown}"


def describe(value: object) -> str:
    """Name a value and its Python type for a message: `a float `1.5``."""
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    article = "an" if type(value).__name__[0] in "aeiou" else "a"
    return f"{article} {type(value).__name__} `{shown}`"
