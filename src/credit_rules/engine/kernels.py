"""The functions that compute each kind of node from a subject's view.

`Program` turns a `Plan` into one kernel per node: a function of the subject's
`View` and the values of the nodes before it, returning the node's value — a
`Timeline` for every node but the repairs nodes, whose value is a dict from
record id to the date (ordinal) its repair takes effect.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from credit_rules.dsl.policy import Policy
from credit_rules.engine import dates
from credit_rules.engine.expressions import (
    RecordTest,
    condition_timeline,
    field_getter,
    record_test,
)
from credit_rules.engine.patching import (
    Crossing,
    SourcePatch,
    StepPatch,
    crossings,
    exact_sums,
    grant_end,
    source_patches,
    step_patches,
)
from credit_rules.engine.plan import (
    REPAIR_REQUEST,
    ConditionSpec,
    EffectSpec,
    Expr,
    GroupSpec,
    ListSpec,
    Node,
    Plan,
    QuerySpec,
    RepairSpec,
    RuleSpec,
    ScoreSpec,
    SupervisionSpec,
    TierSpec,
    VetoSpec,
)
from credit_rules.engine.repair import grant_date
from credit_rules.engine.subject_records import SubjectRecords as View
from credit_rules.engine.suffix import TailKernel, tail_kernels
from credit_rules.engine.timeline import (
    DAWN,
    FALSE,
    NEVER,
    Timeline,
    add_up,
    combine,
)
from credit_rules.engine.view import View as ReferenceView
from credit_rules.records import Record

ZERO: Final = Decimal(0)
NO_GRANTS: Final[dict[str, int]] = {}
TRUE: Final = Timeline.constant(True)

Kernel = Callable[[View, Sequence[Any]], Any]
Filter = Callable[[Sequence[Record], View], bool]
"""Whether records added or removed (the view is after the change) can change a node."""


class RuleEntry:
    """One matching record of a rule: its points and the period they count."""

    __slots__ = ("end", "points", "record", "start")

    def __init__(self, record: Record, points: Decimal, start: int, end: int) -> None:
        self.record = record
        self.points = points
        self.start = start
        self.end = end


class Program:
    """A plan made executable: a kernel per node, in the plan's order.

    Attributes:
        plan: The plan.
        kernels: The kernel of each node, by position.
        tails: The tail kernel of each node (see `credit_rules.engine.suffix`),
            or None where the node is always recomputed whole.
        patches: The patch of each node reading records, for records added
            (see `credit_rules.engine.patching`), or None.
        step_patches: The patch of each group and of the score, for the steps
            their changed inputs moved by, or None.
        crossings: For each node read by conditions comparing it with a
            number, the function telling which readers its steps may change.
        exact: Whether the plan's sums are exact (`patching.exact_sums`). Its
            points, caps and scores are then held as `int`, which adds, compares
            and hashes faster than `Decimal` and takes no memory of its own for
            the small numbers of a score; they read as decimals outside.
        number: Turns a decimal of the plan into the plan's numbers: `int` in
            an exact plan, the decimal itself in another.
        zero: The sum of nothing: `0` in an exact plan, else `Decimal(0)`.
        amounts: The points of each rule, by name, as the plan's sums hold them.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.index = plan.index
        self.fields = {
            name: tuple(sorted(field.name for field in decl.fields))
            for name, decl in plan.policy.records.items()
        }
        self.classifiers = {
            record_type: [
                (rule, self.test(where, record_type), repair)
                for rule, where, repair in classifier.rules
            ]
            for record_type, classifier in plan.classifiers.items()
        }
        self.record_tests: dict[str, RecordTest] = {}
        self._list_tests: dict[str, Any] = {}
        self.periods: dict[str, Callable[[Record, int], tuple[int, int]]] = {}
        self.rule_caps: dict[str, Callable[[Any], Any] | None] = {}
        self.group_caps: dict[str, Callable[[Any], Any] | None] = {}
        self.score_finish: Callable[[Any], Any] = _same
        self.sum_tails: dict[str, TailKernel] = {}
        self.exact = exact_sums(plan)
        self.number: Callable[[Decimal], Any] = int if self.exact else _same
        self.zero: Any = self.number(ZERO)
        self.amounts: dict[str, tuple[Any, ...]] = {}
        self.kernels: list[Kernel] = [self._kernel(node) for node in plan.nodes]
        self._filters: dict[tuple[str, str], Filter] = {}
        self.filters: list[Filter | None] = [self._filter(node) for node in plan.nodes]
        self.patches: list[SourcePatch | None] = source_patches(self)
        self.step_patches: list[StepPatch | None] = step_patches(self)
        self.inputs: list[frozenset[int]] = [
            frozenset(self.index[name] for name in node.inputs) for node in plan.nodes
        ]
        self.downstream: list[tuple[int, ...]] = _downstream(self.inputs)
        self.readers: list[tuple[int, ...]] = [
            tuple(p for p, sources in enumerate(self.inputs) if position in sources)
            for position in range(len(self.inputs))
        ]
        self.crossings: list[Crossing | None] = crossings(self)
        self.tails: list[TailKernel | None] = tail_kernels(self)

    def affected(
        self, sources: Sequence[int], records: Sequence[Record], view: View
    ) -> list[int]:
        """Return the sources that adding or removing these records can change.

        A node without a filter reads every record, so any change may change it.
        Nodes with the same filter (the repairs nodes, rules and queries with
        the same `where`) share one answer.
        """
        filters = self.filters
        if len(sources) == 1:  # most record types: no answers to share
            (position,) = sources
            found = filters[position]
            return [position] if found is None or found(records, view) else []
        answers: dict[Filter, bool] = {}
        dirty = []
        for position in sources:
            found = filters[position]
            if found is not None:
                answer = answers.get(found)
                if answer is None:
                    answer = answers[found] = found(records, view)
                if not answer:
                    continue
            dirty.append(position)
        return dirty

    def _filter(self, node: Node) -> Filter | None:
        """Return the test of which changed records can change a node, if any.

        A rule, a query or a list entered on records reads only the records
        that match its `where`, and whether a record matches never changes with
        time; so a record that does not match leaves the node as it was. A
        repairs node reads records only through repair requests; the first
        record only through the earliest record.
        """
        spec = node.spec
        if node.kind in ("rule", "query"):
            return self._matching(spec.record_type, spec.where)
        if node.kind == "list" and spec.enter_on is not None:
            record_type, where, _ = spec.enter_on
            return self._matching(record_type, where)
        if node.kind == "repairs":
            return _touches_repairs
        if node.kind == "first_record":
            return _touches_first
        return None

    def _matching(self, record_type: str, where: Expr | None) -> Filter:
        """Return the filter of the records of a type that match a `where`, once."""
        key = (record_type, repr(where))
        found = self._filters.get(key)
        if found is None:
            found = self._filters[key] = _matching(
                record_type, self.test(where, record_type)
            )
        return found

    def test(self, where: Expr | None, record_type: str) -> RecordTest:
        """Return the test of a `where` on records of one type."""
        return record_test(where, self.fields.get(record_type, ()))

    def classify(self, record: Record, view: View) -> tuple[str, str] | None:
        """Return `(rule, repair class)` deciding a record's repair, or None."""
        found = None
        for rule, test, repair in self.classifiers.get(record.type, ()):
            if not test(record, view.subject):
                continue
            if repair == "none":
                return None
            if found is None:
                found = (rule, repair)
        return found

    def _kernel(self, node: Node) -> Kernel:
        spec = node.spec
        if node.kind == "rule":
            return self._rule(spec)
        if node.kind == "group":
            return self._group(spec, node)
        if node.kind == "score":
            return self._score(spec, node)
        if node.kind == "query":
            return self._query(spec)
        if node.kind == "condition":
            return self._condition(spec)
        if node.kind in ("veto", "effect"):
            return self._held(spec, node)
        if node.kind == "tier":
            return self._tier(spec)
        if node.kind == "list":
            return self._list(spec)
        if node.kind == "supervision":
            return self._supervision(spec)
        if node.kind == "repairs":
            return self._repairs(spec)
        if node.kind == "first_record":
            return _first_record
        raise ValueError(f"unknown node kind `{node.kind}`")

    # ---- points ------------------------------------------------------------------

    def rule_entries(
        self, spec: RuleSpec, view: View, values: Sequence[Any]
    ) -> list[RuleEntry]:
        """Return every record matching a rule, with its points and period."""
        return [
            RuleEntry(record, Decimal(points), start, end)
            for record, points, start, end in self.rule_steps(spec, view, values)
        ]

    def rule_steps(
        self, spec: RuleSpec, view: View, values: Sequence[Any]
    ) -> list[tuple[Record, Any, int, int]]:
        """Return `(record, points, start, end)` for every record matching a rule.

        The points are as the plan's sums hold them (see `Program.amounts`).
        """
        candidates = view.of_type(spec.record_type)
        if not candidates:
            return []
        test = self.record_tests[spec.name]
        subject = view.subject
        records = [r for r in candidates if test(r, subject)]
        if not records:
            return []
        # Repairs nodes without a grant (most) are left out of the lookups.
        grants = [
            granted
            for name in spec.classes
            if (granted := values[self.index[f"repairs:{name}"]])
        ]
        days = [dates.ordinal(record.date) for record in records]
        period = self.periods[spec.name]
        window = spec.window
        points = self.amounts[spec.name]
        steps = []
        for position, record in enumerate(records):
            day = days[position]
            amount = points[0]
            if window is not None:
                # Records are in date order: those in the window up to this one
                # are the ones from the window's first date on.
                first = dates.window_start(day, window)
                repeat = position + 1 - bisect_left(days, first, 0, position + 1)
                amount = points[min(repeat, len(points)) - 1]
            start, end = period(record, day)
            if grants:
                end = min(end, grant_end(record.id, grants))
            steps.append((record, amount, start, end))
        return steps

    def _rule(self, spec: RuleSpec) -> Kernel:
        self.record_tests[spec.name] = self.test(spec.where, spec.record_type)
        self.periods[spec.name] = self._counting_period(spec)
        self.amounts[spec.name] = tuple(map(self.number, spec.points))
        cap = self.rule_caps[spec.name] = self._capper(spec.cap)
        nothing = self.zero
        zero = Timeline.constant(nothing if cap is None else cap(nothing))

        def kernel(view: View, values: Sequence[Any]) -> Any:
            steps = self.rule_steps(spec, view, values)
            if not steps:
                return zero
            return Timeline.sum_of_steps(
                [(start, end, amount) for _, amount, start, end in steps], nothing, cap
            )

        return kernel

    def _counting_period(
        self, spec: RuleSpec
    ) -> Callable[[Record, int], tuple[int, int]]:
        """Return the function giving a matching record's counting period."""
        counts = spec.counts
        if counts[0] == "for":
            duration = counts[1]
            return lambda record, day: (day, dates.plus(day, duration))
        if counts[0] == "between":
            fields = self.fields.get(spec.record_type, ())
            read_start = field_getter(counts[1], fields)
            read_end = field_getter(counts[2], fields)

            def between(record: Record, day: int) -> tuple[int, int]:
                start = dates.ordinal(read_start(record))
                return max(day, start), dates.ordinal(read_end(record))

            return between
        return lambda record, day: (day, NEVER)

    def _group(self, spec: GroupSpec, node: Node) -> Kernel:
        positions = [self.index[name] for name in node.inputs]
        cap = self.group_caps[node.name] = self._capper(spec.cap)
        zero = self.zero

        def kernel(view: View, values: Sequence[Any], since: int = DAWN) -> Any:
            return add_up([values[p] for p in positions], zero, since, cap)

        self.sum_tails[node.name] = kernel
        return kernel

    def _score(self, spec: ScoreSpec, node: Node) -> Kernel:
        positions = [self.index[name] for name in node.inputs]
        base = self.number(spec.base)
        finish = self.score_finish = _clamp(spec) if self.exact else _finishing(spec)

        def kernel(view: View, values: Sequence[Any], since: int = DAWN) -> Any:
            return add_up([values[p] for p in positions], base, since, finish)

        self.sum_tails[node.name] = kernel
        return kernel

    def _capper(self, cap: Decimal | None) -> Callable[[Any], Any] | None:
        """Return the function limiting a total by a cap, in the plan's numbers."""
        return capper(None if cap is None else self.number(cap))

    # ---- queries and conditions ---------------------------------------------------

    def query_steps(
        self, spec: QuerySpec
    ) -> Callable[[Iterable[Record], View, Sequence[Any]], list[tuple[int, int, int]]]:
        """Return the function giving a query's `(start, end, 1)` per matching record."""
        test = self.test(spec.where, spec.record_type)
        repairs = [self.index[f"repairs:{name}"] for name in spec.classes]
        record_type = spec.record_type
        within = spec.within

        def steps_of(
            records: Iterable[Record], view: View, values: Sequence[Any]
        ) -> list[tuple[int, int, int]]:
            subject = view.subject
            grants = [granted for p in repairs if (granted := values[p])]
            steps = []
            for record in records:
                if record.type != record_type or not test(record, subject):
                    continue
                day = dates.ordinal(record.date)
                end = NEVER if within is None else dates.window_end(day, within)
                if grants:
                    end = min(end, grant_end(record.id, grants))
                steps.append((day, end, 1))
            return steps

        return steps_of

    def _query(self, spec: QuerySpec) -> Kernel:
        steps_of = self.query_steps(spec)

        def kernel(view: View, values: Sequence[Any]) -> Any:
            steps = steps_of(view.of_type(spec.record_type), view, values)
            return Timeline.sum_of_steps(steps, 0)

        return kernel

    def _condition(self, spec: ConditionSpec) -> Kernel:
        condition = condition_timeline(spec.expr, self.index, self.exact)
        return lambda view, values: condition(values, view.subject)

    def _held(self, spec: VetoSpec | EffectSpec, node: Node) -> Kernel:
        duration = spec.locked if isinstance(spec, VetoSpec) else spec.lasts
        if not node.inputs:
            return lambda view, values: FALSE
        position = self.index[node.inputs[0]]

        def kernel(view: View, values: Sequence[Any]) -> Any:
            holds: Timeline = values[position]
            if duration is None:
                return holds
            return holds.held_for_at_least(lambda start: dates.plus(start, duration))

        return kernel

    # ---- tiers, lists, supervision ---------------------------------------------------

    def _tier(self, spec: TierSpec) -> Kernel:
        names = spec.names
        if not names:
            empty = Timeline.constant("")
            return lambda view, values: empty
        rank = {name: position for position, name in enumerate(names)}
        inputs = [self.index[name] for name in spec.conditions if name is not None]
        has_start = spec.start is not None
        if has_start:
            inputs.append(self.index["first_record"])
        inputs.extend(self.index[name] for name, _ in spec.vetoes)
        slots = []
        next_slot = 0
        for condition in spec.conditions:
            slots.append(None if condition is None else next_slot)
            next_slot += condition is not None
        start_slot = next_slot
        veto_ranks = [rank[forced] for _, forced in spec.vetoes]
        veto_first = start_slot + has_start

        def tier_of(*args: Any) -> str:
            if has_start and not args[start_slot]:
                chosen = rank[spec.start or ""]
            else:
                chosen = len(names) - 1
                for position, slot in enumerate(slots):
                    if slot is None or args[slot]:
                        chosen = position
                        break
            for offset, forced in enumerate(veto_ranks):
                if args[veto_first + offset]:
                    chosen = max(chosen, forced)
            return names[chosen]

        def kernel(view: View, values: Sequence[Any]) -> Any:
            if not inputs:
                return Timeline.constant(tier_of())
            return combine(tier_of, [values[p] for p in inputs])

        return kernel

    def list_entries(
        self, spec: ListSpec, view: View, values: Sequence[Any]
    ) -> list[tuple[int, int, str | None]]:
        """Return a list's entries as `(start, end, record id or None)`."""
        leave = None if spec.leave_when is None else values[self.index[spec.leave_when]]

        def ending(start: int) -> int:
            earliest = dates.plus(start, spec.min_stay)
            end = dates.plus(start, spec.max_stay) if spec.max_stay else NEVER
            if leave is not None:
                left = leave.first_where(bool, earliest)
                if left is not None:
                    end = min(end, left)
            return end

        entries: list[tuple[int, int, str | None]] = []
        if spec.enter_on is not None:
            record_type, where, classes = spec.enter_on
            test = self._list_tests.get(spec.name)
            if test is None:  # compiled once, not on every call
                test = self._list_tests[spec.name] = self.test(where, record_type)
            grants = [values[self.index[f"repairs:{name}"]] for name in classes]
            for record in view.of_type(record_type):
                if test(record, view.subject):
                    day = dates.ordinal(record.date)
                    end = min(ending(day), grant_end(record.id, grants))
                    entries.append((day, end, record.id))
        if spec.enter_when is not None:
            holds: Timeline = values[self.index[spec.enter_when]]
            for start, stop in holds.true_periods():
                end = min(max(stop, dates.plus(start, spec.min_stay)), ending(start))
                entries.append((start, end, None))
        return entries

    def _list(self, spec: ListSpec) -> Kernel:
        def kernel(view: View, values: Sequence[Any]) -> Any:
            entries = self.list_entries(spec, view, values)
            if not entries:
                return FALSE
            return Timeline.of_periods([(start, end) for start, end, _ in entries])

        return kernel

    def _supervision(self, spec: SupervisionSpec) -> Kernel:
        tier = self.index["tier"]
        slots = []
        inputs = [tier]
        for name, tiers, condition in spec.entries:
            slot = None
            if condition is not None:
                inputs.append(self.index[condition])
                slot = len(inputs) - 1
            slots.append((name, tiers, slot))

        def entry_of(tier_name: str, *conditions: Any) -> str | None:
            for name, tiers, slot in slots:
                if (not tiers or tier_name in tiers) and (
                    slot is None or conditions[slot - 1]
                ):
                    return name
            return None

        return lambda view, values: combine(entry_of, [values[p] for p in inputs])

    # ---- repair ---------------------------------------------------------------------

    def _repairs(self, spec: RepairSpec) -> Kernel:
        if spec.judged_whole:
            return self._repairs_judged_whole(spec)
        unless = None if spec.unless is None else self.index[spec.unless]

        def kernel(view: View, values: Sequence[Any]) -> Any:
            grants: dict[str, int] = {}
            bar: Timeline | None = None if unless is None else values[unless]
            for request, target in self._requested(spec, view):
                granted = _grant_date(spec, view, request, target, bar)
                if granted is not None and granted < grants.get(target.id, NEVER):
                    grants[target.id] = granted
            return grants or NO_GRANTS

        return kernel

    def _requested(
        self, spec: RepairSpec, view: View
    ) -> Iterator[tuple[Record, Record]]:
        """Yield each repair request of the view for a record of this class, with it."""
        for request in view.of_type(REPAIR_REQUEST):
            target = view.get(str(request.field("target")))
            if target is None or target.subject != view.subject.id:
                continue
            decided = self.classify(target, view)
            if decided is not None and decided[1] == spec.name:
                yield request, target

    def _repairs_judged_whole(self, spec: RepairSpec) -> Kernel:
        policy = self.plan.policy

        def kernel(view: View, values: Sequence[Any]) -> Any:
            # A record asked for twice is judged once.
            targets = {t.id: t for _, t in self._requested(spec, view)}.values()
            if not targets:
                return NO_GRANTS
            whole = reference_view(policy, view)
            grants: dict[str, int] = {}
            for target in targets:
                granted = grant_date(whole, target)
                if granted is not None:
                    grants[target.id] = dates.ordinal(granted)
            return grants or NO_GRANTS

        return kernel


