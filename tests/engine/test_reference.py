"""The reference evaluator on worked examples whose figures were computed by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy
from credit_rules.engine import assess
from credit_rules.engine.reference import list_entries, score_parts, tier_trace
from credit_rules.errors import CreditRulesError
from credit_rules.records import FieldValue, Record
from engine.policies import (
    SUBJECT,
    any_of,
    compare,
    day,
    eq,
    months,
    none_of,
    policy,
    q,
    record,
    repair_request,
    rule,
    score_at_least,
    score_decl,
    text_policy,
    tiers,
    years,
)


def penalty(record_id: str, date: str, severity: str = "general") -> Record:
    """A penalty of `severity`."""
    return record(record_id, "penalty", date, {"severity": severity})


def failed_test(record_id: str, date: str) -> Record:
    """A failed sampling test."""
    return record(record_id, "sampling_test", date, {"result": "fail"})


def evidence(record_id: str, record_type: str, date: str) -> Record:
    """A record of a type with no fields: a letter, a certification, ..."""
    return record(record_id, record_type, date)


GRADES = tiers(("A", score_at_least(95)), ("B", score_at_least(80)), ("C", None))
"""A >= 95, B >= 80, C otherwise."""

GENERAL_REPAIR = ast.RepairDecl(
    "general", after=months(3), requires=("commitment_letter", "rectification")
)
"""`repair general { after 3 months  requires commitment_letter, rectification }`."""


def general_penalties(
    *, counts: ast.Duration | None = None, repair: str | None = None
) -> ast.RuleDecl:
    """`rule penalty_general { on penalty where severity == general  points -10 }`."""
    general = q("penalty", eq("severity", "general"))
    return rule("penalty_general", general, [-10], counts=counts, repair=repair)


def score(
    p: Policy,
    records: list[Record],
    on: str,
    retractions: dict[str, dt.date] | None = None,
) -> Decimal:
    """The score assessed on `on`."""
    return assess(p, SUBJECT, records, day(on), retractions=retractions).score


# ---- points, expiry, escalation ---------------------------------------------------


def test_a_record_counts_for_two_years_to_the_day() -> None:
    """A record counting for 2 years stops on the day 2 years after.

    A -10 penalty of 2024-03-01 counting for 2 years counts on 2026-02-28 (90)
    and not on 2026-03-01 (100); assessed in between, the next change is its expiry.
    """
    p = policy(general_penalties(counts=years(2)))
    records = [penalty("P1", "2024-03-01")]
    assert Decimal(100) == score(p, records, "2024-02-29")
    assert Decimal(90) == score(p, records, "2024-03-01")
    assert Decimal(90) == score(p, records, "2026-02-28")
    assert Decimal(100) == score(p, records, "2026-03-01")
    assert (
        day("2026-03-01") == assess(p, SUBJECT, records, day("2025-06-01")).next_change
    )


def test_points_escalate_within_a_window() -> None:
    """`points -10, -15, -20 within 1 year`.

    Failures of 2026-01-10, 05-10 and 09-10 get -10, -15, -20; one of 2027-06-01 has
    only 2026-09-10 within a year before it, so it is the 2nd and gets -15. Counting
    forever, 100 - 60 = 40.
    """
    failures = rule(
        "sampling_failure",
        q("sampling_test", eq("result", "fail")),
        [-10, -15, -20],
        window=years(1),
    )
    p = policy(failures)
    records = [
        failed_test("T1", "2026-01-10"),
        failed_test("T2", "2026-05-10"),
        failed_test("T3", "2026-09-10"),
        failed_test("T4", "2027-06-01"),
    ]
    parts = score_parts(p, SUBJECT, records, day("2027-06-01"))
    points = [item.points for item in parts.items]
    assert [Decimal(-10), Decimal(-15), Decimal(-20), Decimal(-15)] == points
    assert Decimal(40) == parts.score


def test_a_rule_cap_cuts_as_its_own_item() -> None:
    """Two -20 records under `at most -30` total -40, capped to -30.

    The waterfall shows -20, -20 and a rule cap of +10; the score is 70.
    """
    p = policy(rule("penalty_general", q("penalty"), [-20], cap=-30))
    records = [penalty("P1", "2026-01-01"), penalty("P2", "2026-02-01")]
    parts = score_parts(p, SUBJECT, records, day("2026-03-01"))
    assert ["record", "record", "rule_cap"] == [item.kind for item in parts.items]
    assert Decimal(10) == parts.items[2].points
    assert ("P1", "P2") == parts.items[2].records
    assert Decimal(70) == parts.score


def test_a_group_cap_cuts_the_sum_of_its_rules() -> None:
    """Base 70.

    A certification +15 and a training +8 in group `bonus` capped at +20: 23 cut to 20,
    a group cap item of -3, score 90.
    """
    bonus = ast.GroupDecl("bonus", cap=Decimal(20))
    p = policy(
        score_decl(70),
        bonus,
        rule("certified", q("certification"), [15], group="bonus"),
        rule("trained", q("training"), [8], group="bonus"),
    )
    records = [
        evidence("C1", "certification", "2026-01-01"),
        evidence("T1", "training", "2026-01-02"),
    ]
    parts = score_parts(p, SUBJECT, records, day("2026-02-01"))
    assert ["record", "record", "group_cap"] == [item.kind for item in parts.items]
    assert (Decimal(-3), "bonus") == (parts.items[2].points, parts.items[2].group)
    assert Decimal(90) == parts.score


def test_the_range_clamps_as_its_own_item() -> None:
    """Base 95 plus a +15 certification is 110, clamped by `range 0 to 100`.

    A range item of -10, score 100.
    """
    p = policy(
        score_decl(95, low=0, high=100), rule("certified", q("certification"), [15])
    )
    parts = score_parts(
        p, SUBJECT, [evidence("C1", "certification", "2026-01-01")], day("2026-01-01")
    )
    assert ("range", Decimal(-10)) == (parts.items[-1].kind, parts.items[-1].points)
    assert Decimal(100) == parts.score


def test_rounding_is_half_up_and_its_own_item() -> None:
    """`rounding 0.1`: 100 - 0.25 = 99.75 rounds half up to 99.8, an item of +0.05."""
    p = policy(
        score_decl(100, rounding="0.1"), rule("late", q("late_report"), ["-0.25"])
    )
    parts = score_parts(
        p, SUBJECT, [evidence("L1", "late_report", "2026-01-01")], day("2026-01-01")
    )
    assert ("rounding", Decimal("0.05")) == (
        parts.items[-1].kind,
        parts.items[-1].points,
    )
    assert Decimal("99.8") == parts.score


def test_record_items_say_until_when_they_count() -> None:
    """A record counting for 2 years from 2026-01-31 stops on 2028-01-31."""
    p = policy(general_penalties(counts=years(2)))
    parts = score_parts(p, SUBJECT, [penalty("P1", "2026-01-31")], day("2026-06-01"))
    assert day("2028-01-31") == parts.items[0].until


# ---- the view ------------------------------------------------------------------------


def test_a_retraction_removes_the_record_from_its_date_on() -> None:
    """A -10 penalty of 2026-03-01 retracted on 2026-06-01.

    As of 2026-05-31 the score is 90, as of 2026-06-01 it is 100.
    """
    p = policy(general_penalties())
    records = [penalty("P1", "2026-03-01")]
    retracted = {"P1": day("2026-06-01")}
    assert Decimal(90) == score(p, records, "2026-05-31", retractions=retracted)
    assert Decimal(100) == score(p, records, "2026-06-01", retractions=retracted)


def test_a_retraction_ends_the_lock_it_caused() -> None:
    """A veto locked for 2 years by a penalty of 2026-03-01 holds as of 2026-05-31.

    Once the penalty is retracted on 2026-06-01 the tier is A again.
    """
    veto = ast.VetoDecl(
        "violation", forces="C", when=any_of(q("penalty")), locked=years(2)
    )
    p = policy(GRADES, veto)
    records = [penalty("P1", "2026-03-01")]
    retracted = {"P1": day("2026-06-01")}
    as_of = assess(p, SUBJECT, records, day("2026-05-31"), retractions=retracted)
    after = assess(p, SUBJECT, records, day("2026-06-01"), retractions=retracted)
    assert ("C", "A") == (as_of.tier, after.tier)


def test_records_of_another_subject_are_refused() -> None:
    """Passing another subject's record is a clear error, never silently ignored."""
    stranger = record(
        "X1", "penalty", "2026-01-01", {"severity": "general"}, subject="S2"
    )
    with pytest.raises(CreditRulesError, match="pass only the subject's own records"):
        assess(policy(), SUBJECT, [stranger], day("2026-01-01"))


