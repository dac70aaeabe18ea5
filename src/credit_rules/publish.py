"""Public lists (公示): what may be published about the subjects on a list.

A published list names each subject by its name and unified social credit code,
with the list, the reason and the dates of the entry. Personal data never
appears: attributes that hold it (a legal representative's name, a telephone
number, an ID card number) are left out even when a policy's `publish` clause
names them, and an ID card or mobile number inside a published text is masked.
Which attributes are personal is a fixed list, not a policy's choice, because the
duty not to leak personal data does not depend on the policy.

Example:
    >>> import datetime as dt
    >>> from credit_rules.records import Subject
    >>> farm = Subject("92320803MA3AGYGL5L", "family_farm",
    ...                {"name": "绿源家庭农场", "legal_person": "张三"})
    >>> entry = ListEntry(farm, "serious", dt.date(2026, 1, 5), None, "行政处罚 P-1")
    >>> print(publish(None, [entry], "serious"), end="")
    list,name,credit_code,reason,since,until
    serious,绿源家庭农场,92320803MA3AGYGL5L,行政处罚 P-1,2026-01-05,
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
from collections.abc import Iterable
from typing import Literal

import attrs

from credit_rules.dsl.policy import Policy
from credit_rules.errors import UsageError
from credit_rules.records import FieldValue, Subject

__all__ = ["PERSONAL_ATTRIBUTES", "ListEntry", "mask_personal", "publish"]

logger = logging.getLogger(__name__)

PERSONAL_ATTRIBUTES = frozenset(
    {"legal_person", "phone", "mobile", "id_card", "id_number", "contact", "contact_person",
     "address", "email", "owner", "person"}
)  # fmt: skip
"""Attribute names that hold personal data and are never published."""

BASE_COLUMNS = ("list", "name", "credit_code", "reason", "since", "until")
"""The columns every published list has, in this order."""

# An 18-character resident ID card number, and a mainland mobile number, where
# not part of a longer run of digits (a credit code has letters around its digits).
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@attrs.frozen
class ListEntry:
    """One entry of a list, as the engine reports it.

    Attributes:
        subject: The subject on the list.
        list: The list's name.
        since: The first day of the entry.
        until: The day the entry ends, or None if not yet known.
        reason: Why the subject is on the list: the cause in words.
    """

    subject: Subject
    list: str
    since: dt.date
    until: dt.date | None
    reason: str


def mask_personal(text: str) -> str:
    """Mask ID card and mobile numbers inside a text.

    Example:
        >>> mask_personal("联系人电话 13800000000")
        '联系人电话 ***********'
    """
    text = _ID_CARD.sub(lambda m: "*" * len(m.group()), text)
    return _MOBILE.sub(lambda m: "*" * len(m.group()), text)


def publish(
    policy: Policy | None,
    entries: Iterable[ListEntry],
    list_name: str,
    format: Literal["csv", "json"] = "csv",
) -> str:
    """Write the public form of one list's entries.

    Args:
        policy: The policy; its list's `publish` clause may add attributes to the
            base columns, personal ones excepted. None publishes the base columns.
        entries: Entries of any lists; only those of `list_name` are written.
        list_name: The list to publish.
        format: `csv` (with a header line) or `json` (an array of objects).

    Returns:
        The text to publish.

    Raises:
        UsageError: If the policy declares no list of that name.
    """
    columns = _columns(policy, list_name)
    rows = [_row(entry, columns) for entry in entries if entry.list == list_name]
    if format == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"

    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _columns(policy: Policy | None, list_name: str) -> list[str]:
    if policy is None:
        return list(BASE_COLUMNS)
    decl = policy.lists.get(list_name)
    if decl is None:
        known = ", ".join(f"`{name}`" for name in policy.lists) or "none"
        raise UsageError(f"the policy has no list `{list_name}`; its lists: {known}")

    columns = list(BASE_COLUMNS)
    for name in decl.publish:
        if name in PERSONAL_ATTRIBUTES:
            logger.warning(
                "list `%s` asks to publish `%s`, which is personal data; left out",
                list_name,
                name,
            )
        elif name not in columns:
            columns.append(name)
    return columns


def _row(entry: ListEntry, columns: list[str]) -> dict[str, str]:
    attributes = entry.subject.attribute_map
    fixed = {
        "list": entry.list,
        "name": _text(attributes.get("name", "")),
        "credit_code": _text(attributes.get("credit_code", entry.subject.id)),
        "reason": entry.reason,
        "since": entry.since.isoformat(),
        "until": entry.until.isoformat() if entry.until else "",
    }
    row = {c: fixed[c] if c in fixed else _text(attributes.get(c, "")) for c in columns}
    personal = [_text(v) for k, v in attributes.items() if k in PERSONAL_ATTRIBUTES]
    # The credit code is a code of a business, not personal data: never masked.
    return {
        c: v if c == "credit_code" else _mask_values(mask_personal(v), personal)
        for c, v in row.items()
    }


def _mask_values(text: str, personal: list[str]) -> str:
    """Mask the subject's own personal values wherever a published text quotes them."""
    for value in personal:
        if len(value) >= 2:
            text = text.replace(value, "*" * len(value))
    return text


def _text(value: FieldValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
