"""The embedded archive: one SQLite file, append-only, with its audit trail.

Every subject, record, correction and retraction is one row of `entries`, and
every append that changed something one row of `imports` saying who and when.
Triggers refuse any `UPDATE` or `DELETE` of either table, so that nothing is ever
changed in place. The database runs in WAL mode and each append is one
transaction: a process killed at any moment leaves the archive as it was before
the append or as it is after, never between.

Example:
    >>> import datetime as dt
    >>> from credit_rules.records import Subject
    >>> store = SqliteStore(":memory:")
    >>> store.append([Subject("S-1", "cooperative")], by="clerk").added
    1
    >>> store.append([Subject("S-1", "cooperative")], by="clerk").added
    0
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator

from credit_rules.errors import DataError
from credit_rules.store.base import HistoryEntry
from credit_rules.store.ledger import Ledger, Target, as_utc, history_kind, summarize

__all__ = ["SCHEMA_VERSION", "SqliteStore"]

SCHEMA_VERSION = 1
"""Kept in `PRAGMA user_version`; an archive of another version is refused."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    source TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports (id),
    kind TEXT NOT NULL CHECK (kind IN ('subject', 'record', 'correction', 'retraction')),
    target TEXT NOT NULL CHECK (target IN ('subject', 'record')),
    id TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    digest TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS entries_original
    ON entries (target, id) WHERE kind IN ('subject', 'record');
CREATE INDEX IF NOT EXISTS entries_by_id ON entries (target, id, seq);
CREATE INDEX IF NOT EXISTS entries_by_subject ON entries (subject, seq);
CREATE TRIGGER IF NOT EXISTS imports_append_only_u BEFORE UPDATE ON imports
    BEGIN SELECT RAISE (ABORT, 'the archive is append-only'); END;
CREATE TRIGGER IF NOT EXISTS imports_append_only_d BEFORE DELETE ON imports
    BEGIN SELECT RAISE (ABORT, 'the archive is append-only'); END;
CREATE TRIGGER IF NOT EXISTS entries_append_only_u BEFORE UPDATE ON entries
    BEGIN SELECT RAISE (ABORT, 'the archive is append-only'); END;
CREATE TRIGGER IF NOT EXISTS entries_append_only_d BEFORE DELETE ON entries
    BEGIN SELECT RAISE (ABORT, 'the archive is append-only'); END;
