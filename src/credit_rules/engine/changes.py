"""What the engine tells its host: changes as they happen, and decisions on effects."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import attrs

ChangeKind = Literal["tier", "list", "effect"]


def _state(value: object) -> str | bool:
    """Keep a tier's name; read any other value as membership, yes or no."""
    return value if isinstance(value, str) else bool(value)


@attrs.frozen
class Change:
    """A change of a subject's tier, list membership or effect, as it happens.

    Attributes:
        subject: The subject's id.
        what: `tier`, `list` or `effect`.
        name: The tier declaration's name (`tier`), the list's or the effect's.
        old: The tier before (a name), or whether the subject was on the list or
            under the effect before.
        new: Likewise after.
        date: The date it happens: the engine's current date when a record
            arrives, or the date that `advance` passes.
        cause: What caused it, as a sentence naming the record or the period.
    """

    subject: str
    what: ChangeKind
    name: str
    old: str | bool = attrs.field(converter=_state)
    new: str | bool = attrs.field(converter=_state)
    date: dt.date
    cause: str


@attrs.frozen
class Decision:
    """The answer to "may this subject have this effect's benefit on this day?".

    Attributes:
        allowed: True for an incentive in force and for a sanction not in force.
        effect: The effect's name.
        in_force: Whether the effect is in force on the day.
        reason: Why, as a sentence naming the effect and its cause.
    """

    allowed: bool
    effect: str
    in_force: bool
    reason: str
