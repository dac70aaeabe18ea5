"""Restoring an engine from the bytes of `Engine.snapshot`."""

from __future__ import annotations

import heapq
import pickle
from typing import TYPE_CHECKING, Any

from credit_rules.engine.sharing import share
from credit_rules.engine.state import Segment, SubjectState
from credit_rules.engine.store import MemoryStore, Store
from credit_rules.errors import DataError

if TYPE_CHECKING:
    from credit_rules.engine.runtime import Engine


def load_snapshot(engine: Engine, data: bytes, store: Store | None) -> None:
    """Fill a fresh engine with a snapshot's state.

    Args:
        engine: An engine of the same policy, holding nothing yet.
        data: What `Engine.snapshot` returned.
        store: The archive to continue with; None for the snapshot's own
            in-memory archive.

    Raises:
        DataError: If the data is not a snapshot of this policy.
    """
    from credit_rules.engine.runtime import SNAPSHOT_FORMAT

    payload = _unpickle(data)
    if not (
        isinstance(payload, tuple)
        and len(payload) == 5
        and payload[0] == SNAPSHOT_FORMAT
    ):
        raise DataError(
            "the data is not an engine snapshot of this version; take a new snapshot"
        )
    _, digest, today, states, saved_store = payload
    if digest != engine.plan.digest:
        raise DataError(
            f"the snapshot was taken under policy digest `{digest[:12]}`, not "
            f"`{engine.plan.digest[:12]}`; restore it with the policy it was taken with"
        )

    engine._today = today
    engine.store = store if store is not None else (saved_store or MemoryStore())
    for subject, records, retracted, segments, due in states:
        state = SubjectState(subject)
        state.replace_records(records)
        state.retracted = retracted
        state.segments = [
            Segment(start, [share(value) for value in values])
            for start, values in segments
        ]
        state.due = due
        engine._states[subject.id] = state
        if due is not None:
            engine._due.append((due, subject.id))
    heapq.heapify(engine._due)


def _unpickle(data: bytes) -> Any:
    try:
        return pickle.loads(data)
    except Exception as error:
        raise DataError(
            f"the data is not an engine snapshot ({error}); take a new snapshot"
        ) from None
