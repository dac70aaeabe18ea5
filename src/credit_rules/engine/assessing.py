"""Reading an assessment off a subject's node values.

Every node already holds its value for all dates, so an assessment as of a date
reads each output at that date. Only repair options compute anything: the figures
after a repair come from recomputing, on a copy, the nodes downstream of the
record's repair class with that repair granted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from credit_rules.engine import dates
from credit_rules.engine.assessment import Assessment, RepairOption, SupervisionLevel
from credit_rules.engine.kernels import (
    Program,
    RuleEntry,
    evidence_from,
    reference_view,
)
from credit_rules.engine.plan import RuleSpec
from credit_rules.engine.repair import options as reference_options
from credit_rules.engine.subject_records import SubjectRecords
from credit_rules.engine.timeline import Timeline
from credit_rules.records import Record


class Reader:
    """Reads assessments off node values, for one program.

    Attributes:
        program: The executable plan.
        digest: The plan's digest, which every assessment carries.
    """

    def __init__(self, program: Program) -> None:
        self.program = program
        plan = program.plan
        self.policy = plan.policy
        self.digest = plan.digest
        self.index = plan.index
        self.score = plan.index["score"]
        self.tier = plan.index["tier"]
        self.supervision = plan.index["supervision"]
        self.lists = [(name, plan.index[f"list:{name}"]) for name in self.policy.lists]
        self.effects = [
            (name, plan.index[f"effect:{name}"]) for name in self.policy.effects
        ]
        self.outputs = [plan.index[name] for name in plan.outputs]
        self.watched = [
            self.tier,
            *(p for _, p in self.lists),
            *(p for _, p in self.effects),
        ]
        self.watched_names: list[tuple[Any, str]] = [
            ("tier", "tier"),
            *(("list", name) for name, _ in self.lists),
            *(("effect", name) for name, _ in self.effects),
        ]
        self.rules: list[RuleSpec] = [
            node.spec for node in plan.nodes if node.kind == "rule"
        ]
        self.rules.sort(key=lambda spec: list(self.policy.rules).index(spec.name))
        # A record can have a repair option only if its type has a repair class;
        # the rules on other types are never looked at for options.
        self.repairable = [spec for spec in self.rules if spec.classes]
        self.judged_whole = any(
            node.kind == "repairs" and node.spec.judged_whole
            for node in program.plan.nodes
        )
        self.levels = {
            name: SupervisionLevel(name, decl.label, decl.inspections, decl.sampling)
            for name, decl in self.policy.supervision.items()
        }

    def assess(
        self, view: SubjectRecords, values: Sequence[Any], day: int
    ) -> Assessment:
        """Return the assessment of a view's values as of `day`."""
        supervision = values[self.supervision].value_at(day)
        return Assessment(
            subject=view.subject.id,
            as_of=dates.to_date(day),
            score=values[self.score].value_at(day),
            tier=values[self.tier].value_at(day),
            lists=tuple(name for name, p in self.lists if values[p].value_at(day)),
            effects=tuple(name for name, p in self.effects if values[p].value_at(day)),
            supervision=None if supervision is None else self.levels[supervision],
            repair_options=self.repair_options(view, values, day),
            next_change=self.next_change(values, day),
            policy_digest=self.digest,
        )

    def next_change(self, values: Sequence[Any], day: int) -> Any:
        """Return the first date after `day` on which an output changes, or None."""
        found = [values[p].next_change(day) for p in self.outputs]
        changes = [change for change in found if change is not None]
        return dates.to_date(min(changes)) if changes else None

    def in_force(
        self,
        view: SubjectRecords,
        values: Sequence[Any],
        day: int,
        rules: Sequence[RuleSpec] | None = None,
    ) -> list[tuple[RuleSpec, list[RuleEntry]]]:
        """Return, per rule in declaration order, its entries in force on `day`.

        Args:
            view: The records of the view.
            values: The view's node values.
            day: The date.
            rules: The rules to look at; every rule by default.
        """
        found = []
        for spec in self.rules if rules is None else rules:
            entries = self.program.rule_entries(spec, view, values)
            found.append((spec, [e for e in entries if e.start <= day < e.end]))
        return found

    def repair_options(
        self, view: SubjectRecords, values: Sequence[Any], day: int
    ) -> tuple[RepairOption, ...]:
        """Return the repair options on `day`, ordered by record id."""
        if not self.repairable:
            return ()
        if self.judged_whole:
            # Granting one repair may move the others' grants: the reference
            # evaluator works them out together (see `RepairSpec.judged_whole`).
            whole = reference_view(self.policy, view)
            return reference_options(whole, dates.to_date(day))
        seen: dict[str, Record] = {}
        for _, entries in self.in_force(view, values, day, self.repairable):
            for entry in entries:
                seen.setdefault(entry.record.id, entry.record)
        options = []
        for record in seen.values():
            option = self._option(view, values, record, day)
            if option is not None:
                options.append(option)
        return tuple(sorted(options, key=lambda option: option.record))

    def _option(
        self, view: SubjectRecords, values: Sequence[Any], record: Record, day: int
    ) -> RepairOption | None:
        decided = self.program.classify(record, view)
        if decided is None:
            return None
        rule, name = decided
        repair = self.policy.repairs[name]
        violation = record.date.toordinal()
        earliest = dates.plus(violation, repair.after)
        available: int | None = earliest
        if repair.unless is not None:
            spec = self.program.plan.nodes[self.index[f"repairs:{name}"]].spec
            bar: Timeline = values[self.index[spec.unless]]
            available = bar.first_where(_not, earliest)
        if available is None:
            return None

        missing = tuple(
            evidence_type
            for evidence_type in repair.requires
            if (found := evidence_from(view, evidence_type, violation)) is None
            or found > day
        )
        granted_on = max(day, available)
        after = self.granting(view, values, name, record.id, granted_on)
        return RepairOption(
            record=record.id,
            rule=rule,
            repair_class=name,
            available_from=dates.to_date(available),
            missing=missing,
            score_after=after[self.score].value_at(granted_on),
            tier_after=after[self.tier].value_at(granted_on),
        )

    def granting(
        self,
        view: SubjectRecords,
        values: Sequence[Any],
        repair_class: str,
        record_id: str,
        day: int,
    ) -> list[Any]:
        """Return a copy of the values with a record's repair granted on `day`."""
        position = self.index[f"repairs:{repair_class}"]
        copy = list(values)
        copy[position] = {**values[position], record_id: day}
        changed = {position}
        for later in self.program.downstream[position]:
            if changed.isdisjoint(self.program.inputs[later]):
                continue
            value = self.program.kernels[later](view, copy)
            if value != copy[later]:
                copy[later] = value
                changed.add(later)
        return copy


def _not(value: bool) -> bool:
    return not value


ZERO = Decimal(0)
