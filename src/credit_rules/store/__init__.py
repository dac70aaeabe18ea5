"""The credit archive: an append-only store of subjects and records with their history.

`SqliteStore` keeps the archive in one SQLite file; `MemoryArchive` keeps the same
audit trail in memory, for tests and short-lived hosts. Both follow the `Store`
protocol of `credit_rules.store.base`, and both can back an `Engine` (whose own
default, `credit_rules.engine.MemoryStore`, keeps no audit trail).
"""

from credit_rules.store.base import (
    Conflict,
    Correction,
    Entry,
    HistoryEntry,
    ImportResult,
    Retraction,
    Store,
)
from credit_rules.store.memory import MemoryArchive
from credit_rules.store.sqlite import SqliteStore

__all__ = [
    "Conflict",
    "Correction",
    "Entry",
    "HistoryEntry",
    "ImportResult",
    "MemoryArchive",
    "Retraction",
    "SqliteStore",
    "Store",
]