# ---- tiers, vetoes, supervision ---------------------------------------------------------


def test_the_start_tier_applies_until_the_first_record() -> None:
    """With `start B` and no record yet, the tier is B though the score is 100.

    From the day of the first record (an inspection worth nothing) it is A.
    """
    p = policy(tiers(("A", score_at_least(95)), ("B", None), start="B"))
    records = [evidence("I1", "inspection", "2026-04-01")]
    assert "B" == assess(p, SUBJECT, records, day("2026-03-31")).tier
    assert "A" == assess(p, SUBJECT, records, day("2026-04-01")).tier
    assert tier_trace(p, SUBJECT, records, day("2026-03-31")).started


def test_a_lock_survives_a_repair() -> None:
    """A veto's lock keeps its minimum after the violation is repaired.

    A general penalty of 2026-01-10 (-10), repaired on 2026-04-10 (3 months after,
    evidence earlier), locks the veto `forces C` for 2 years from 2026-01-10: the
    score is back to 100 but the tier is C until 2028-01-10, then A.
    """
    veto = ast.VetoDecl(
        "violation", forces="C", when=any_of(q("penalty")), locked=years(2)
    )
    p = policy(GRADES, veto, general_penalties(repair="general"), GENERAL_REPAIR)
    records = [
        penalty("P1", "2026-01-10"),
        evidence("L1", "commitment_letter", "2026-02-01"),
        evidence("R1", "rectification", "2026-02-01"),
        repair_request("Q1", "P1", "2026-03-01"),
    ]
    on = assess(p, SUBJECT, records, day("2026-06-01"))
    assert (Decimal(100), "C", day("2028-01-10")) == (on.score, on.tier, on.next_change)
    assert "C" == assess(p, SUBJECT, records, day("2028-01-09")).tier
    assert "A" == assess(p, SUBJECT, records, day("2028-01-10")).tier
    trace = tier_trace(p, SUBJECT, records, day("2026-06-01"))
    assert "A" == trace.computed
    assert [("violation", day("2026-01-10"), day("2028-01-10"))] == [
        (v.veto, v.since, v.until) for v in trace.vetoes
    ]


