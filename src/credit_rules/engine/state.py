"""One subject's state in a live engine, and how an event recomputes it.

A subject holds its records (sorted by date and id, last versions, retracted ones
included) and one *segment* per view: the view of a date changes only on the
dates records are retracted, so the first segment starts at the dawn of time and
each retraction date starts another. A segment holds the value of every node of
the plan for its view. Most subjects have one segment.

An event recomputes, in each segment it affects, only the nodes that read the
changed records directly or whose inputs changed: a node whose new value equals
its old one stops the propagation (early cutoff). Of the nodes that read the
records, a rule, a query or a list entered on records is skipped when none of
the changed records matches its `where`, since it reads only the ones that do.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable, Sequence
from heapq import heappop, heappush
from typing import Any, Final

from credit_rules.engine.kernels import Program
from credit_rules.engine.patching import Step
from credit_rules.engine.sharing import share
from credit_rules.engine.subject_records import (
    SubjectRecords,
    index_by_type,
    merged,
    record_order,
)
from credit_rules.engine.suffix import splice
from credit_rules.engine.timeline import DAWN, NEVER, Timeline
from credit_rules.records import Record, Subject

TAIL_WORTHWHILE: Final = 8
"""The fewest changes in a node's timeline for which recomputing only its tail
pays: below it, the whole timeline is as quick to rebuild as the tail to splice
(measured on the benchmarks' subjects, whose timelines hold a handful)."""


class Segment:
    """The node values of one view, that of the dates from `start` to the next start."""

    __slots__ = ("start", "values")

    def __init__(self, start: int, values: list[Any]) -> None:
        self.start = start
        self.values = values


class SubjectState:
    """Everything an engine holds about one subject.

    Attributes:
        subject: The subject.
        by_type: Its records, last versions, by type, each type's sorted by
            (date, id): every event reads records of some type, and keeping
            them grouped saves regrouping them on each.
        retracted: Record id to the ordinal of its retraction, or None if none.
        segments: The views' node values, by start date.
        due: The next date an output changes on, as scheduled, or None.
    """

    __slots__ = ("by_type", "due", "retracted", "segments", "subject")

    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self.by_type: dict[str, list[Record]] = {}
        self.retracted: dict[str, int] | None = None
        self.segments: list[Segment] = []
        self.due: int | None = None

    @property
    def records(self) -> list[Record]:
        """The subject's records, last versions, sorted by (date, id)."""
        return merged(self.by_type)

    def add(self, record: Record) -> None:
        """Add a record in (date, id) order."""
        group = self.by_type.get(record.type)
        if group is None:
            self.by_type[record.type] = [record]
            return
        last = group[-1]
        # The usual case: records arrive in date order, most on a later date
        # than the last, which one comparison of dates tells.
        if last.date < record.date or record_order(last) < record_order(record):
            group.append(record)
        else:
            insort(group, record, key=record_order)

    def remove(self, record: Record) -> None:
        """Remove a record (found by id and type)."""
        group = self.by_type.get(record.type, [])
        group[:] = [known for known in group if known.id != record.id]
        if not group:
            self.by_type.pop(record.type, None)

    def replace_records(self, records: Iterable[Record]) -> None:
        """Hold these records instead of the ones held."""
        self.by_type = index_by_type(sorted(records, key=record_order))

    def segment_at(self, ordinal: int) -> Segment:
        """Return the segment whose view is that of `ordinal`."""
        if len(self.segments) == 1:
            return self.segments[0]
        starts = [segment.start for segment in self.segments]
        return self.segments[bisect_right(starts, ordinal) - 1]

    def view(self, segment: Segment) -> SubjectRecords:
        """Return the records in the view of a segment."""
        retracted = self.retracted
        if not retracted:
            return SubjectRecords(self.subject, by_type=self.by_type)
        kept = [r for r in self.records if retracted.get(r.id, NEVER) > segment.start]
        return SubjectRecords(self.subject, kept)

    def split_at(self, ordinal: int) -> None:
        """Start a segment on `ordinal`, a copy of the one it falls in."""
        containing = self.segment_at(ordinal)
        if containing.start == ordinal:
            return
        position = self.segments.index(containing) + 1
        self.segments.insert(position, Segment(ordinal, list(containing.values)))


def evaluate(program: Program, view: SubjectRecords) -> list[Any]:
    """Return every node's value for a view, from scratch."""
    values: list[Any] = []
    whole = program.exact
    for kernel in program.kernels:
        values.append(share(kernel(view, values), whole))
    # A copy is allocated to its exact length; the grown list has spare room.
    return list(values)


def new_state(program: Program, subject: Subject) -> SubjectState:
    """Return the state of a subject with no records."""
    state = SubjectState(subject)
    state.segments = [Segment(DAWN, evaluate(program, state.view(Segment(DAWN, []))))]
    return state


def update(
    program: Program,
    view: SubjectRecords,
    values: list[Any],
    sources: Sequence[int],
    recomputed: list[Sequence[int]],
    changed: Sequence[Record] | None = None,
    since: int | None = None,
    *,
    added: bool = False,
) -> None:
    """Recompute the nodes an event may change, in place, with early cutoff.

    Args:
        program: The executable plan.
        view: The records of the view, after the event.
        values: The segment's node values, before the event; updated.
        sources: The positions that read the changed records directly, in
            evaluation order.
        recomputed: Receives the positions of the nodes recomputed, in order,
            as one list (if any was).
        changed: The records added, removed or replaced, if that is what
            changed; a source whose `where` none of them matches is skipped.
            None (a subject's new attributes) recomputes every source.
        since: The earliest date of the changed records, if only records
            changed: a node with a tail kernel then recomputes its timeline
            from that date on only (see `credit_rules.engine.suffix`).
        added: Whether the changed records were all added. A source whose
            inputs did not change, and a sum whose changed inputs were patched,
            then patch their values (see `credit_rules.engine.patching`)
            instead of recomputing them.
    """
    if changed is None:
        dirty = list(sources)
    else:
        dirty = program.affected(sources, changed, view)
    if not dirty:
        return

    kernels = program.kernels
    # Only changed records let a node keep its timeline before their date.
    tails = program.tails if changed is not None and since is not None else None
    patches = program.patches if changed is not None and added else None
    step_patches = program.step_patches
    crossings = program.crossings
    inputs = program.inputs
    whole = program.exact
    start = DAWN if since is None else since
    readers = program.readers
    pending = set(dirty)
    # The nodes reached through a changed input rather than the records only.
    reached: set[int] = set()
    # The nodes changed so far, with the steps they moved by when patched.
    moved: dict[int, list[Step] | None] = {}
    done: list[int] = []
    records = () if changed is None else changed
    while dirty:
        position = heappop(dirty)
        old = values[position]
        patched = None
        if patches is not None:
            if position in reached:
                step_patch = step_patches[position]
                if step_patch is not None:
                    steps = _steps_of(inputs[position], moved)
                    if steps is not None:
                        patched = step_patch(old, steps, values)
            else:
                patch = patches[position]
                if patch is not None:
                    patched = patch(old, records, view, values)
        if patched is not None:
            value, steps = patched
        else:
            steps = None
            tail_kernel = None if tails is None else tails[position]
            if (
                tail_kernel is not None
                and start > DAWN
                and type(old) is Timeline
                and len(old.points) >= TAIL_WORTHWHILE
            ):
                value = splice(old, start, tail_kernel(view, values, start))
            else:
                value = kernels[position](view, values)
        done.append(position)
        # A patch that finds nothing changed returns the old value itself; one
        # that moved it by its steps changed it (or, if they cancel out, gives
        # an equal value, which its readers then patch to theirs again).
        if value is not old and (steps is not None or value != old):
            values[position] = share(value, whole, old)
            moved[position] = steps
            woken: Sequence[int] = readers[position]
            crossing = crossings[position]
            if steps is not None and crossing is not None:
                woken = crossing(steps, values)
            for reader in woken:
                reached.add(reader)
                if reader not in pending:
                    pending.add(reader)
                    heappush(dirty, reader)
    recomputed.append(done)


def _steps_of(
    inputs: frozenset[int], moved: dict[int, list[Step] | None]
) -> list[Step] | None:
    """Return the steps a node's changed inputs moved by, or None if one is unknown."""
    # The nodes changed so far are few; a node's inputs may be many.
    steps: list[Step] = []
    for position, found in moved.items():
        if position in inputs:
            if found is None:
                return None
            steps.extend(found)
    return steps
