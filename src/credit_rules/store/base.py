"""The archive interface: an append-only credit archive (电子信用档案) with its history.

A `Store` keeps every subject and record ever appended, and every correction and
retraction as a new entry that points at what it changes, with who appended it
and when. Nothing is changed in place, so the trail of a subject can always be
shown and an assessment reproduced.

What the engine needs is `view(as_of)`: the subjects, then the records as last
corrected, leaving out those retracted on or before `as_of` (the view of
`docs/semantics.md`). Passing `known_at` limits the view to what had been
appended by then, which reproduces an assessment made on an earlier day.

Both stores here also offer what `credit_rules.Engine(policy, store=...)` calls
(`put_subject`, `put_record`, `put_retraction`, `subjects`, `records`,
`versions`, `record`, the protocol of `credit_rules.engine.store`), so an engine
writes through to the archive and starts from it; their writes go in as appends
by `store.by`, a known id with new values as a correction.

Appending is idempotent: an entry that is already there, with the same contents,
adds nothing. An id that is there with other contents is a `Conflict`: reported,
never applied. Each `append` is one transaction.

Example:
    >>> import datetime as dt
    >>> from credit_rules.records import Record, Subject
    >>> from credit_rules.store import MemoryArchive
    >>> store = MemoryArchive()
    >>> result = store.append(
    ...     [Subject("S-1", "enterprise"), Record("I-1", "S-1", "inspection", dt.date(2026, 1, 5))],
    ...     by="clerk",
    ... )
    >>> result.added, [item.id for item in store.view(dt.date(2026, 1, 31))]
    (2, ['S-1', 'I-1'])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Literal, Protocol

import attrs

from credit_rules.records import Record, Subject

__all__ = [
    "Conflict",
    "Correction",
    "Entry",
    "HistoryEntry",
    "ImportResult",
    "Retraction",
    "Store",
]


@attrs.frozen
class Correction:
    """A new version of a subject or record that replaces it in every view.

    Attributes:
        item: The corrected subject or record; its id names what it corrects.
        reason: Why, in the words of whoever corrects it.
    """

    item: Subject | Record
    reason: str = ""


@attrs.frozen
class Retraction:
    """A record withdrawn from the given day on, such as a penalty revoked on appeal.

    Attributes:
        record_id: The record withdrawn.
        on: The first day on which it no longer counts.
        reason: Why.
    """

    record_id: str
    on: dt.date
    reason: str = ""


Entry = Subject | Record | Correction | Retraction
"""What can be appended to a store."""


@attrs.frozen
class Conflict:
    """An entry that was not appended, and why.

    Attributes:
        id: The id of the subject or record concerned.
        reason: What is wrong, as a lowercase sentence that offers a fix.
        entry: The entry itself.
    """

    id: str
    reason: str
    entry: Entry = attrs.field(eq=False, repr=False)


@attrs.frozen
class ImportResult:
    """What one `append` did.

    Attributes:
        added: Entries added.
        unchanged: Entries that were already there, as they were.
        conflicts: Entries refused, with the reason.
    """

    added: int = 0
    unchanged: int = 0
    conflicts: tuple[Conflict, ...] = ()


HistoryKind = Literal["subject", "record", "correction", "retraction"]


@attrs.frozen
class HistoryEntry:
    """One line of a subject's audit trail.

    Attributes:
        kind: What was appended.
        id: The subject's or record's id.
        at: When it was appended (UTC).
        by: Who appended it.
        source: Where it came from, such as the file of an import, if known.
        summary: What it says, for a person to read: the record's type and
            date, a correction's reason, a retraction's day.
    """

    kind: HistoryKind
    id: str
    at: dt.datetime
    by: str
    source: str | None
    summary: str


ConflictSink = Callable[[Conflict], None]


class Store(Protocol):
    """An append-only archive of subjects and records with their history."""

    def append(
        self,
        entries: Iterable[Entry],
        *,
        by: str,
        source: str | None = None,
        at: dt.datetime | None = None,
        on_conflict: ConflictSink | None = None,
    ) -> ImportResult:
        """Append entries in one transaction; all of them or, on failure, none.

        Args:
            entries: Subjects, records, corrections and retractions, in order;
                a record's subject must be appended before it or be there.
            by: Who appends them, kept with every entry.
            source: Where they come from, kept with every entry.
            at: When, in UTC; now by default.
            on_conflict: Called with each conflict as it is found, while
                `entries` is still at that entry.

        Returns:
            How many entries were added, unchanged or refused.
        """
        ...

    def view(
        self, as_of: dt.date, *, known_at: dt.datetime | None = None
    ) -> Iterator[Subject | Record]:
        """Yield the subjects, then the records as last corrected, that count on `as_of`.

        Every record counts except those retracted on or before `as_of`.

        Args:
            as_of: The date of the view.
            known_at: Only what was appended by then; everything when None.
        """
        ...

    def retractions(
        self, *, known_at: dt.datetime | None = None
    ) -> Iterator[Retraction]:
        """Yield the retraction in force for each retracted record: the last appended."""
        ...

    def history(self, subject_id: str) -> list[HistoryEntry]:
        """The audit trail of one subject and its records, in the order appended."""
        ...

    def close(self) -> None:
        """Release what the store holds open."""
        ...