def test_the_tier_trace_stops_at_the_first_tier_that_holds() -> None:
    """Score 90: A (>= 95) is tried and fails, B (>= 80) holds, C is not tried."""
    p = policy(GRADES, general_penalties())
    trace = tier_trace(p, SUBJECT, [penalty("P1", "2026-01-01")], day("2026-01-01"))
    assert [("A", False), ("B", True)] == [(t.tier, t.held) for t in trace.trials]
    assert ("B", "B") == (trace.computed, trace.tier)


def test_supervision_takes_the_first_entry_that_applies() -> None:
    """`reduced` (tier A, no complaint within a year) comes before `regular` (A, B).

    Tier A without a complaint gets reduced; with one, regular.
    """
    reduced = ast.SupervisionDecl(
        "reduced", tiers=("A",), when=none_of(q("complaint", within=years(1)))
    )
    regular = ast.SupervisionDecl("regular", tiers=("A", "B"))
    p = policy(GRADES, reduced, regular)
    records = [evidence("K1", "complaint", "2026-05-01")]
    before = assess(p, SUBJECT, records, day("2026-04-30")).supervision
    after = assess(p, SUBJECT, records, day("2026-05-01")).supervision
    assert ("reduced", "regular") == (before and before.name, after and after.name)


def test_a_cycle_is_a_clear_error() -> None:
    """A cycle among tiers and lists is a clear error.

    Tier A `when listed(l)` and list l `enter when tier == B` depend on each
    other; the evaluator says so instead of recursing without end.
    """
    cyclic = ast.ListDecl("l", enter_when=compare(ast.TierRef(), "==", "B"))
    p = policy(tiers(("A", ast.Listed("l")), ("B", None)), cyclic)
    with pytest.raises(CreditRulesError, match="depend on themselves"):
        assess(p, SUBJECT, [], day("2026-01-01"))


# ---- lists and effects ------------------------------------------------------------------


