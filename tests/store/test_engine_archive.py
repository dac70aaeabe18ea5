import datetime as dt
from pathlib import Path

from credit_rules import Engine, load_policy
from credit_rules.generate import generate
from credit_rules.records import Record
from credit_rules.store import SqliteStore

POLICY = Path(__file__).parents[2] / "policies" / "huaian"
TODAY = dt.date(2026, 6, 30)


def test_engine_rebuilt_from_the_archive_assesses_the_same(tmp_path: Path) -> None:
    """An engine started from the archive grades every subject as one fed directly."""
    policy = load_policy(POLICY)
    items = list(generate(policy, 40, seed=3))
    with SqliteStore(tmp_path / "a.db") as store:
        store.append(items, by="clerk")
        from_archive = Engine(policy, store=store, today=TODAY)
        direct = Engine(policy, today=TODAY)
        direct.ingest(items)

        assert list(direct.assess_all(TODAY)) == list(from_archive.assess_all(TODAY))


def test_view_as_of_rebuilds_an_engine(tmp_path: Path) -> None:
    """The view of a date is what `Engine.ingest` takes to grade on that date."""
    policy = load_policy(POLICY)
    items = list(generate(policy, 20, seed=4))
    with SqliteStore(tmp_path / "a.db") as store:
        store.append(items, by="clerk")
        rebuilt = Engine(policy, today=TODAY)
        rebuilt.ingest(list(store.view(TODAY)))
        direct = Engine(policy, today=TODAY)
        direct.ingest(items)

        assert list(direct.assess_all(TODAY)) == list(rebuilt.assess_all(TODAY))


def test_engine_writes_corrections_through_as_history(tmp_path: Path) -> None:
    """A correction made through the engine is a new entry of the archive's trail."""
    policy = load_policy(POLICY)
    items = list(generate(policy, 1, seed=5))
    record = next(i for i in items if isinstance(i, Record) and i.type == "inspection")
    with SqliteStore(tmp_path / "a.db", by="inspector") as store:
        engine = Engine(policy, store=store, today=TODAY)
        engine.ingest(items)
        fixed = Record(
            record.id, record.subject, record.type, record.date, {"result": "problem"}
        )

        engine.correct(fixed)

        trail = store.history(record.subject)
        assert ("correction", record.id, "inspector") == (
            trail[-1].kind,
            trail[-1].id,
            trail[-1].by,
        )
        assert (record, fixed) == store.versions(record.id)