def reference_view(policy: Policy, view: View) -> ReferenceView:
    """Return the reference evaluator's view of the same records."""
    return ReferenceView.of(policy, view.subject, view.records)


def finish_score(spec: ScoreSpec, raw: Decimal) -> Decimal:
    """Clamp a raw score to the range, then round it half up."""
    score = raw
    if spec.low is not None and score < spec.low:
        score = spec.low
    if spec.high is not None and score > spec.high:
        score = spec.high
    if spec.rounding:
        score = (score / spec.rounding).to_integral_value(ROUND_HALF_UP) * spec.rounding
    return score


def evidence_from(view: View, record_type: str, since: int) -> int | None:
    """Return the date of the first record of a type dated on or after `since`."""
    for record in view.of_type(record_type):
        day = dates.ordinal(record.date)
        if day >= since:
            return day
    return None


def _grant_date(
    spec: RepairSpec,
    view: View,
    request: Record,
    target: Record,
    bar: Timeline | None,
) -> int | None:
    """Return the first day a repair request is granted on, or None if never."""
    violation = dates.ordinal(target.date)
    earliest = max(dates.ordinal(request.date), dates.plus(violation, spec.after))
    for record_type in spec.requires:
        found = evidence_from(view, record_type, violation)
        if found is None:
            return None
        earliest = max(earliest, found)
    if bar is None:
        return earliest
    return bar.first_where(_not, earliest)


