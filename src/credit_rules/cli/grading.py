"""Loading a policy and its subjects into an engine, shared by `score`, `explain` and `diff`.

The input is a dataset folder (`--data`) or an archive (`--archive`). Rows a
dataset rejects are reported on standard error with their file, line and reason,
and counted; the accepted rows are graded all the same.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import attrs

from credit_rules.dsl import load_policy
from credit_rules.dsl.policy import Policy
from credit_rules.engine.runtime import Engine
from credit_rules.errors import CreditRulesError, UsageError
from credit_rules.io import read_dataset
from credit_rules.records import Record, Subject

__all__ = [
    "Loaded",
    "add_reproduction_arguments",
    "check_reproduction",
    "load",
    "read_dataset_items",
    "require_policy",
    "unknown_subject",
]


@attrs.frozen
class Loaded:
    """An engine holding the subjects asked for, and how many rows were rejected.

    Attributes:
        engine: The engine, its records ingested.
        rejected: How many input rows were rejected.
        known: The ids of every subject of the input, ingested or not.
    """

    engine: Engine
    rejected: int
    known: tuple[str, ...] = ()


def require_policy(path: Path) -> Policy:
    """Load and check a policy, or fail with one line if the path does not exist.

    Raises:
        UsageError: If `path` does not exist.
        PolicyError: If the policy has errors.
    """
    if not path.exists():
        raise UsageError(
            f"policy `{path}` does not exist; give a policy folder or `.rules` file"
        )
    return load_policy(path)


def read_dataset_items(
    policy: Policy, data: Path, err: TextIO | None = None
) -> tuple[list[Subject | Record], int]:
    """Read a dataset's subjects and records, reporting rejected rows on `err`.

    Returns:
        The items to ingest and how many rows were rejected.

    Raises:
        UsageError: If the folder does not exist.
    """
    out = sys.stderr if err is None else err
    if not data.exists():
        raise UsageError(
            f"dataset `{data}` does not exist; give a folder with subjects and records"
        )
    dataset = read_dataset(data, policy)
    for rejection in dataset.rejected:
        where = f" field `{rejection.field}`:" if rejection.field else ""
        print(f"{rejection.file}:{rejection.line}:{where} {rejection.reason}", file=out)
    if dataset.rejected:
        counts = "; ".join(count.summary() for count in dataset.counts)
        print(f"rejected {len(dataset.rejected)} rows ({counts})", file=out)
    return list(dataset.items()), len(dataset.rejected)


def add_reproduction_arguments(parser: argparse.ArgumentParser) -> None:
    """Add `--known-at` and `--digest`, to reproduce an earlier assessment exactly.

    An assessment made from the archive on some day is reproduced by grading what
    the archive held then (`--known-at`) under the same policy (`--digest`, the
    `policy_digest` the assessment carried).
    """
    parser.add_argument(
        "--known-at",
        type=_parse_moment,
        default=None,
        metavar="TIME",
        help="with --archive: only what was archived by then (ISO date and time, UTC)",
    )
    parser.add_argument(
        "--digest",
        default=None,
        metavar="HEX",
        help="refuse to grade unless the compiled policy has this digest (or prefix)",
    )


def _parse_moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"`{text}` is not a time; expected e.g. 2026-07-01T09:30:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def check_reproduction(args: argparse.Namespace, engine: Engine) -> None:
    """Refuse `--known-at` without an archive, and a policy of another digest.

    Raises:
        UsageError: If `--known-at` is given with `--data`.
        CreditRulesError: If the policy's digest is not the one asked for.
    """
    digest = getattr(args, "digest", None)
    if digest and not engine.plan.digest.startswith(digest.lower()):
        raise CreditRulesError(
            f"the policy's digest is `{engine.plan.digest[:12]}`, not `{digest}`; "
            "grade with the policy version that made the assessment"
        )


def _archive_engine(
    policy: Policy, archive: Path, as_of: dt.date, known_at: dt.datetime | None
) -> Engine:
    if not archive.is_file():
        raise UsageError(
            f"archive `{archive}` does not exist; make one with `credit-rules ingest`"
        )
    try:
        from credit_rules.store import SqliteStore
    except ImportError as error:  # pragma: no cover - the store ships with the package
        raise UsageError(
            "archives are not supported by this installation; use `--data`"
        ) from error
    store = SqliteStore(archive)
    if known_at is None:
        # The engine reads the whole archive, retractions included, when it starts.
        return Engine(policy, store=store, today=as_of)

    # What the archive held at `known_at`, as it counts on `as_of`: the view leaves
    # out records retracted by then, so nothing else needs replaying.
    engine = Engine(policy, today=as_of)
    engine.ingest(list(store.view(as_of, known_at=known_at)))
    store.close()
    return engine


def load(
    policy: Policy,
    data: Path | None,
    archive: Path | None,
    as_of: dt.date,
    err: TextIO | None = None,
    *,
    only: str | None = None,
    known_at: dt.datetime | None = None,
) -> Loaded:
    """Return an engine holding the input's subjects and records, dated `as_of`.

    Args:
        policy: The checked policy.
        data: The dataset folder, or None with `archive`.
        archive: The archive file, or None with `data`.
        as_of: The engine's current date.
        err: Where rejected rows are reported; stderr by default.
        only: The one subject to ingest, when only one is needed: grading a
            subject needs no other subject's records.
        known_at: With `archive`: grade only what the archive held then.

    Raises:
        UsageError: If the input path does not exist.
    """
    if archive is not None:
        engine = _archive_engine(policy, archive, as_of, known_at)
        return Loaded(engine, 0, tuple(engine.subjects()))
    if known_at is not None:
        raise UsageError("`--known-at` needs `--archive`: a dataset has no history")
    assert data is not None
    items, rejected = read_dataset_items(policy, data, err)
    known = tuple(item.id for item in items if isinstance(item, Subject))
    if only is not None:
        items = [item for item in items if _concerns(item, only)]
    engine = Engine(policy, today=as_of)
    engine.ingest(items)
    return Loaded(engine, rejected, known)


def _concerns(item: Subject | Record, subject_id: str) -> bool:
    if isinstance(item, Subject):
        return item.id == subject_id
    return item.subject == subject_id


def unknown_subject(subject_id: str, known: Sequence[str]) -> str:
    """Return the message for a subject id the input does not hold, with a suggestion."""
    close = difflib.get_close_matches(subject_id, known, n=1, cutoff=0.6)
    hint = (
        f"; did you mean `{close[0]}`?"
        if close
        else "; check the id in the subjects file"
    )
    return f"unknown subject `{subject_id}`{hint}"
