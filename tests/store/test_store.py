import datetime as dt
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from credit_rules.errors import DataError
from credit_rules.records import Record, Subject
from credit_rules.store import (
    Conflict,
    Correction,
    Entry,
    MemoryArchive,
    Retraction,
    SqliteStore,
    Store,
)

FARM = Subject("S-1", "family_farm", {"name": "绿源家庭农场"})
COOP = Subject("S-2", "cooperative", {"name": "果蔬合作社"})
TEST = Record("T-1", "S-1", "sampling_test", dt.date(2025, 3, 1), {"result": "fail"})
PENALTY = Record(
    "P-1",
    "S-1",
    "penalty",
    dt.date(2025, 4, 1),
    {"severity": "general", "fine": Decimal("2000.50")},
)
MONDAY = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
TUESDAY = dt.datetime(2026, 1, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each test runs on the in-memory store and on a SQLite file."""
    made: Store = (
        MemoryArchive() if request.param == "memory" else SqliteStore(tmp_path / "a.db")
    )
    yield made
    made.close()


def _view(
    store: Store, as_of: dt.date, **kwargs: dt.datetime
) -> list[Subject | Record]:
    return list(store.view(as_of, **kwargs))


def test_appended_items_make_the_view(store: Store) -> None:
    """Subjects come first, then records, each exactly as appended, values typed."""
    result = store.append([FARM, TEST, PENALTY], by="clerk")

    assert (3, 0, ()) == (result.added, result.unchanged, result.conflicts)
    assert [FARM, TEST, PENALTY] == _view(store, dt.date(2026, 1, 1))


def test_appending_again_adds_nothing(store: Store) -> None:
    """The same entries twice leave the archive and its trail as after the first."""
    store.append([FARM, TEST], by="clerk", at=MONDAY)

    again = store.append([FARM, TEST], by="clerk", at=TUESDAY)

    assert (0, 2) == (again.added, again.unchanged)
    assert 2 == len(store.history("S-1"))


def test_same_id_other_contents_is_a_conflict(store: Store) -> None:
    """A record id already there with other contents is reported, not replaced."""
    store.append([FARM, TEST], by="clerk")
    changed = Record(
        "T-1", "S-1", "sampling_test", dt.date(2025, 3, 1), {"result": "pass"}
    )
    seen: list[Conflict] = []

    result = store.append([changed, PENALTY], by="clerk", on_conflict=seen.append)

    assert ["T-1"] == [c.id for c in result.conflicts]
    assert "append a correction" in result.conflicts[0].reason
    assert list(result.conflicts) == seen
    assert [FARM, TEST, PENALTY] == _view(store, dt.date(2026, 1, 1))


def test_record_of_unknown_subject_is_a_conflict(store: Store) -> None:
    """A record whose subject was never appended is refused by name."""
    result = store.append([TEST], by="clerk")

    assert 1 == len(result.conflicts)
    assert "subject `S-1`" in result.conflicts[0].reason
    assert [] == _view(store, dt.date(2026, 1, 1))


def test_correction_replaces_in_every_view(store: Store) -> None:
    """A correction is the record in views of any date; the original stays in the trail."""
    store.append([FARM, PENALTY], by="clerk", at=MONDAY)
    fixed = Record(
        "P-1",
        "S-1",
        "penalty",
        dt.date(2025, 4, 1),
        {"severity": "minor", "fine": Decimal(500)},
    )

    result = store.append([Correction(fixed, "wrong class")], by="chief", at=TUESDAY)

    assert 1 == result.added
    assert [FARM, fixed] == _view(store, dt.date(2025, 4, 2))
    trail = store.history("S-1")
    assert ["subject", "record", "correction"] == [h.kind for h in trail]
    assert ("chief", TUESDAY) == (trail[-1].by, trail[-1].at)
    assert "wrong class" in trail[-1].summary


def test_same_correction_twice_adds_nothing(store: Store) -> None:
    """A correction equal to the version in force is unchanged."""
    store.append([FARM, PENALTY], by="clerk")

    result = store.append([Correction(PENALTY)], by="clerk")

    assert (0, 1) == (result.added, result.unchanged)


def test_correction_of_missing_record_is_a_conflict(store: Store) -> None:
    """Nothing can be corrected that is not in the archive."""
    store.append([FARM], by="clerk")

    result = store.append([Correction(TEST)], by="clerk")

    assert "no record `T-1` to correct" in result.conflicts[0].reason


def test_retraction_removes_from_that_day_on(store: Store) -> None:
    """A retracted record is in views before its day and absent from it on."""
    store.append([FARM, PENALTY], by="clerk")

    store.append(
        [Retraction("P-1", dt.date(2025, 9, 1), "revoked on appeal")], by="chief"
    )

    assert [FARM, PENALTY] == _view(store, dt.date(2025, 8, 31))
    assert [FARM] == _view(store, dt.date(2025, 9, 1))
    assert [("P-1", dt.date(2025, 9, 1))] == list(store.retractions())
    assert "retracted from 2025-09-01" in store.history("S-1")[-1].summary


def test_retraction_of_missing_record_is_a_conflict(store: Store) -> None:
    """A retraction must point at a record of the archive."""
    result = store.append([Retraction("X-1", dt.date(2025, 9, 1))], by="chief")

    assert "no record `X-1`" in result.conflicts[0].reason


def test_known_at_reproduces_an_earlier_day(store: Store) -> None:
    """A view known at Monday ignores what was appended on Tuesday."""
    store.append([FARM, PENALTY], by="clerk", at=MONDAY)
    fixed = Record("P-1", "S-1", "penalty", dt.date(2025, 4, 1), {"severity": "minor"})
    store.append([COOP, Correction(fixed)], by="clerk", at=TUESDAY)

    before = _view(store, dt.date(2026, 1, 1), known_at=MONDAY + dt.timedelta(hours=1))

    assert [FARM, PENALTY] == before
    assert [FARM, COOP, fixed] == _view(store, dt.date(2026, 1, 1))


def test_history_is_the_subjects_only(store: Store) -> None:
    """A subject's trail holds its own entries with who, when and where from."""
    store.append([FARM, COOP, TEST], by="clerk", source="records.csv", at=MONDAY)

    trail = store.history("S-1")

    assert [("subject", "S-1"), ("record", "T-1")] == [(h.kind, h.id) for h in trail]
    assert {("clerk", "records.csv", MONDAY)} == {(h.by, h.source, h.at) for h in trail}
    assert "sampling_test of 2025-03-01" == trail[1].summary


def test_a_failing_append_leaves_nothing(store: Store) -> None:
    """An append interrupted by an error rolls back all of its entries."""
    store.append([FARM], by="clerk")

    def entries() -> Iterator[Entry]:
        yield COOP
        yield TEST
        raise RuntimeError("the source went away")

    with pytest.raises(RuntimeError):
        store.append(entries(), by="clerk")

    assert [FARM] == _view(store, dt.date(2026, 1, 1))
    assert 1 == len(store.history("S-1"))


def test_who_must_be_named(store: Store) -> None:
    """An append without anyone responsible is refused."""
    with pytest.raises(ValueError, match="`by`"):
        store.append([FARM], by=" ")


def test_sqlite_archive_survives_reopening(tmp_path: Path) -> None:
    """What one process appended, the next one reads back the same."""
    with SqliteStore(tmp_path / "a.db") as first:
        first.append([FARM, TEST, PENALTY], by="clerk")

    with SqliteStore(tmp_path / "a.db") as second:
        assert [FARM, TEST, PENALTY] == list(second.view(dt.date(2026, 1, 1)))
        assert "ok" == second.integrity()


def test_sqlite_refuses_update_and_delete(tmp_path: Path) -> None:
    """The archive's tables cannot be changed in place, even with SQL."""
    with SqliteStore(tmp_path / "a.db") as store:
        store.append([FARM], by="clerk")

    db = sqlite3.connect(tmp_path / "a.db")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE entries SET body = '{}'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM imports")
    db.close()


def test_sqlite_is_in_wal_mode(tmp_path: Path) -> None:
    """The archive file uses write-ahead logging."""
    SqliteStore(tmp_path / "a.db").close()

    db = sqlite3.connect(tmp_path / "a.db")
    assert "wal" == db.execute("PRAGMA journal_mode").fetchone()[0]
    db.close()


def test_not_an_archive_is_a_data_error(tmp_path: Path) -> None:
    """A file that is not a database is refused with a clear error."""
    path = tmp_path / "a.db"
    path.write_text("not a database, just text " * 100)

    with pytest.raises(DataError, match="not a credit archive"):
        SqliteStore(path)
