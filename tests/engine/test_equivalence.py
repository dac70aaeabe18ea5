"""The incremental engine agrees with the reference evaluator on every input.

A hypothesis state machine drives an engine through random interleavings of
ingest, duplicate ingest, correction, retraction, time advance and restore from a
snapshot, under small generated policies and under the real policies of
`policies/`. After every step, every subject's assessment by the engine equals
the reference evaluator's, on the engine's current date and on random other
dates; so do the explanation's waterfall and list entries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from credit_rules.credit_code import check_character
from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy
from credit_rules.engine import reference
from credit_rules.engine.runtime import Engine
from credit_rules.records import FieldValue, Record, Subject
from engine import policies as build

FIRST_DAY = dt.date(2024, 1, 1)
LAST_DAY = dt.date(2027, 12, 31)
SUBJECTS = ("S1", "S2")
POLICIES = Path(__file__).resolve().parents[2] / "policies"

dates = st.dates(FIRST_DAY, LAST_DAY)


# ---- small generated policies ------------------------------------------------------------


def _enum(name: str, *values: str) -> ast.EnumDecl:
    return ast.EnumDecl(name, values=tuple(ast.EnumValue(value) for value in values))


def _record_type(name: str, **fields: str) -> ast.RecordDecl:
    return ast.RecordDecl(
        name, fields=tuple(ast.FieldDecl(k, v) for k, v in fields.items())
    )


TYPES = (
    _enum("outcome", "pass", "fail"),
    _enum("severity", "minor", "serious"),
    _record_type("test", result="outcome", severity="severity"),
    _record_type("cert", valid_from="date", valid_until="date"),
    _record_type("letter"),
    _record_type("fraud"),
    _record_type("repair_request", target="record_id"),
    ast.SubjectDecl(fields=(ast.FieldDecl("region", "text"),)),
)

durations = st.sampled_from(
    [build.days(20), build.months(1), build.months(6), build.years(1)]
)
test_filters = st.sampled_from(
    [
        None,
        build.eq("result", "fail"),
        build.eq("severity", "serious"),
        build.all_of(build.eq("result", "fail"), build.eq("severity", "minor")),
        build.compare("subject.region", "==", ast.String("north")),
    ]
)


@st.composite
def point_rules(draw: st.DrawFn, name: str) -> ast.RuleDecl:
    """Draw a point rule on `test` records."""
    escalating = draw(st.booleans())
    return build.rule(
        name,
        on=build.q("test", draw(test_filters)),
        points=[-5, -10, -20]
        if escalating
        else [draw(st.sampled_from([-5, -10, -30]))],
        window=draw(durations) if escalating else None,
        cap=draw(st.sampled_from([None, -25, 0])),
        group=draw(st.sampled_from([None, "penalties", "bonus"])),
        counts=draw(st.sampled_from([None, build.months(3), build.years(1)])),
        repair=draw(st.sampled_from([None, "general", "general", "none"])),
    )


@st.composite
def small_policies(draw: st.DrawFn) -> Policy:
    """Draw a small policy over the record types of `TYPES`."""
    declarations: list[Any] = list(TYPES)
    declarations.append(
        build.score_decl(
            80,
            low=draw(st.sampled_from([None, 0])),
            high=draw(st.sampled_from([None, 90])),
            rounding=draw(st.sampled_from([None, "5"])),
        )
    )
    declarations.append(ast.GroupDecl("penalties", cap=Decimal(-30)))
    declarations.append(ast.GroupDecl("bonus", cap=Decimal(8)))
    for index in range(draw(st.integers(1, 3))):
        declarations.append(draw(point_rules(f"rule{index}")))
    if draw(st.booleans()):
        declarations.append(
            build.rule(
                "certified",
                on=build.q("cert"),
                points=[5],
                group="bonus",
                counts=ast.CountsBetween("valid_from", "valid_until"),
            )
        )
    if draw(st.booleans()):
        declarations.append(
            build.rule("fraud", on=build.q("fraud"), points=[-20], repair="none")
        )

    recent_serious = build.any_of(
        build.q("test", build.eq("severity", "serious"), draw(durations))
    )
    a_condition: ast.Expr = build.score_at_least(90)
    if draw(st.booleans()):
        a_condition = build.all_of(
            a_condition, build.none_of(build.q("test", None, build.years(1)))
        )
    declarations.append(
        build.tiers(
            ("A", a_condition),
            ("B", build.score_at_least(75)),
            ("C", build.score_at_least(60)),
            ("D", None if draw(st.booleans()) else build.score_at_least(0)),
            start=draw(st.sampled_from([None, "B"])),
        )
    )
    if draw(st.booleans()):
        declarations.append(
            ast.VetoDecl(
                "veto",
                forces="C",
                when=recent_serious,
                locked=draw(st.sampled_from([None, build.months(6)])),
            )
        )

    letter = build.any_of(build.q("letter", None, build.months(6)))
    if draw(st.booleans()):
        declarations.append(
            ast.ListDecl(
                "black",
                enter_on=build.q("test", build.eq("severity", "serious")),
                min_stay=draw(st.sampled_from([None, build.months(3)])),
                max_stay=draw(st.sampled_from([None, build.years(1)])),
                leave_when=draw(st.sampled_from([None, letter])),
            )
        )
    else:
        declarations.append(
            ast.ListDecl(
                "black",
                enter_when=ast.Compare("<", ast.ScoreRef(), ast.Number(Decimal(70))),
                min_stay=draw(st.sampled_from([None, build.months(3)])),
                max_stay=draw(st.sampled_from([None, build.months(6)])),
                leave_when=draw(st.sampled_from([None, letter])),
            )
        )
    declarations.append(
        ast.EffectDecl(
            "barred",
            kind="sanction",
            when=ast.Listed("black"),
            lasts=draw(st.sampled_from([None, build.months(6)])),
        )
    )
    declarations.append(
        ast.EffectDecl(
            "priority",
            kind="incentive",
            when=build.compare(ast.TierRef(), "==", "A"),
            lasts=None,
        )
    )
    declarations.append(ast.SupervisionDecl("reduced", tiers=("A",)))
    declarations.append(
        ast.SupervisionDecl("watched", tiers=("B",), when=ast.Active("barred"))
    )
    declarations.append(ast.SupervisionDecl("normal", tiers=()))
    declarations.append(
        ast.RepairDecl(
            "general",
            after=draw(st.sampled_from([None, build.months(1)])),
            requires=draw(st.sampled_from([(), ("letter",)])),
            # A bar on failed tests reads the grants of the very class that
            # repairs them: the engine leaves those to the reference's rules.
            unless=draw(
                st.sampled_from(
                    [
                        None,
                        build.any_of(build.q("fraud", None, build.years(1))),
                        build.any_of(
                            build.q("test", build.eq("result", "fail"), build.years(1))
                        ),
                    ]
                )
            ),
        )
    )
    return build.policy(*declarations)


# ---- records for any policy --------------------------------------------------------------------


def _credit_code(number: int) -> str:
    first = f"91320800MA{number:07d}"
    return first + check_character(first)


def field_values(
    policy: Policy, type_name: str, targets: list[str]
) -> st.SearchStrategy[FieldValue]:
    """Values of one declared field type."""
    if type_name == "bool":
        return st.booleans()
    if type_name == "number":
        return st.integers(0, 5).map(Decimal)
    if type_name == "date":
        return dates
    if type_name == "text":
        return st.sampled_from(["north", "south"])
    if type_name == "credit_code":
        return st.integers(0, 9).map(_credit_code)
    if type_name == "record_id":
        return st.sampled_from(targets or ["nothing"])
    return st.sampled_from([value.name for value in policy.enums[type_name].values])


@st.composite
def records_of(
    draw: st.DrawFn,
    policy: Policy,
    record_id: str,
    subject: str,
    targets: list[str],
    record_type: str | None = None,
) -> Record:
    """Draw a valid record of the policy."""
    names = sorted(policy.records)
    chosen = record_type or draw(st.sampled_from(names))
    fields = {
        field.name: draw(field_values(policy, field.type, targets))
        for field in policy.records[chosen].fields
    }
    return Record(record_id, subject, chosen, draw(dates), fields)


@st.composite
def subjects_of(draw: st.DrawFn, policy: Policy, subject_id: str) -> Subject:
    """Draw a valid subject of the policy."""
    declared = policy.subject.fields if policy.subject else ()
    attributes = {
        field.name: draw(field_values(policy, field.type, [])) for field in declared
    }
    kinds = (
        [value.name for value in policy.enums["subject_kind"].values]
        if "subject_kind" in policy.enums
        else ["enterprise"]
    )
    return Subject(subject_id, draw(st.sampled_from(kinds)), attributes)


# ---- the state machine --------------------------------------------------------------------------


class Equivalence(RuleBasedStateMachine):
    """Random events on an engine; after each, the engine agrees with the reference."""

    policy: Policy

    def __init__(self) -> None:
        super().__init__()
        self.engine: Engine | None = None
        self.count = 0

    def start(self, policy: Policy, data: st.DataObject) -> None:
        self.policy = policy
        self.engine = Engine(policy, today=data.draw(dates))
        self.engine.ingest(
            [data.draw(subjects_of(policy, subject)) for subject in SUBJECTS]
        )

    @property
    def live(self) -> Engine:
        assert self.engine is not None
        return self.engine

    def record_ids(self, subject: str) -> list[str]:
        return [record.id for record in self.live.records(subject)]

    def all_ids(self) -> list[str]:
        return [
            record_id for subject in SUBJECTS for record_id in self.record_ids(subject)
        ]

    @rule(data=st.data())
    def ingest(self, data: st.DataObject) -> None:
        subject = data.draw(st.sampled_from(SUBJECTS))
        self.count += 1
        record = data.draw(
            records_of(self.policy, f"R{self.count}", subject, self.record_ids(subject))
        )
        self.live.ingest([record])
        self.check(data)

    @rule(data=st.data())
    def ingest_repair(self, data: st.DataObject) -> None:
        subject = data.draw(st.sampled_from(SUBJECTS))
        targets = self.record_ids(subject)
        if "repair_request" not in self.policy.records or not targets:
            return
        self.count += 1
        record = data.draw(
            records_of(
                self.policy, f"R{self.count}", subject, targets, "repair_request"
            )
        )
        self.live.ingest([record])
        self.check(data)

    @precondition(lambda self: bool(self.all_ids()))
    @rule(data=st.data())
    def ingest_again(self, data: st.DataObject) -> None:
        record_id = data.draw(st.sampled_from(self.all_ids()))
        record = self.live.store.record(record_id)
        assert record is not None
        before = [self.live.assess(subject) for subject in SUBJECTS]
        self.live.ingest([record])
        assert before == [self.live.assess(subject) for subject in SUBJECTS]

    @precondition(lambda self: bool(self.all_ids()))
    @rule(data=st.data())
    def correct(self, data: st.DataObject) -> None:
        record_id = data.draw(st.sampled_from(self.all_ids()))
        known = self.live.store.record(record_id)
        assert known is not None
        targets = [
            other for other in self.record_ids(known.subject) if other != record_id
        ]
        record = data.draw(
            records_of(self.policy, record_id, known.subject, targets, known.type)
        )
        self.live.correct(record)
        self.check(data)

    @precondition(lambda self: bool(self.all_ids()))
    @rule(data=st.data())
    def retract(self, data: st.DataObject) -> None:
        record_id = data.draw(st.sampled_from(self.all_ids()))
        known = self.live.store.record(record_id)
        assert known is not None
        if record_id in self.live.retractions(known.subject):
            return
        self.live.retract(record_id, on=data.draw(dates))
        self.check(data)

    @rule(data=st.data(), days=st.integers(0, 400))
    def advance(self, data: st.DataObject, days: int) -> None:
        self.live.advance(to=min(self.live.today + dt.timedelta(days=days), LAST_DAY))
        self.check(data)

    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        before = [self.live.assess(subject) for subject in SUBJECTS]
        self.engine = Engine.restore(self.live.snapshot(), self.policy)
        assert before == [self.live.assess(subject) for subject in SUBJECTS]
        self.check(data)

    def check(self, data: st.DataObject) -> None:
        """Compare every subject with the reference today and on other dates."""
        for subject in SUBJECTS:
            for day in [self.live.today, *data.draw(st.lists(dates, max_size=2))]:
                self.compare(subject, day)

    def compare(self, subject_id: str, day: dt.date) -> None:
        engine = self.live
        records = engine.records(subject_id)
        subject = next(s for s in engine.store.subjects() if s.id == subject_id)
        retractions = engine.retractions(subject_id)
        expected = reference.assess(
            self.policy, subject, records, day, retractions=retractions
        )
        assessed = engine.assess(subject_id, day)
        assert engine.plan.digest == assessed.policy_digest
        assert expected == assessed

        explanation = engine.explain(subject_id, day)
        parts = reference.score_parts(
            self.policy, subject, records, day, retractions=retractions
        )
        assert parts == explanation.parts
        assert parts.score == parts.base + sum(
            (item.points for item in parts.items), Decimal(0)
        )
        for name in self.policy.lists:
            entries = reference.list_entries(
                self.policy, subject, records, day, name, retractions=retractions
            )
            assert entries == explanation.list_entries(name)
        trace = reference.tier_trace(
            self.policy, subject, records, day, retractions=retractions
        )
        assert trace == explanation.tier


class SmallPolicies(Equivalence):
    @initialize(policy=small_policies(), data=st.data())
    def begin(self, policy: Policy, data: st.DataObject) -> None:
        self.start(policy, data)


TestSmallPolicies = SmallPolicies.TestCase
TestSmallPolicies.settings = settings(
    settings(),
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _real_policy(name: str) -> Policy | None:
    folder = POLICIES / name
    if not folder.is_dir():
        return None
    from credit_rules.dsl.loader import load

    return load(folder)


@pytest.mark.parametrize("name", ["jiangsu", "huaian"])
def test_real_policies(name: str) -> None:
    """The engine agrees with the reference under each real policy, if present."""
    policy = _real_policy(name)
    if policy is None:
        pytest.skip(f"policies/{name} is not there")

    class RealPolicy(Equivalence):
        @initialize(data=st.data())
        def begin(self, data: st.DataObject) -> None:
            assert policy is not None
            self.start(policy, data)

    limit = settings().max_examples
    RealPolicy.TestCase.settings = settings(
        max_examples=max(10, limit // 5),
        stateful_step_count=15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    RealPolicy.TestCase().runTest()