def serious_list() -> ast.ListDecl:
    """The list of seriously untrustworthy producers used below.

    `list serious { enter on penalty where severity == serious  stay at least
    1 year  stay at most 3 years  leave when any(commitment_letter within 1 year) }`.
    """
    return ast.ListDecl(
        "serious",
        enter_on=q("penalty", eq("severity", "serious")),
        min_stay=years(1),
        max_stay=years(3),
        leave_when=any_of(q("commitment_letter", within=years(1))),
    )


def test_an_entry_leaves_when_its_minimum_stay_is_over() -> None:
    """Penalty 2026-03-01, letter 2026-05-01.

    `leave when` holds from 2026-05-01, so the entry ends at the minimum stay,
    2027-03-01; assessed in between, that is the next change.
    """
    p = policy(serious_list())
    records = [
        penalty("P1", "2026-03-01", "serious"),
        evidence("L1", "commitment_letter", "2026-05-01"),
    ]
    assert ("serious",) == assess(p, SUBJECT, records, day("2027-02-28")).lists
    assert () == assess(p, SUBJECT, records, day("2027-03-01")).lists
    assert (
        day("2027-03-01") == assess(p, SUBJECT, records, day("2026-06-01")).next_change
    )


def test_an_entry_leaves_on_the_first_day_leave_when_holds() -> None:
    """A letter of 2027-06-01, after the minimum stay, ends the entry that day."""
    p = policy(serious_list())
    records = [
        penalty("P1", "2026-03-01", "serious"),
        evidence("L1", "commitment_letter", "2027-06-01"),
    ]
    entries = list_entries(p, SUBJECT, records, day("2026-03-01"), "serious")
    assert [(day("2026-03-01"), day("2027-06-01"), "P1")] == [
        (e.period.start, e.period.end, e.record) for e in entries
    ]


def test_an_entry_ends_at_the_maximum_stay() -> None:
    """With no letter, the entry of 2026-03-01 ends by itself on 2029-03-01."""
    p = policy(serious_list())
    records = [penalty("P1", "2026-03-01", "serious")]
    assert ("serious",) == assess(p, SUBJECT, records, day("2029-02-28")).lists
    assert () == assess(p, SUBJECT, records, day("2029-03-01")).lists


def test_enter_when_keeps_the_minimum_stay() -> None:
    """`enter when score < 60  stay at least 6 months`.

    A -50 penalty counting for 1 month from 2026-01-01 holds the condition until
    2026-02-01, the entry until 2026-07-01.
    """
    p = policy(
        rule("heavy", q("penalty"), [-50], counts=months(1)),
        ast.ListDecl(
            "watch", enter_when=compare(ast.ScoreRef(), "<", 60), min_stay=months(6)
        ),
    )
    records = [penalty("P1", "2026-01-01")]
    assert ("watch",) == assess(p, SUBJECT, records, day("2026-06-30")).lists
    assert () == assess(p, SUBJECT, records, day("2026-07-01")).lists


def test_enter_when_ended_by_the_maximum_stay_is_not_reopened() -> None:
    """The condition holds 2026-01-01 to 2027-01-01.

    `stay at most 3 months` ends the entry on 2026-04-01, and it does not reopen while
    the condition holds.
    """
    p = policy(
        rule("heavy", q("penalty"), [-50], counts=years(1)),
        ast.ListDecl(
            "watch", enter_when=compare(ast.ScoreRef(), "<", 60), max_stay=months(3)
        ),
    )
    records = [penalty("P1", "2026-01-01")]
    assert ("watch",) == assess(p, SUBJECT, records, day("2026-03-31")).lists
    assert () == assess(p, SUBJECT, records, day("2026-06-01")).lists


def test_an_effect_lasts_at_least_its_duration() -> None:
    """`when any(penalty where serious within 3 months)  lasts 1 year`.

    A penalty of 2026-03-01 holds the condition until 2026-06-01, the effect until
    2027-03-01.
    """
    barred = ast.EffectDecl(
        "funds_barred",
        kind="sanction",
        when=any_of(q("penalty", eq("severity", "serious"), within=months(3))),
        lasts=years(1),
    )
    p = policy(barred)
    records = [penalty("P1", "2026-03-01", "serious")]
    assert ("funds_barred",) == assess(p, SUBJECT, records, day("2027-02-28")).effects
    assert () == assess(p, SUBJECT, records, day("2027-03-01")).effects
    assert (
        day("2027-03-01") == assess(p, SUBJECT, records, day("2026-07-01")).next_change
    )


