"""The view: one subject's records as an assessment sees them.

With it, every value derived from them, as a function of the date.

A `View` computes each derived value on demand and remembers it. It is what the
conditions of a policy look at (it satisfies `conditions.Facts`). The arithmetic
lives in the modules it calls: `scoring`, `standing` (tiers, vetoes and
supervision), `listing` (lists and effects) and `repair`.

Two kinds of related views exist beside the view of an assessment:

- The view *without the repair of* a record, in which that record's repair
  requests are ignored. A repair's bar (`unless`) is judged in it, so that whether
  a repair is granted never depends on that same repair. The set of ignored records
  grows with every nesting, so the nesting ends.
- The view *granting* a record's repair on a given day, for the figures of a
  repair option.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy
from credit_rules.engine import conditions, listing, repair, scoring, standing
from credit_rules.engine.periods import Period, bounds, covering
from credit_rules.errors import CreditRulesError
from credit_rules.records import Record, Subject

T = TypeVar("T")
D = TypeVar("D")

REPAIR_REQUEST = "repair_request"
"""The record type that asks for a repair; its field `target` names the record."""


class Archive:
    """What every view of one assessment shares.

    The records, and whatever about them does not change with time (which
    records match which query).
    """

    def __init__(
        self, policy: Policy, subject: Subject, records: Iterable[Record]
    ) -> None:
        self.policy = policy
        self.subject = subject
        self.records = tuple(sorted(records, key=lambda r: (r.date, r.id)))
        self.first_date = self.records[0].date if self.records else None
        self.requests = _requests_by_target(self.records)
        self._by_type: dict[str, list[Record]] = {}
        for record in self.records:
            self._by_type.setdefault(record.type, []).append(record)
        self.static: dict[Hashable, object] = {}
        self.pinned: dict[int, object] = {}
        self.views: dict[Hashable, View] = {}

    def of_type(self, record_type: str) -> Sequence[Record]:
        """The records of one type, ordered by (date, id)."""
        return self._by_type.get(record_type, ())

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the time-independent value of `key`, computing it once."""
        if key not in self.static:
            self.static[key] = compute()
        return self.static[key]  # type: ignore[return-value]


def _requests_by_target(records: Iterable[Record]) -> dict[str, list[Record]]:
    requests: dict[str, list[Record]] = {}
    for record in records:
        if record.type != REPAIR_REQUEST:
            continue
        target = record.field_map.get("target")
        if isinstance(target, str):
            requests.setdefault(target, []).append(record)
    return requests


