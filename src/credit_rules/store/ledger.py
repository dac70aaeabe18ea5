"""What appending means, written once for every store.

`Ledger.append` decides for each entry whether it is new, already there or a
conflict; a store supplies the few primitives it needs (look up the versions of
an id, write one entry, run a transaction), so that the in-memory store and the
SQLite store cannot come to disagree.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator

from credit_rules.errors import RecordError
from credit_rules.records import Record, Subject
from credit_rules.store import encoding
from credit_rules.store.base import (
    Conflict,
    ConflictSink,
    Correction,
    Entry,
    HistoryKind,
    ImportResult,
    Retraction,
)

__all__ = [
    "Ledger",
    "Target",
    "as_utc",
    "history_kind",
    "latest",
    "summarize",
    "utc_now",
]

Target = str
"""`subject` or `record`: which kind of id an entry is about."""


def utc_now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def as_utc(at: dt.datetime | None) -> dt.datetime:
    """`at` in UTC, now when None; a naive time is taken to be UTC already."""
    if at is None:
        return utc_now()
    if at.tzinfo is None:
        return at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC)


class Ledger(abc.ABC):
    """The common part of every store: appending with idempotence and conflicts."""

    @abc.abstractmethod
    def _transaction(self) -> contextlib.AbstractContextManager[None]:
        """A transaction that commits on leaving and rolls back on an exception."""

    @abc.abstractmethod
    def _versions(self, target: Target, id: str) -> list[str] | None:
        """The digests of the original and each correction, oldest first.

        None when the id is not in the archive.
        """

    @abc.abstractmethod
    def _retracted_on(self, record_id: str) -> dt.date | None:
        """The day of the retraction in force for a record, if any."""

    @abc.abstractmethod
    def _subject_of(self, record_id: str) -> str:
        """The subject of a record that is in the archive, as last corrected."""

    @abc.abstractmethod
    def _write(
        self,
        kind: str,
        target: Target,
        id: str,
        subject: str,
        body: str,
        digest: str,
        reason: str,
    ) -> None:
        """Append one entry to the current import."""

    @abc.abstractmethod
    def _begin_import(self, at: dt.datetime, by: str, source: str | None) -> None:
        """Note the import that the following writes belong to."""

    @abc.abstractmethod
    def _latest(
        self, target: Target, known_at: dt.datetime | None
    ) -> Iterator[tuple[str, str]]:
        """Yield (id, body) of the newest version of each id, in first-appended order."""

    @abc.abstractmethod
    def _bodies(self, target: Target, id: str) -> list[str]:
        """The bodies of the original and each correction of an id, oldest first."""

    @abc.abstractmethod
    def retractions(
        self, *, known_at: dt.datetime | None = None
    ) -> Iterator[tuple[str, dt.date]]:
        """Yield (record id, day) of the retraction in force for each record."""

    # ---- what `Engine(policy, store=...)` calls ------------------------------------

    by: str = "credit-rules engine"
    """Who the engine's own writes are kept as having been made by."""

    def put_subject(self, subject: Subject) -> None:
        """Keep a subject, or a correction of it when it is there with other values."""
        self._put(subject)

    def put_record(self, record: Record) -> None:
        """Keep a record, or a correction of it when it is there with other values."""
        self._put(record)

    def put_retraction(self, record_id: str, on: dt.date) -> None:
        """Keep that a record is retracted from a day on."""
        self._raise_on_conflict(self.append([Retraction(record_id, on)], by=self.by))

    def subjects(self) -> Iterator[Subject]:
        """Every subject in its last version, in the order first appended."""
        for _, body in self._latest("subject", None):
            item = encoding.decode(body)
            assert isinstance(item, Subject)
            yield item

    def records(self) -> Iterator[Record]:
        """Every record in its last version, retracted ones included."""
        for _, body in self._latest("record", None):
            item = encoding.decode(body)
            assert isinstance(item, Record)
            yield item

    def versions(self, record_id: str) -> tuple[Record, ...]:
        """Every version of a record, oldest first; empty for an unknown id."""
        items = [encoding.decode(body) for body in self._bodies("record", record_id)]
        return tuple(item for item in items if isinstance(item, Record))

    def record(self, record_id: str) -> Record | None:
        """The last version of a record, or None."""
        versions = self.versions(record_id)
        return versions[-1] if versions else None

    def view(
        self, as_of: dt.date, *, known_at: dt.datetime | None = None
    ) -> Iterator[Subject | Record]:
        """Yield the subjects, then the records as last corrected, that count on `as_of`."""
        retracted = {
            rid for rid, on in self.retractions(known_at=known_at) if on <= as_of
        }
        for _, body in self._latest("subject", known_at):
            yield encoding.decode(body)
        for id, body in self._latest("record", known_at):
            if id not in retracted:
                yield encoding.decode(body)

    def _put(self, item: Subject | Record) -> None:
        known = self._versions(_target(item), item.id) is not None
        entry: Entry = (
            Correction(item, "corrected through the engine") if known else item
        )
        self._raise_on_conflict(self.append([entry], by=self.by))

    @staticmethod
    def _raise_on_conflict(result: ImportResult) -> None:
        if result.conflicts:
            conflict = result.conflicts[0]
            raise RecordError(conflict.reason, record_id=conflict.id)

    def append(
        self,
        entries: Iterable[Entry],
        *,
        by: str,
        source: str | None = None,
        at: dt.datetime | None = None,
        on_conflict: ConflictSink | None = None,
    ) -> ImportResult:
        """Append entries in one transaction; see `Store.append`."""
        if not by.strip():
            raise ValueError(
                "`by` must name who appends; an archive keeps who did what"
            )
        when = as_utc(at)
        added = unchanged = 0
        conflicts: list[Conflict] = []
        with self._transaction():
            started = False
            for entry in entries:
                problem, change = self._decide(entry)
                if problem is not None:
                    conflict = Conflict(_id_of(entry), problem, entry)
                    conflicts.append(conflict)
                    if on_conflict is not None:
                        on_conflict(conflict)
                    continue
                if change is None:
                    unchanged += 1
                    continue
                if not started:
                    self._begin_import(when, by, source)
                    started = True
                self._write(*change)
                added += 1
        return ImportResult(added, unchanged, tuple(conflicts))

    def _decide(
        self, entry: Entry
    ) -> tuple[str | None, tuple[str, Target, str, str, str, str, str] | None]:
        """Return (conflict reason, None), (None, None) for unchanged, or the write."""
        if isinstance(entry, Subject | Record):
            return self._decide_original(entry)
        if isinstance(entry, Correction):
            return self._decide_correction(entry)
        return self._decide_retraction(entry)

    def _decide_original(
        self, item: Subject | Record
    ) -> tuple[str | None, tuple[str, Target, str, str, str, str, str] | None]:
        target = _target(item)
        body = encoding.encode(item)
        digest = encoding.digest(body)
        versions = self._versions(target, item.id)
        if versions is not None:
            if digest in versions:
                return None, None
            return (
                f"{target} `{item.id}` is in the archive with other contents; "
                "append a correction to change it",
                None,
            )
        subject = item.id if isinstance(item, Subject) else item.subject
        missing = self._missing_subject(item)
        if missing:
            return missing, None
        return None, (target, target, item.id, subject, body, digest, "")

    def _decide_correction(
        self, correction: Correction
    ) -> tuple[str | None, tuple[str, Target, str, str, str, str, str] | None]:
        item = correction.item
        target = _target(item)
        versions = self._versions(target, item.id)
        if versions is None:
            return f"there is no {target} `{item.id}` to correct; append it first", None
        missing = self._missing_subject(item)
        if missing:
            return missing, None
        body = encoding.encode(item)
        digest = encoding.digest(body)
        if versions[-1] == digest:
            return None, None
        subject = item.id if isinstance(item, Subject) else item.subject
        change = (
            "correction",
            target,
            item.id,
            subject,
            body,
            digest,
            correction.reason,
        )
        return None, change

    def _decide_retraction(
        self, retraction: Retraction
    ) -> tuple[str | None, tuple[str, Target, str, str, str, str, str] | None]:
        record_id = retraction.record_id
        if self._versions("record", record_id) is None:
            return f"there is no record `{record_id}` to retract", None
        if self._retracted_on(record_id) == retraction.on:
            return None, None
        body = retraction.on.isoformat()
        subject = self._subject_of(record_id)
        change = (
            "retraction",
            "record",
            record_id,
            subject,
            body,
            body,
            retraction.reason,
        )
        return None, change

    def _missing_subject(self, item: Subject | Record) -> str | None:
        if (
            isinstance(item, Subject)
            or self._versions("subject", item.subject) is not None
        ):
            return None
        return (
            f"subject `{item.subject}` of record `{item.id}` is not in the archive; "
            "append the subject first"
        )


def _target(item: Subject | Record) -> Target:
    return "subject" if isinstance(item, Subject) else "record"


def _id_of(entry: Entry) -> str:
    if isinstance(entry, Retraction):
        return entry.record_id
    if isinstance(entry, Correction):
        return entry.item.id
    return entry.id


def latest(items: Iterable[tuple[str, str]]) -> Iterator[str]:
    """Yield the last body given for each id, in the order ids first appear."""
    bodies: dict[str, str] = {}
    for id, body in items:
        bodies[id] = body
    yield from bodies.values()


def history_kind(kind: str) -> HistoryKind:
    """The kind of a stored entry, as the trail names it."""
    if kind == "subject":
        return "subject"
    if kind == "record":
        return "record"
    return "correction" if kind == "correction" else "retraction"


def summarize(kind: str, body: str, reason: str) -> str:
    """Say in a few words what an entry of the trail holds."""
    because = f"; {reason}" if reason else ""
    if kind == "retraction":
        return f"retracted from {body}{because}"
    item = encoding.decode(body)
    if isinstance(item, Subject):
        what = f"subject ({item.kind})"
    else:
        what = f"{item.type} of {item.date.isoformat()}"
    return f"corrected: {what}{because}" if kind == "correction" else what