# ---- repair -------------------------------------------------------------------------------


def test_a_repair_is_granted_when_the_last_evidence_arrives() -> None:
    """A repair is granted on the day its last evidence arrives.

    Penalty 2026-01-10, request 2026-02-01, letter 2026-03-01, rectification
    2026-06-15: the 3 months are over on 2026-04-10, so the repair is granted on
    2026-06-15: 90 the day before, 100 that day.
    """
    p = policy(general_penalties(repair="general"), GENERAL_REPAIR)
    records = [
        penalty("P1", "2026-01-10"),
        repair_request("Q1", "P1", "2026-02-01"),
        evidence("L1", "commitment_letter", "2026-03-01"),
        evidence("R1", "rectification", "2026-06-15"),
    ]
    assert Decimal(90) == score(p, records, "2026-06-14")
    assert Decimal(100) == score(p, records, "2026-06-15")


def test_a_repair_waits_while_its_bar_holds() -> None:
    """A repair waits while its `unless` bar holds.

    `unless any(false_materials within 3 years)` with false materials of
    2025-12-01 bars the repair until 2028-12-01, though all else is ready on
    2026-04-10.
    """
    bar = any_of(q("false_materials", within=years(3)))
    barred = attrs.evolve(GENERAL_REPAIR, unless=bar)
    p = policy(general_penalties(repair="general"), barred)
    records = [
        evidence("F1", "false_materials", "2025-12-01"),
        penalty("P1", "2026-01-10"),
        repair_request("Q1", "P1", "2026-02-01"),
        evidence("L1", "commitment_letter", "2026-02-01"),
        evidence("R1", "rectification", "2026-02-01"),
    ]
    assert Decimal(90) == score(p, records, "2028-11-30")
    assert Decimal(100) == score(p, records, "2028-12-01")


def test_repair_none_on_any_matching_rule_forbids_repair() -> None:
    """`repair none` on any matching rule forbids repair.

    A record matched by a `repair none` rule is never repaired, whatever else
    names a class for it.
    """
    p = policy(
        general_penalties(repair="general"),
        rule("any_penalty", q("penalty"), [0], repair="none"),
        GENERAL_REPAIR,
    )
    records = [
        penalty("P1", "2026-01-10"),
        repair_request("Q1", "P1", "2026-02-01"),
        evidence("L1", "commitment_letter", "2026-02-01"),
        evidence("R1", "rectification", "2026-02-01"),
    ]
    assessed = assess(p, SUBJECT, records, day("2027-01-01"))
    assert (Decimal(90), ()) == (assessed.score, assessed.repair_options)


def test_repair_options_and_their_after_figures() -> None:
    """Repair options say when, what is missing, and the figures after.

    As of 2026-02-01, a penalty of 2026-01-10 (score 90, tier B) can be repaired
    from 2026-04-10, still missing a rectification; granted that day it gives 100
    and A. Ingesting the rectification and a request dated 2026-04-10 gives exactly
    those figures.
    """
    p = policy(GRADES, general_penalties(repair="general"), GENERAL_REPAIR)
    records = [
        penalty("P1", "2026-01-10"),
        evidence("L1", "commitment_letter", "2026-01-20"),
    ]
    assessed = assess(p, SUBJECT, records, day("2026-02-01"))
    assert (Decimal(90), "B") == (assessed.score, assessed.tier)
    [option] = assessed.repair_options
    assert ("P1", "penalty_general", "general") == (
        option.record,
        option.rule,
        option.repair_class,
    )
    assert (day("2026-04-10"), ("rectification",)) == (
        option.available_from,
        option.missing,
    )
    assert (Decimal(100), "A") == (option.score_after, option.tier_after)

    granted = [
        *records,
        evidence("R1", "rectification", "2026-03-01"),
        repair_request("Q1", "P1", "2026-04-10"),
    ]
    then = assess(p, SUBJECT, granted, day("2026-04-10"))
    assert (option.score_after, option.tier_after) == (then.score, then.tier)


# ---- the waterfall adds up ----------------------------------------------------------------


