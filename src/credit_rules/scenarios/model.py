"""What a scenario file says, once read and checked against a policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from credit_rules.records import Record, Subject


@attrs.frozen
class ExpectedRepair:
    """A repair option a checkpoint expects; an attribute left None is not checked.

    Attributes:
        record: The id of the record that could be repaired.
        rule: The rule whose class applies.
        repair_class: The class's name.
        available_from: The first day a repair could take effect.
        missing: The evidence types still missing.
        score_after: The score if the repair were granted.
        tier_after: The tier if the repair were granted.
    """

    record: str
    rule: str | None = None
    repair_class: str | None = None
    available_from: dt.date | None = None
    missing: tuple[str, ...] | None = None
    score_after: Decimal | None = None
    tier_after: str | None = None


@attrs.frozen
class Expected:
    """What a checkpoint expects; an attribute left None is not checked.

    `supervision` and `next_change` may rightly be expected to be None (no entry
    applies; nothing will change), so each has a flag saying whether it is checked.
    """

    score: Decimal | None = None
    tier: str | None = None
    lists: tuple[str, ...] | None = None
    effects: tuple[str, ...] | None = None
    supervision: str | None = None
    check_supervision: bool = False
    repair_options: tuple[ExpectedRepair, ...] | None = None
    next_change: dt.date | None = None
    check_next_change: bool = False


@attrs.frozen
class Checkpoint:
    """One `expect:` item: a subject's assessment on a date and what it must say.

    Attributes:
        on: The date assessed.
        subject: The subject's id.
        expected: What the assessment must say.
        line: The line of the item in its file.
    """

    on: dt.date
    subject: str
    expected: Expected
    line: int


@attrs.frozen
class Scenario:
    """One scenario: subjects, their records as corrected, retractions, checkpoints.

    Attributes:
        name: A short name, unique in its file.
        description: What the scenario shows, in Chinese and/or English.
        file: The YAML file it came from.
        line: The line where it starts.
        subjects: The subjects, by id.
        records: Every record, with corrections applied.
        first_versions: Every record as first entered, before corrections.
        entered: The day each record reached the archive, by id, where given.
        retractions: The day each retracted record was retracted, by id.
        checkpoints: The checkpoints, in file order.
    """

    name: str
    description: str
    file: str
    line: int
    subjects: Mapping[str, Subject]
    records: tuple[Record, ...]
    first_versions: tuple[Record, ...]
    entered: Mapping[str, dt.date]
    retractions: Mapping[str, dt.date]
    checkpoints: tuple[Checkpoint, ...]

    def view(self, subject: str, on: dt.date) -> tuple[Record, ...]:
        """Return the subject's records as an assessment on `on` sees them.

        Every record is seen, as corrected, except those retracted on or before
        `on` (docs/semantics.md, "The view as of a date").
        """
        return tuple(
            record
            for record in self.records
            if record.subject == subject and not self._retracted(record.id, on)
        )

    def _retracted(self, record_id: str, on: dt.date) -> bool:
        retracted = self.retractions.get(record_id)
        return retracted is not None and retracted <= on
