"""What an explanation report holds beyond the engine's `Explanation`.

A `Report` is the engine's explanation of one subject on one date together with
what a reader asks next: the reason codes, what changes on the next change date,
and the shortest path to a better tier. The renderers read a `Report`; each of
them also takes a bare `Explanation` and builds the parts it can from it alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

import attrs

from credit_rules.engine.assessment import Assessment
from credit_rules.engine.explanation import Explanation
from credit_rules.records import Subject

StepKind = Literal["wait", "repair", "bonus"]
"""How a path to a better tier gets there: time passing, a repair, new bonuses."""


@attrs.frozen
class Reason:
    """A reason code: one rule and the points it cost against the base.

    Attributes:
        rule: The rule's name, the code itself.
        points: The rule's points after its own cap, negative.
        records: The records whose points these are.
    """

    rule: str
    points: Decimal
    records: tuple[str, ...]


@attrs.frozen
class Event:
    """One thing that happens on a date with no new record.

    Attributes:
        what: `record`, `veto`, `list_end`, `list_start`, `effect` or `other`.
        name: The record id, veto, list or effect concerned; empty for `other`.
    """

    what: str
    name: str = ""


@attrs.frozen
class Upcoming:
    """The next change and the assessment from that day on.

    Attributes:
        on: The date of the change.
        events: What happens that day, as far as the explanation tells.
        after: The assessment as of that day, if known.
    """

    on: dt.date
    events: tuple[Event, ...]
    after: Assessment | None = None


@attrs.frozen
class Step:
    """One way to a better tier.

    Attributes:
        kind: `wait` (records expire, a lock ends), `repair` or `bonus`.
        on: The first day the better tier holds that way.
        tier: The tier reached.
        score: The score reached.
        records: For `repair`, the record repaired; for `wait`, the records
            that stop counting on the way.
        missing: For `repair`, the evidence still missing.
        bonuses: For `bonus`, the rules of the new credit-enhancing records,
            one entry per record.
    """

    kind: StepKind
    on: dt.date
    tier: str
    score: Decimal
    records: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    bonuses: tuple[str, ...] = ()


@attrs.frozen
class Report:
    """An explanation with everything a reader needs to act on it.

    Attributes:
        explanation: The engine's explanation.
        subject: The subject, for its name, if known.
        record_dates: The date of every record of the subject, by id.
        reasons: The reason codes, largest loss first.
        upcoming: The next change, if any.
        paths: Ways to the next better tier, shortest (earliest) first.
    """

    explanation: Explanation
    subject: Subject | None = None
    record_dates: Mapping[str, dt.date] = attrs.field(factory=dict)
    reasons: tuple[Reason, ...] = ()
    upcoming: Upcoming | None = None
    paths: tuple[Step, ...] = ()
