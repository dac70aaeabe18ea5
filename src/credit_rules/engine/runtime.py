"""The live engine: subjects graded as records arrive and as time passes.

An `Engine` holds, for every subject, the value of every node of the compiled
policy as a timeline over all dates (see `credit_rules.engine.state`). An event
touches one subject and, in it, only the nodes downstream of the record types it
changes, stopping where a node's value comes out unchanged. Time passing changes
no value (the timelines already say what happens when); `advance` only moves the
current date and tells subscribers what changed on the way, visiting just the
subjects with a change due, from a priority queue of their next change dates.

Example:
    >>> import datetime as dt
    >>> engine = Engine(policy, today=dt.date(2026, 3, 1))  # doctest: +SKIP
    >>> engine.ingest([Subject("S-1", "enterprise", {...})])  # doctest: +SKIP
    >>> engine.assess("S-1").tier  # doctest: +SKIP
    'B'
"""

from __future__ import annotations

import datetime as dt
import heapq
import pickle
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from credit_rules.dsl.policy import Policy
from credit_rules.engine import dates
from credit_rules.engine.assessing import Reader
from credit_rules.engine.assessment import Assessment
from credit_rules.engine.changes import Change, Decision
from credit_rules.engine.compiler import compile_policy
from credit_rules.engine.explanation import Explanation, decide, explain
from credit_rules.engine.ingesting import Batch, prepare_batch
from credit_rules.engine.kernels import Program
from credit_rules.engine.notifying import cause_at, outputs_at
from credit_rules.engine.plan import ALL_TYPES, Plan
from credit_rules.engine.shapes import RecordShapes
from credit_rules.engine.sharing import compact
from credit_rules.engine.state import SubjectState, new_state, update
from credit_rules.engine.store import MemoryStore, Store
from credit_rules.errors import DataError, RecordError, UsageError
from credit_rules.records import Record, Subject

Subscriber = Callable[[Change], None]

SNAPSHOT_FORMAT = 1
"""The version of the snapshot layout; restore refuses any other."""