def capper(cap: Any) -> Callable[[Any], Any] | None:
    """Return the function limiting a total by a cap, in the cap's direction."""
    if cap is None:
        return None
    if cap < 0:
        return lambda total: max(total, cap)
    if cap > 0:
        return lambda total: min(total, cap)
    # `at most 0` has no direction: nothing of the total is left either way.
    zero = ZERO if isinstance(cap, Decimal) else 0
    return lambda total: zero


def _finishing(spec: ScoreSpec) -> Callable[[Decimal], Decimal]:
    """Return `finish_score` of a score, remembering the scores it finished."""
    # Raw scores repeat across subjects; clamping and rounding each once
    # saves most of the decimal arithmetic.
    finished: dict[Decimal, Decimal] = {}

    def finish(raw: Decimal) -> Decimal:
        score = finished.get(raw)
        if score is None:
            if len(finished) > 4096:
                finished.clear()
            score = finished[raw] = finish_score(spec, raw)
        return score

    return finish


def _clamp(spec: ScoreSpec) -> Callable[[int], int]:
    """Return `finish_score` of the whole raw scores of an exact plan.

    Rounding to a power of ten no greater than one leaves a whole number as it
    is (see `credit_rules.engine.patching.exact_sums`): only the range is left.
    """
    low = None if spec.low is None else int(spec.low)
    high = None if spec.high is None else int(spec.high)

    def finish(raw: int) -> int:
        if low is not None and raw < low:
            return low
        if high is not None and raw > high:
            return high
        return raw

    return finish


