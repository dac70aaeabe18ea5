"""The in-memory archive: the audit trail of `SqliteStore`, gone when the process ends."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import attrs

from credit_rules.store.base import HistoryEntry
from credit_rules.store.ledger import Ledger, Target, as_utc, history_kind, summarize

__all__ = ["MemoryArchive"]


@attrs.frozen
class _Row:
    kind: str
    target: Target
    id: str
    subject: str
    body: str
    digest: str
    reason: str
    at: dt.datetime
    by: str
    source: str | None


class MemoryArchive(Ledger):
    """An append-only store held in lists and dicts; see `credit_rules.store.base`."""

    def __init__(self) -> None:
        self._rows: list[_Row] = []
        self._by_id: dict[tuple[Target, str], list[int]] = {}
        self._import: tuple[dt.datetime, str, str | None] | None = None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        size = len(self._rows)
        try:
            yield
        except BaseException:
            # Undo this import only: the rows after `size` are its own.
            for row in self._rows[size:]:
                self._by_id[(row.target, row.id)].pop()
            del self._rows[size:]
            raise
        finally:
            self._import = None

    def _versions(self, target: Target, id: str) -> list[str] | None:
        rows = [self._rows[i] for i in self._by_id.get((target, id), ())]
        versions = [r.digest for r in rows if r.kind != "retraction"]
        return versions or None

    def _retracted_on(self, record_id: str) -> dt.date | None:
        rows = [self._rows[i] for i in self._by_id.get(("record", record_id), ())]
        days = [r.body for r in rows if r.kind == "retraction"]
        return dt.date.fromisoformat(days[-1]) if days else None

    def _subject_of(self, record_id: str) -> str:
        rows = [self._rows[i] for i in self._by_id[("record", record_id)]]
        return [r.subject for r in rows if r.kind != "retraction"][-1]

    def _begin_import(self, at: dt.datetime, by: str, source: str | None) -> None:
        self._import = (at, by, source)

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
        assert self._import is not None, "writes belong to an import"
        at, by, source = self._import
        row = _Row(kind, target, id, subject, body, digest, reason, at, by, source)
        self._by_id.setdefault((target, id), []).append(len(self._rows))
        self._rows.append(row)

    def _latest(
        self, target: Target, known_at: dt.datetime | None
    ) -> Iterator[tuple[str, str]]:
        latest: dict[str, str] = {}
        for row in self._known(known_at):
            if row.target == target and row.kind != "retraction":
                latest[row.id] = row.body
        yield from latest.items()

    def _bodies(self, target: Target, id: str) -> list[str]:
        rows = [self._rows[i] for i in self._by_id.get((target, id), ())]
        return [r.body for r in rows if r.kind != "retraction"]

    def retractions(
        self, *, known_at: dt.datetime | None = None
    ) -> Iterator[tuple[str, dt.date]]:
        """Yield (record id, day) of the retraction in force for each record."""
        latest: dict[str, str] = {}
        for row in self._known(known_at):
            if row.kind == "retraction":
                latest[row.id] = row.body
        for id, body in latest.items():
            yield id, dt.date.fromisoformat(body)

    def history(self, subject_id: str) -> list[HistoryEntry]:
        """The audit trail of one subject and its records, in the order appended."""
        return [
            HistoryEntry(history_kind(r.kind), r.id, r.at, r.by, r.source, _summary(r))
            for r in self._rows
            if r.subject == subject_id
        ]

    def close(self) -> None:
        """Nothing to release."""

    def _known(self, known_at: dt.datetime | None) -> list[_Row]:
        if known_at is None:
            return self._rows
        limit = as_utc(known_at)
        return [r for r in self._rows if r.at <= limit]


def _summary(row: _Row) -> str:
    return summarize(row.kind, row.body, row.reason)
