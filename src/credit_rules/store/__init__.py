"""The credit archive: an append-only store of subjects and records with their history.

`MemoryStore` is the library's default; `SqliteStore` keeps the archive in one
SQLite file. Both follow the `Store` protocol of `credit_rules.store.base`.
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
from credit_rules.store.memory import MemoryStore
from credit_rules.store.sqlite import SqliteStore

__all__ = [
    "Conflict",
    "Correction",
    "Entry",
    "HistoryEntry",
    "ImportResult",
    "MemoryStore",
    "Retraction",
    "SqliteStore",
    "Store",
]