"""

# The newest version of each id of one target, known by a time, in the order
# the ids were first appended.
_LATEST = """
WITH versions AS (
    SELECT e.id, e.body, e.seq,
           row_number() OVER (PARTITION BY e.id ORDER BY e.seq DESC) AS newest,
           min(e.seq) OVER (PARTITION BY e.id) AS first
    FROM entries e JOIN imports i ON i.id = e.import_id
    WHERE e.target = :target AND e.kind != 'retraction' AND i.at <= :known
)
SELECT id, body FROM versions WHERE newest = 1 ORDER BY first
"""

_RETRACTIONS = """
WITH latest AS (
    SELECT e.id, e.body,
           row_number() OVER (PARTITION BY e.id ORDER BY e.seq DESC) AS newest,
           min(e.seq) OVER (PARTITION BY e.id) AS first
    FROM entries e JOIN imports i ON i.id = e.import_id
    WHERE e.kind = 'retraction' AND i.at <= :known
)
SELECT id, body FROM latest WHERE newest = 1 ORDER BY first
"""

_FOREVER = "9999-12-31T23:59:59.999999+00:00"


def _stamp(at: dt.datetime) -> str:
    """A UTC time as fixed-width text, so that text order is time order."""
    return as_utc(at).isoformat(timespec="microseconds")


class SqliteStore(Ledger):
    """An archive in one SQLite file; see `credit_rules.store.base` for the meaning.

    Args:
        path: The database file, made if missing; `:memory:` for a scratch one.
        by: Who the writes of an engine using this store are kept as made by.

    Raises:
        DataError: If the file is not an archive this version can read.
    """

    def __init__(self, path: str | os.PathLike[str], *, by: str | None = None) -> None:
        self.path = os.fspath(path)
        if by is not None:
            self.by = by
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._prepare()
        except sqlite3.DatabaseError as error:
            raise DataError(
                f"`{self.path}` is not a credit archive: {error}"
            ) from error
        self._import_id: int | None = None

    def _prepare(self) -> None:
        self._db.execute("PRAGMA journal_mode = WAL")
        # FULL makes every commit durable, as a legal record needs.
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise DataError(
                f"`{self.path}` is an archive of schema version {version}; this "
                f"version of credit-rules reads version {SCHEMA_VERSION}"
            )
        self._db.executescript(
            f"BEGIN; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock at once, so that two importers queue
        # instead of failing half way.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._import_id = None

    def _versions(self, target: Target, id: str) -> list[str] | None:
        rows = self._db.execute(
            "SELECT digest FROM entries WHERE target = ? AND id = ? "
            "AND kind != 'retraction' ORDER BY seq",
            (target, id),
        ).fetchall()
        return [r[0] for r in rows] or None

    def _retracted_on(self, record_id: str) -> dt.date | None:
        row = self._db.execute(
            "SELECT body FROM entries WHERE target = 'record' AND id = ? "
            "AND kind = 'retraction' ORDER BY seq DESC LIMIT 1",
            (record_id,),
        ).fetchone()
        return dt.date.fromisoformat(row[0]) if row else None

    def _subject_of(self, record_id: str) -> str:
        row = self._db.execute(
            "SELECT subject FROM entries WHERE target = 'record' AND id = ? "
            "AND kind != 'retraction' ORDER BY seq DESC LIMIT 1",
            (record_id,),
        ).fetchone()
        return str(row[0])

    def _begin_import(self, at: dt.datetime, by: str, source: str | None) -> None:
        cursor = self._db.execute(
            "INSERT INTO imports (at, by, source) VALUES (?, ?, ?)",
            (_stamp(at), by, source),
        )
        self._import_id = cursor.lastrowid

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
        self._db.execute(
            "INSERT INTO entries (import_id, kind, target, id, subject, body, digest, "
            "reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self._import_id, kind, target, id, subject, body, digest, reason),
        )

    def _latest(
        self, target: Target, known_at: dt.datetime | None
    ) -> Iterator[tuple[str, str]]:
        known = _FOREVER if known_at is None else _stamp(known_at)
        yield from self._db.execute(_LATEST, {"target": target, "known": known})

    def _bodies(self, target: Target, id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT body FROM entries WHERE target = ? AND id = ? "
            "AND kind != 'retraction' ORDER BY seq",
            (target, id),
        )
        return [r[0] for r in rows]

    def retractions(
        self, *, known_at: dt.datetime | None = None
    ) -> Iterator[tuple[str, dt.date]]:
        """Yield (record id, day) of the retraction in force for each record."""
        known = _FOREVER if known_at is None else _stamp(known_at)
        for id, body in self._db.execute(_RETRACTIONS, {"known": known}):
            yield id, dt.date.fromisoformat(body)

    def history(self, subject_id: str) -> list[HistoryEntry]:
        """The audit trail of one subject and its records, in the order appended."""
        rows = self._db.execute(
            "SELECT e.kind, e.id, i.at, i.by, i.source, e.body, e.reason "
            "FROM entries e JOIN imports i ON i.id = e.import_id "
            "WHERE e.subject = ? ORDER BY e.seq",
            (subject_id,),
        )
        return [
            HistoryEntry(
                history_kind(kind),
                id,
                dt.datetime.fromisoformat(at),
                by,
                source,
                summarize(kind, body, reason),
            )
            for kind, id, at, by, source, body, reason in rows
        ]

    def counts(self) -> dict[str, int]:
        """How many entries of each kind, and imports, the archive holds."""
        counts = {
            "imports": self._db.execute("SELECT count(*) FROM imports").fetchone()[0]
        }
        for kind, count in self._db.execute(
            "SELECT kind, count(*) FROM entries GROUP BY kind"
        ):
            counts[kind] = count
        return counts

    def integrity(self) -> str:
        """The result of `PRAGMA integrity_check`: `ok` for a sound file."""
        return str(self._db.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        """Close the database file."""
        self._db.close()

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