def _same(amount: Decimal) -> Decimal:
    return amount


def _not(value: bool) -> bool:
    return not value


def _matching(record_type: str, test: RecordTest) -> Filter:
    # Loops rather than `any` over a generator: these run for every source of
    # every event, mostly on one record.
    def matching(records: Sequence[Record], view: View) -> bool:
        subject = view.subject
        for record in records:
            if record.type == record_type and test(record, subject):
                return True
        return False

    return matching


def _touches_repairs(records: Sequence[Record], view: View) -> bool:
    # Grants exist only for records a repair request names: with no request
    # before or after the change, there is none either way.
    return bool(view.of_type(REPAIR_REQUEST)) or REPAIR_REQUEST in [
        record.type for record in records
    ]


def _touches_first(records: Sequence[Record], view: View) -> bool:
    # A record added after the earliest, or removed from after it, leaves the
    # earliest where it was: some record of the view comes before it.
    return not all([view.has_before(record) for record in records])


def _first_record(view: View, values: Sequence[Any]) -> Any:
    first = view.first()
    if first is None:
        return FALSE
    day = dates.ordinal(first.date)
    if day <= DAWN:
        return TRUE
    return Timeline((day,), (False, True))


def _downstream(inputs: list[frozenset[int]]) -> list[tuple[int, ...]]:
    """Return, per node, the positions of every node that reads it, transitively.

    Nodes come after their inputs, so one pass from the end gathers them.
    """
    readers: list[set[int]] = [set() for _ in inputs]
    for position, sources in enumerate(inputs):
        for source in sources:
            readers[source].add(position)
    reached: list[set[int]] = [set() for _ in inputs]
    for position in range(len(inputs) - 1, -1, -1):
        for reader in readers[position]:
            reached[position].add(reader)
            reached[position] |= reached[reader]
    return [tuple(sorted(found)) for found in reached]