class View:
    """The records of one subject as an assessment sees them.

    Attributes:
        archive: The records and the policy.
        ignored: Records whose repair requests this view ignores.
        granted: Records whose repair this view takes as granted on a given day.
    """

    def __init__(
        self,
        archive: Archive,
        ignored: frozenset[str] = frozenset(),
        granted: tuple[tuple[str, dt.date], ...] = (),
    ) -> None:
        self.archive = archive
        self.ignored = ignored
        self.granted = granted
        self._granted = dict(granted)
        self._cache: dict[Hashable, object] = {}
        self._busy: list[tuple[str, str]] = []

    @classmethod
    def of(cls, policy: Policy, subject: Subject, records: Iterable[Record]) -> View:
        """Return the view of `records`, the subject's records in the view."""
        archive = Archive(policy, subject, records)
        view = cls(archive)
        archive.views[(view.ignored, view.granted)] = view
        return view

    @property
    def policy(self) -> Policy:
        """The policy assessed by."""
        return self.archive.policy

    @property
    def subject(self) -> Subject:
        """The subject assessed."""
        return self.archive.subject

    # ---- related views ---------------------------------------------------------

    def without_repair_of(self, record_id: str) -> View:
        """The same view, ignoring every request to repair `record_id`."""
        return self._related(self.ignored | {record_id}, self.granted)

    def granting(self, record_id: str, day: dt.date) -> View:
        """The same view, with the repair of `record_id` granted on `day`."""
        kept = tuple(item for item in self.granted if item[0] != record_id)
        return self._related(self.ignored, (*kept, (record_id, day)))

    def _related(
        self, ignored: frozenset[str], granted: tuple[tuple[str, dt.date], ...]
    ) -> View:
        key = (ignored, tuple(sorted(granted)))
        if key not in self.archive.views:
            self.archive.views[key] = View(self.archive, ignored, key[1])
        return self.archive.views[key]

    # ---- records -----------------------------------------------------------------

    def records_of(self, record_type: str) -> Sequence[Record]:
        """The view's records of one type, ordered by (date, id)."""
        return self.archive.of_type(record_type)

    def matches(self, query: ast.Query, record: Record) -> bool:
        """Whether `record` is of the query's type and satisfies its `where`."""
        # Keyed by identity, which is cheap; pinning the query keeps its id from
        # being reused by another query while the archive lives.
        self.archive.pinned.setdefault(id(query), query)
        return self.archive.remember(
            ("matches", id(query), record.id),
            lambda: conditions.matches(query, self.subject, record),
        )

    def repaired_on(self, record: Record) -> dt.date | None:
        """The day `record`'s repair is granted in this view, or None if never."""
        if record.id in self._granted:
            return self._granted[record.id]
        if record.id in self.ignored:
            return None
        return self._once(
            ("repair", record.id), lambda: repair.grant_date(self, record)
        )

    def requests_for(self, record: Record) -> Sequence[Record]:
        """The repair requests that target `record`, ordered by (date, id)."""
        if record.id in self.ignored:
            return ()
        return self.archive.requests.get(record.id, ())

    # ---- score ---------------------------------------------------------------------

    def score_at(self, date: dt.date) -> Decimal:
        """The score on `date`."""
        return self._once(("score", date), lambda: scoring.tally(self, date).score)

    def score_changes(self) -> Iterable[dt.date]:
        """Every date on which the score may change."""
        return self._once(("score changes", ""), lambda: scoring.changes(self))

    # ---- tiers ---------------------------------------------------------------------

    def tier_at(self, date: dt.date) -> str:
        """The tier on `date`."""
        return self._once(
            ("tier", date),
            lambda: self._guarded(
                ("tiers", ""), lambda: standing.trace(self, date).tier
            ),
        )

    def tier_changes(self) -> Iterable[dt.date]:
        """Every date on which the tier may change."""
        return self._once(
            ("tier changes", ""),
            lambda: self._guarded(("tiers", ""), lambda: standing.tier_changes(self)),
        )

    def veto_periods(self, name: str) -> tuple[Period, ...]:
        """The periods in which veto `name` is in force."""
        veto = _declared(self.policy.vetoes, "veto", name)
        return self._once(
            ("veto", name),
            lambda: self._guarded(
                ("veto", name), lambda: standing.veto_periods(self, veto)
            ),
        )

    # ---- lists and effects -----------------------------------------------------------

    def list_entries(self, name: str) -> tuple[listing.Entry, ...]:
        """The entries of list `name`, in order of their start."""
        declared = _declared(self.policy.lists, "list", name)
        return self._once(
            ("list", name),
            lambda: self._guarded(
                ("list", name), lambda: listing.entries(self, declared)
            ),
        )

    def listed_at(self, list_name: str, date: dt.date) -> bool:
        """Whether the subject is on the list on `date`."""
        entries = self.list_entries(list_name)
        return covering((entry.period for entry in entries), date) is not None

    def list_changes(self, list_name: str) -> Iterable[dt.date]:
        """Every date on which the subject may enter or leave the list."""
        return bounds(entry.period for entry in self.list_entries(list_name))

    def effect_periods(self, name: str) -> tuple[Period, ...]:
        """The periods in which effect `name` is in force."""
        declared = _declared(self.policy.effects, "effect", name)
        return self._once(
            ("effect", name),
            lambda: self._guarded(
                ("effect", name), lambda: listing.effect_periods(self, declared)
            ),
        )

    def active_at(self, effect_name: str, date: dt.date) -> bool:
        """Whether the effect is in force on `date`."""
        return covering(self.effect_periods(effect_name), date) is not None

    def effect_changes(self, effect_name: str) -> Iterable[dt.date]:
        """Every date on which the effect may start or stop."""
        return bounds(self.effect_periods(effect_name))

    # ---- bookkeeping -------------------------------------------------------------------

    def _once(self, key: Hashable, compute: Callable[[], T]) -> T:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]  # type: ignore[return-value]

    def _guarded(self, key: tuple[str, str], compute: Callable[[], T]) -> T:
        # The checker rejects cycles; this keeps an unchecked policy from
        # recursing without end.
        if key in self._busy:
            chain = " -> ".join(f"{kind} `{name}`" for kind, name in [*self._busy, key])
            raise CreditRulesError(
                f"the policy's {key[0]} depend on themselves ({chain}); "
                "break the cycle in the policy"
            )
        self._busy.append(key)
        try:
            return compute()
        finally:
            self._busy.pop()


def _declared(declarations: Mapping[str, D], kind: str, name: str) -> D:
    try:
        return declarations[name]
    except KeyError:
        raise CreditRulesError(
            f"the policy declares no {kind} `{name}`; declare it or fix the name"
        ) from None