class Engine:
    """Grades subjects by a policy, incrementally, as records arrive.

    Args:
        policy: The checked policy, or a `Plan` compiled from it.
        store: The archive to write through to and, if it holds one, to start
            from; an in-memory store by default.
        today: The engine's current date. Without it, the system's date when
            the engine starts; `advance` moves it forward.

    Attributes:
        plan: The compiled policy.
        recomputed: How many times each node (by name) has been recomputed.
        last_recomputed: The names of the nodes the last event recomputed, in
            order, once per segment of the subject's views.
    """

    def __init__(
        self,
        policy: Policy | Plan,
        store: Store | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        self.plan = policy if isinstance(policy, Plan) else compile_policy(policy)
        self.policy: Policy = self.plan.policy
        self._program = Program(self.plan)
        self._reader = Reader(self._program)
        self._shapes = RecordShapes(self.policy)
        self._today = (today or dt.date.today()).toordinal()
        self._states: dict[str, SubjectState] = {}
        self._subscribers: list[Subscriber] = []
        self._due: list[tuple[int, str]] = []
        # The positions the last event recomputed, a run per segment updated.
        # A new subject's run is every position: one shared range for all of
        # them keeps a bulk ingest's record small.
        self._recomputed: list[Sequence[int]] = []
        self._every_position = range(len(self.plan.nodes))
        self._sources = dict(self.plan.sources)
        self._counts = [0] * len(self.plan.nodes)
        self.store: Store = store if store is not None else MemoryStore()
        self._load(self.store)

    # ---- reading -------------------------------------------------------------------

    @property
    def today(self) -> dt.date:
        """The engine's current date: the default date of every question."""
        return dates.to_date(self._today)

    @property
    def recomputed(self) -> dict[str, int]:
        """How many times each node has been recomputed, by node name."""
        nodes = self.plan.nodes
        return {nodes[p].name: count for p, count in enumerate(self._counts) if count}

    @property
    def last_recomputed(self) -> tuple[str, ...]:
        """The names of the nodes that the last event recomputed, in order."""
        nodes = self.plan.nodes
        return tuple(nodes[p].name for run in self._recomputed for p in run)

    def subjects(self) -> Iterator[str]:
        """Return the ids of the subjects, in the order they were first ingested."""
        return iter(self._states)

    def records(self, subject_id: str) -> tuple[Record, ...]:
        """Return a subject's records, last versions, retracted ones included."""
        return tuple(self._state(subject_id).records)

    def retractions(self, subject_id: str) -> dict[str, dt.date]:
        """Return the retraction date of each retracted record of a subject."""
        retracted = self._state(subject_id).retracted or {}
        return {record_id: dates.to_date(day) for record_id, day in retracted.items()}

    def assess(self, subject_id: str, as_of: dt.date | None = None) -> Assessment:
        """Return a subject's assessment as of a date (the engine's `today` by default).

        Raises:
            UsageError: If the subject is unknown.
        """
        state = self._state(subject_id)
        day = self._day(as_of)
        segment = state.segment_at(day)
        return self._reader.assess(state.view(segment), segment.values, day)

    def assess_all(self, as_of: dt.date | None = None) -> Iterator[Assessment]:
        """Assess every subject as of one date, in the order they were ingested.

        This reads the values the engine already holds; it gives exactly what
        `assess` gives subject by subject.
        """
        day = self._day(as_of)
        assess = self._reader.assess
        for state in self._states.values():
            segment = state.segment_at(day)
            yield assess(state.view(segment), segment.values, day)

    def explain(self, subject_id: str, as_of: dt.date | None = None) -> Explanation:
        """Return why a subject's assessment is what it is, as of a date."""
        state = self._state(subject_id)
        day = self._day(as_of)
        segment = state.segment_at(day)
        return explain(self._reader, state.view(segment), segment.values, day)

    def allowed(
        self, subject_id: str, effect: str, on: dt.date | None = None
    ) -> Decision:
        """Answer whether a subject may have an effect's benefit on a date.

        An incentive in force allows; a sanction in force bars; a sanction not
        in force allows.

        Raises:
            UsageError: If the subject or the effect is unknown.
        """
        if effect not in self.policy.effects:
            known = ", ".join(f"`{name}`" for name in self.policy.effects) or "none"
            raise UsageError(f"unknown effect `{effect}`; the policy declares {known}")
        state = self._state(subject_id)
        day = self._day(on)
        segment = state.segment_at(day)
        explanation = explain(self._reader, state.view(segment), segment.values, day)
        return decide(
            explanation, effect, self.policy.effects[effect].kind or "incentive"
        )

    # ---- events ----------------------------------------------------------------------

    def ingest(self, items: Iterable[Subject | Record]) -> None:
        """Add subjects and records; all of them or, on any error, none.

        A subject already known with other attributes is updated. A record
        already known with the same content changes nothing; with other content
        it is an error (use `correct`).

        Raises:
            RecordError: If an item does not fit the policy, a record's subject
                is unknown, or a known record id comes with other content.
        """
        if type(items) is list and len(items) == 1 and self._put_one(items[0]):
            return
        batch = prepare_batch(
            self.policy, self.store, self._states, items, shapes=self._shapes
        )
        self._apply(batch)

    def correct(self, record: Record) -> None:
        """Replace a record with a corrected version; the old one stays in the store.

        Raises:
            RecordError: If the record is unknown, moves to another subject, or
                does not fit the policy.
        """
        known = self.store.record(record.id)
        if known is None:
            raise RecordError(
                "there is no such record to correct; ingest it first",
                record_id=record.id,
            )
        if known.subject != record.subject:
            raise RecordError(
                f"a correction cannot move a record from subject `{known.subject}`"
                f" to `{record.subject}`; retract it and ingest a new record",
                record_id=record.id,
                field="subject",
            )
        if known == record:
            return
        batch = prepare_batch(
            self.policy, self.store, self._states, [], corrections=[record]
        )
        self._apply(batch)

    def retract(self, record_id: str, *, on: dt.date) -> None:
        """Remove a record's whole effect from `on` (a penalty revoked on appeal).

        Assessments as of dates before `on` still see the record.

        Raises:
            RecordError: If the record is unknown or already retracted on
                another date.
        """
        known = self.store.record(record_id)
        if known is None:
            raise RecordError("there is no such record to retract", record_id=record_id)
        state = self._states[known.subject]
        day = on.toordinal()
        retracted = state.retracted or {}
        if record_id in retracted:
            if retracted[record_id] == day:
                return
            raise RecordError(
                f"the record was already retracted on {dates.to_date(retracted[record_id])}",
                record_id=record_id,
            )

        before = self._live(state)
        del self._recomputed[:]
        state.retracted = {**retracted, record_id: day}
        state.split_at(day)
        self._recompute(state, self._touched({known.type: None}), [known], from_day=day)
        self._count_recomputed()
        self.store.put_retraction(record_id, on)
        self._after_event(state, before, f"record `{record_id}` retracted as of {on}")

    def advance(self, *, to: dt.date) -> None:
        """Move the current date forward, telling subscribers every change passed.

        Raises:
            UsageError: If `to` is before the current date.
        """
        target = to.toordinal()
        if target < self._today:
            raise UsageError(
                f"cannot move the engine back from {self.today} to {to}; time only moves forward"
            )
        while self._due and self._due[0][0] <= target:
            day, subject_id = heapq.heappop(self._due)
            state = self._states[subject_id]
            if state.due != day:
                continue
            self._today = day
            before = outputs_at(self._reader, state, day - 1)
            after = outputs_at(self._reader, state, day)
            if before != after and self._subscribers:
                self._notify(state, before, after, cause_at(self._reader, state, day))
            state.due = None
            self._schedule(state)
        self._today = target

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback` with every change of tier, list or effect, in date order.

        Returns:
            A function that ends the subscription.
        """
        if not self._subscribers:
            self._reschedule_all()
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    # ---- snapshots ---------------------------------------------------------------------

    def snapshot(self) -> bytes:
        """Return the engine's whole state as bytes, for `Engine.restore`.

        Subscribers are not part of it. The archive is, when it is the default
        in-memory store.
        """
        states = [
            (
                s.subject,
                s.records,
                s.retracted,
                [(g.start, g.values) for g in s.segments],
                s.due,
            )
            for s in self._states.values()
        ]
        store = self.store if isinstance(self.store, MemoryStore) else None
        payload = (SNAPSHOT_FORMAT, self.plan.digest, self._today, states, store)
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def restore(
        cls, data: bytes, policy: Policy | Plan, store: Store | None = None
    ) -> Engine:
        """Return an engine that continues exactly where a snapshot was taken.

        Raises:
            DataError: If the data is not a snapshot, or was taken under a policy
                with another digest.
        """
        from credit_rules.engine.snapshot import load_snapshot

        engine = cls(policy, store=MemoryStore(), today=dt.date.min)
        load_snapshot(engine, data, store)
        return engine

    # ---- internals -----------------------------------------------------------------------

    def _state(self, subject_id: str) -> SubjectState:
        state = self._states.get(subject_id)
        if state is None:
            raise UsageError(
                f"unknown subject `{subject_id}`; ingest the subject first"
            )
        return state

    def _day(self, date: dt.date | None) -> int:
        return self._today if date is None else date.toordinal()

    def _load(self, store: Store) -> None:
        subjects = list(store.subjects())
        if not subjects:
            return
        batch = prepare_batch(
            self.policy, MemoryStore(), {}, [*subjects, *store.records()]
        )
        self._apply(batch, write=False)
        for record_id, on in store.retractions():
            self._retract_loaded(record_id, on)

    def _retract_loaded(self, record_id: str, on: dt.date) -> None:
        saved = self.store
        self.store = _ReadOnly(saved)
        try:
            self.retract(record_id, on=on)
        finally:
            self.store = saved

    def _apply(self, batch: Batch, *, write: bool = True) -> None:
        self._compact(batch)
        store = self.store
        if write:
            for subject in batch.subjects:
                store.put_subject(subject)
            for record in batch.records:
                store.put_record(record)
            for record in batch.corrections:
                store.put_record(record)
        del self._recomputed[:]
        for subject in batch.subjects:
            self._put_subject(subject)
        for subject_id, (added, replaced) in batch.by_subject().items():
            self._put_records(self._states[subject_id], added, replaced)
        self._count_recomputed()

    def _put_one(self, item: Subject | Record) -> bool:
        """Ingest one record that surely fits and is new; tell whether it was.

        A host feeding records as they come ingests them one by one: this is
        `_apply` of a batch of one, without the batch. Anything else, including
        a record that may be wrong, goes the way of a batch, which explains.
        """
        if type(item) is not Record or not self._shapes.fits(item):
            return False
        state = self._states.get(item.subject)
        if state is None or self.store.record(item.id) is not None:
            return False
        record = compact(item, state.subject.id)
        self.store.put_record(record)
        del self._recomputed[:]
        before = self._live(state)
        state.add(record)
        since = dates.ordinal(record.date)
        sources = self._sources_for(record.type)
        self._recompute(state, sources, (record,), since=since, added=True)
        self._count_recomputed()
        if before is not None:
            self._after_event(state, before, f"record `{record.id}` ingested")
        return True

    def _count_recomputed(self) -> None:
        counts = self._counts
        for run in self._recomputed:
            for position in run:
                counts[position] += 1

    def _compact(self, batch: Batch) -> None:
        """Build the batch's records of shared parts, before anything holds them.

        The archive and the subject's state then hold one copy of each record,
        whose subject id is the subject's own string.
        """
        ids = {subject.id: subject.id for subject in batch.subjects}
        states = self._states
        for records in (batch.records, batch.corrections):
            for index, record in enumerate(records):
                # Only the batch's own subjects are looked up: an event touches one.
                subject_id = ids.get(record.subject)
                if subject_id is None:
                    state = states.get(record.subject)
                    subject_id = record.subject if state is None else state.subject.id
                    ids[record.subject] = subject_id
                records[index] = compact(record, subject_id)

    def _recompute(
        self,
        state: SubjectState,
        sources: Sequence[int],
        changed: Sequence[Record] | None = None,
        *,
        since: int | None = None,
        from_day: int | None = None,
        added: bool = False,
    ) -> None:
        """Recompute an event's nodes in every view segment of one subject.

        Args:
            state: The subject's state, already holding the event.
            sources: The positions that read the event's records directly, in
                order.
            changed: The records the event added, removed or replaced.
            since: The first day the event can change anything.
            from_day: Only segments starting on or after this day (a retraction
                leaves the views before it as they were).
            added: Whether the event only added the changed records.
        """
        for segment in state.segments:
            if from_day is not None and segment.start < from_day:
                continue
            update(
                self._program,
                state.view(segment),
                segment.values,
                sources,
                self._recomputed,
                changed,
                since,
                added=added,
            )

    def _put_subject(self, subject: Subject) -> None:
        state = self._states.get(subject.id)
        if state is None:
            state = new_state(self._program, subject)
            self._recomputed.append(self._every_position)
            self._states[subject.id] = state
            self._schedule(state)
            return
        before = self._live(state)
        state.subject = subject
        self._recompute(state, self._sources_for(ALL_TYPES))
        self._after_event(state, before, f"subject `{subject.id}` updated")

    def _put_records(
        self,
        state: SubjectState,
        added: list[Record],
        replaced: list[tuple[Record, Record]],
    ) -> None:
        before = self._live(state)
        types: dict[str, None] = {}
        changed = list(added)
        for record in added:
            state.add(record)
            types[record.type] = None
        for old, new in replaced:
            state.remove(old)
            state.add(new)
            types[old.type] = None
            types[new.type] = None
            changed += (old, new)
        since = min([record.date for record in changed]).toordinal()
        self._recompute(
            state, self._touched(types), changed, since=since, added=not replaced
        )
        if before is None:  # nobody listens: no cause to tell
            self._schedule(state)
            return
        causes = [f"record `{r.id}` ingested" for r in added]
        causes.extend(f"record `{new.id}` corrected" for _, new in replaced)
        self._after_event(state, before, "; ".join(causes))

    def _touched(self, types: dict[str, None]) -> tuple[int, ...]:
        """Return the positions that read records of these types, in order."""
        if len(types) == 1:
            (only,) = types
            return self._sources_for(only)
        sources: set[int] = set()
        for record_type in types:
            sources.update(self._sources_for(record_type))
        return tuple(sorted(sources))

    def _sources_for(self, record_type: str) -> tuple[int, ...]:
        # The plan's table read here, and `Plan.sources_for` asked only of a
        # type it lacks: the plan is an attrs class, which stays interpreted
        # (see `hatch_build.py`), and every event asks this.
        found = self._sources.get(record_type)
        return found if found is not None else self.plan.sources_for(record_type)

    def _live(self, state: SubjectState) -> tuple[Any, ...] | None:
        if not self._subscribers:
            return None
        return outputs_at(self._reader, state, self._today)

    def _after_event(
        self, state: SubjectState, before: tuple[Any, ...] | None, cause: str
    ) -> None:
        if before is not None and self._subscribers:
            after = outputs_at(self._reader, state, self._today)
            if after != before:
                self._notify(state, before, after, cause)
        self._schedule(state)

    def _schedule(self, state: SubjectState) -> None:
        # Without subscribers nobody needs to hear of due changes, and `advance`
        # changes no value, so the queue is kept only while someone listens.
        if not self._subscribers:
            return
        due = self._next_due(state)
        if due != state.due:
            state.due = due
            if due is not None:
                heapq.heappush(self._due, (due, state.subject.id))

    def _reschedule_all(self) -> None:
        self._subscribers.append(_nobody)
        try:
            self._due = []
            for state in self._states.values():
                state.due = None
                self._schedule(state)
        finally:
            self._subscribers.remove(_nobody)

    def _next_due(self, state: SubjectState) -> int | None:
        today = self._today
        segment = state.segment_at(today)
        found = [segment.values[p].next_change(today) for p in self._reader.watched]
        later = [s.start for s in state.segments if s.start > today]
        candidates = [day for day in [*found, *later[:1]] if day is not None]
        return min(candidates) if candidates else None

    def _notify(
        self,
        state: SubjectState,
        before: tuple[Any, ...],
        after: tuple[Any, ...],
        cause: str,
    ) -> None:
        date = self.today
        subject = state.subject.id
        changes = []
        for (what, name), old, new in zip(
            self._reader.watched_names, before, after, strict=True
        ):
            if old != new:
                changes.append(Change(subject, what, name, old, new, date, cause))
        for change in changes:
            for callback in list(self._subscribers):
                callback(change)


def _nobody(change: Change) -> None:
    """Stands in as a subscriber while the queue of due changes is rebuilt."""


class _ReadOnly:
    """A store that ignores writes: for replaying an archive into an engine."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name.startswith("put_"):
            return lambda *args, **kwargs: None
        return getattr(self._store, name)


__all__ = ["DataError", "Engine"]