WATERFALL = policy(
    score_decl(80, low=0, high=100, rounding="0.5"),
    ast.GroupDecl("bonus", cap=Decimal(12)),
    rule("certified", q("certification"), ["7.3"], group="bonus", counts=years(1)),
    rule("trained", q("training"), ["2.2"], group="bonus", counts=months(6)),
    rule(
        "sampling_failure",
        q("sampling_test", eq("result", "fail")),
        ["-6.1", "-9", "-13.7"],
        window=years(1),
        cap=-25,
        counts=years(2),
    ),
    rule("penalty_general", q("penalty"), [-11], counts=years(3), repair="general"),
    GENERAL_REPAIR,
)

kinds = st.sampled_from(
    [
        "certification",
        "training",
        "sampling_test",
        "penalty",
        "commitment_letter",
        "rectification",
        "repair_request",
    ]
)


@st.composite
def archives(draw: st.DrawFn) -> list[Record]:
    """Up to 20 records of the `WATERFALL` types over 5 years, some requests."""
    records: list[Record] = []
    for index in range(draw(st.integers(0, 20))):
        kind = draw(kinds)
        date = day("2024-01-01") + dt.timedelta(days=draw(st.integers(0, 1800)))
        fields: dict[str, FieldValue] = {}
        if kind == "sampling_test":
            fields = {"result": "fail"}
        if kind == "repair_request":
            fields = {"target": f"R{draw(st.integers(0, 20))}"}
        records.append(record(f"R{index}", kind, date, fields))
    return records


@given(archives(), st.dates(dt.date(2024, 1, 1), dt.date(2029, 12, 31)))
def test_base_plus_the_parts_is_the_score_exactly(
    records: list[Record], as_of: dt.date
) -> None:
    """Base plus the points of every item is the score, exactly.

    Whatever the records, base plus every item's points equals the score, and
    the score equals the assessment's.
    """
    parts = score_parts(WATERFALL, SUBJECT, records, as_of)
    total = parts.base + sum((item.points for item in parts.items), Decimal(0))
    assert parts.score == total
    assert assess(WATERFALL, SUBJECT, records, as_of).score == parts.score


STANDING = policy(
    GRADES,
    rule("penalty_general", q("penalty"), [-10], counts=years(1), repair="general"),
    rule(
        "sampling_failure",
        q("sampling_test", eq("result", "fail")),
        [-8],
        counts=months(8),
    ),
    GENERAL_REPAIR,
    ast.VetoDecl(
        "repeated",
        forces="C",
        locked=months(4),
        when=compare(ast.Count(q("sampling_test", within=months(6))), ">=", 2),
    ),
    ast.ListDecl(
        "watch",
        enter_when=compare(ast.TierRef(), "==", "C"),
        min_stay=months(2),
        leave_when=any_of(q("commitment_letter", within=months(1))),
    ),
    ast.EffectDecl(
        "barred", kind="sanction", when=ast.Listed("watch"), lasts=months(5)
    ),
    ast.SupervisionDecl(
        "reduced", tiers=("A",), when=none_of(q("penalty", within=months(3)))
    ),
    ast.SupervisionDecl("regular"),
)


# Each example assesses up to 90 times; a hundred examples cover it well.
@settings(max_examples=100)
@given(archives(), st.dates(dt.date(2024, 1, 1), dt.date(2028, 12, 31)))
def test_nothing_changes_before_the_next_change(
    records: list[Record], as_of: dt.date
) -> None:
    """Nothing changes before `next_change`, and something changes on it.

    Day by day for 90 days after `as_of`, the assessment keeps its score, tier,
    lists, effects and supervision until `next_change`, and differs on it.
    """

    def state(on: dt.date) -> tuple[object, ...]:
        a = assess(STANDING, SUBJECT, records, on)
        return a.score, a.tier, a.lists, a.effects, a.supervision

    first = assess(STANDING, SUBJECT, records, as_of)
    start = state(as_of)
    for offset in range(1, 91):
        on = as_of + dt.timedelta(days=offset)
        if first.next_change is not None and on >= first.next_change:
            assert start != state(first.next_change)
            break
        assert start == state(on)


def test_a_policy_written_as_text() -> None:
    """The same expiry example from `.rules` text: 90 on 2026-02-28, 100 on 03-01."""
    p = text_policy(
        """
        rule penalty_general "一般违法" / "general violation" {
          on penalty where severity == general
          points -10
          counts for 2 years
        }
        """
    )
    records = [penalty("P1", "2024-03-01")]
    assert Decimal(90) == score(p, records, "2026-02-28")
    assert Decimal(100) == score(p, records, "2026-03-01")
