"""The live engine: events, counters, subscriptions, decisions and errors."""

from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal

import pytest

from credit_rules.engine.changes import Change
from credit_rules.engine.runtime import Engine
from credit_rules.errors import RecordError, UsageError
from credit_rules.records import Subject
from engine.policies import day, record, text_policy

POLICY = text_policy(
    """
    enum outcome "结果" { pass "合格" fail "不合格" }
    record test "抽检" { result: outcome }
    record cert "认证" { }
    record letter "承诺书" { }
    record repair_request "修复申请" { target: record_id }
    subject "主体" { region: text }
    score { base 80 range 0 to 100 }
    rule failure "抽检不合格" {
      on test where result == fail
      points -30
      counts for 1 year
      repair general
    }
    rule certified "认证" { on cert points 5 counts for 2 years }
    tiers "等级" {
      A "守信" when score >= 85
      B "基本守信" when score >= 70
      C "失信" otherwise
      start B
    }
    list black "黑名单" { enter when tier == C  stay at least 6 months }
    effect funds_barred "项目限制" { sanction when listed(black) }
    effect priority "优先" { incentive when tier == A }
    repair general "一般" { after 3 months requires letter }
    """
)
SUBJECT = Subject("S1", "enterprise", {"region": "north"})
OTHER = Subject("S2", "enterprise", {"region": "south"})


def _engine(today: str = "2026-01-01") -> Engine:
    engine = Engine(POLICY, today=day(today))
    engine.ingest([SUBJECT, OTHER])
    return engine


def test_a_failure_lowers_the_tier() -> None:
    """A failed test takes 30 points for a year, and the tier follows."""
    engine = _engine()
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    assessed = engine.assess("S1")
    assert Decimal(50) == assessed.score
    assert "C" == assessed.tier
    assert ("black",) == assessed.lists
    assert ("funds_barred",) == assessed.effects
    assert day("2026-12-01") == assessed.next_change
    assert engine.plan.digest == assessed.policy_digest


class _NoScan(dict[str, object]):
    """The engine's table of subjects, refusing to be walked as a whole."""

    def __iter__(self) -> typing.Iterator[str]:
        raise AssertionError("an event walked over every subject")

    def items(self) -> typing.Any:
        raise AssertionError("an event walked over every subject")

    def values(self) -> typing.Any:
        raise AssertionError("an event walked over every subject")


def test_an_event_looks_up_its_subject_without_walking_the_others() -> None:
    """Ingesting one record finds its subject by id, whatever the population."""
    engine = _engine()
    engine._states = _NoScan(engine._states)  # type: ignore[assignment]

    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])

    assert Decimal(50) == engine.assess("S1").score


def test_ingesting_twice_changes_nothing() -> None:
    """The same record ingested again recomputes nothing and changes nothing."""
    engine = _engine()
    failed = record("T1", "test", "2025-12-01", {"result": "fail"})
    engine.ingest([failed])
    before = engine.assess("S1")
    engine.ingest([failed])
    assert before == engine.assess("S1")
    assert () == engine.last_recomputed


def test_same_id_with_other_content_is_refused() -> None:
    """A known id with other content is an error that points to `correct`."""
    engine = _engine()
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    with pytest.raises(RecordError, match="correct"):
        engine.ingest([record("T1", "test", "2025-12-01", {"result": "pass"})])


def test_a_rejected_batch_changes_nothing() -> None:
    """A batch with one bad record is refused whole, and the engine stays as it was."""
    engine = _engine()
    before = engine.snapshot()
    good = record("T1", "test", "2025-12-01", {"result": "fail"})
    bad = record("T2", "test", "2025-12-01", {"result": "maybe"})
    with pytest.raises(RecordError) as raised:
        engine.ingest([good, bad])
    assert "T2" == raised.value.record_id
    assert before == engine.snapshot()
    assert None is engine.store.record("T1")


def test_unknown_subject_is_refused() -> None:
    """A record of a subject the engine does not know is refused."""
    engine = _engine()
    with pytest.raises(RecordError, match="ingest the subject first"):
        engine.ingest(
            [record("T1", "test", "2025-12-01", {"result": "fail"}, subject="S9")]
        )


def test_unrelated_record_recomputes_no_other_rule() -> None:
    """A certification recomputes its own rule and never the failure rule."""
    engine = _engine()
    engine.ingest([record("C1", "cert", "2025-12-01")])
    assert "rule:certified" in engine.last_recomputed
    assert "rule:failure" not in engine.last_recomputed


def test_record_matching_no_where_recomputes_no_rule() -> None:
    """A passed test matches no rule's `where`: no rule, score or tier is recomputed."""
    engine = _engine()
    engine.ingest([record("C0", "cert", "2025-01-01")])
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "pass"})])
    assert () == tuple(n for n in engine.last_recomputed if n.startswith("rule"))
    assert "score" not in engine.last_recomputed
    assert "tier" not in engine.last_recomputed


def test_record_without_requests_recomputes_no_repairs() -> None:
    """With no repair request, grants cannot change: the repairs node is skipped.

    A record after the subject's first one leaves the first record's date too.
    """
    engine = _engine()
    engine.ingest([record("C0", "cert", "2025-01-01")])
    engine.ingest([record("L1", "letter", "2025-12-01")])
    assert () == engine.last_recomputed
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    engine.ingest([record("Q1", "repair_request", "2026-01-01", {"target": "T1"})])
    assert "repairs:general" in engine.last_recomputed
    engine.ingest([record("L2", "letter", "2026-01-01")])
    assert "repairs:general" in engine.last_recomputed
    engine.ingest([record("C1", "cert", "2024-01-01")])
    assert "first_record" in engine.last_recomputed


def test_unchanged_score_stops_propagation() -> None:
    """A fifth certificate changes its rule but not the score clamped at 100: no more."""
    engine = _engine()
    engine.ingest([record(f"C{n}", "cert", "2025-01-01") for n in range(4)])
    engine.ingest([record("C4", "cert", "2025-01-01")])
    assert ("rule:certified", "score") == tuple(
        n for n in engine.last_recomputed if n.startswith(("rule", "score"))
    )
    assert "tier" not in engine.last_recomputed


def test_other_subject_is_untouched() -> None:
    """An event on one subject leaves the other's values as they were."""
    engine = _engine()
    before = engine.assess("S2")
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    assert before == engine.assess("S2")


def test_subscribers_hear_each_change_once_in_date_order() -> None:
    """Changes come as records arrive and as `advance` passes their dates."""
    engine = _engine()
    heard: list[Change] = []
    engine.subscribe(heard.append)
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    engine.advance(to=day("2028-01-01"))
    engine.advance(to=day("2029-01-01"))

    summary = [(c.what, c.name, c.old, c.new, c.date) for c in heard]
    assert [
        ("tier", "tier", "B", "C", day("2026-01-01")),
        ("list", "black", False, True, day("2026-01-01")),
        ("effect", "funds_barred", False, True, day("2026-01-01")),
        ("tier", "tier", "C", "B", day("2026-12-01")),
        ("list", "black", True, False, day("2026-12-01")),
        ("effect", "funds_barred", True, False, day("2026-12-01")),
    ] == summary
    assert "record `T1` ingested" == heard[0].cause
    expiry = "on 2026-12-01: rule `failure` changes: record `T1` stops counting"
    assert expiry == heard[3].cause


def test_unsubscribe_stops_the_calls() -> None:
    """After unsubscribing, a callback hears nothing."""
    engine = _engine()
    heard: list[Change] = []
    stop = engine.subscribe(heard.append)
    stop()
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    assert [] == heard


def test_allowed_names_the_effect() -> None:
    """A sanction in force bars, with a reason naming it; later it allows."""
    engine = _engine()
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    barred = engine.allowed("S1", "funds_barred")
    assert (False, True) == (barred.allowed, barred.in_force)
    assert "`funds_barred`" in barred.reason
    later = engine.allowed("S1", "funds_barred", on=day("2027-06-01"))
    assert (True, False) == (later.allowed, later.in_force)
    assert not engine.allowed("S1", "priority").allowed


def test_retraction_keeps_the_past() -> None:
    """A retracted record stops counting on its retraction date, not before."""
    engine = _engine()
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    engine.retract("T1", on=day("2026-02-01"))
    assert Decimal(50) == engine.assess("S1", day("2026-01-31")).score
    assert Decimal(80) == engine.assess("S1", day("2026-02-01")).score
    assert {"T1": day("2026-02-01")} == engine.retractions("S1")


def test_correction_replaces_and_keeps_history() -> None:
    """A correction changes the grade; the store keeps both versions."""
    engine = _engine()
    failed = record("T1", "test", "2025-12-01", {"result": "fail"})
    engine.ingest([failed])
    passed = record("T1", "test", "2025-12-01", {"result": "pass"})
    engine.correct(passed)
    assert Decimal(80) == engine.assess("S1").score
    assert (failed, passed) == engine.store.versions("T1")


def test_correcting_an_unknown_record_is_refused() -> None:
    """Only known records can be corrected."""
    with pytest.raises(RecordError, match="ingest it first"):
        _engine().correct(record("T9", "test", "2025-12-01", {"result": "fail"}))


def test_repair_option_and_its_grant() -> None:
    """A repairable record has an option whose figures a granted repair gives."""
    engine = _engine()
    engine.ingest(
        [
            record("T1", "test", "2025-12-01", {"result": "fail"}),
            record("L1", "letter", "2025-12-15"),
        ]
    )
    (option,) = engine.assess("S1").repair_options
    assert ("T1", "general", day("2026-03-01"), ()) == (
        option.record,
        option.repair_class,
        option.available_from,
        option.missing,
    )
    engine.ingest([record("Q1", "repair_request", "2026-03-01", {"target": "T1"})])
    granted = engine.assess("S1", day("2026-03-01"))
    assert (option.score_after, option.tier_after) == (granted.score, granted.tier)


def test_advance_cannot_go_back() -> None:
    """Time only moves forward."""
    engine = _engine()
    with pytest.raises(UsageError):
        engine.advance(to=day("2025-01-01"))


def test_unknown_subject_cannot_be_assessed() -> None:
    """Assessing a subject the engine does not know is a usage error."""
    with pytest.raises(UsageError, match="S9"):
        _engine().assess("S9")


def test_assess_all_agrees_with_assess() -> None:
    """The batch path gives what assessing each subject gives."""
    engine = _engine()
    engine.ingest(
        [
            record("T1", "test", "2025-12-01", {"result": "fail"}),
            record("C1", "cert", "2025-06-01", subject="S2"),
        ]
    )
    for as_of in (None, day("2025-07-01"), day("2027-01-01")):
        expected = [engine.assess(subject, as_of) for subject in ("S1", "S2")]
        assert expected == list(engine.assess_all(as_of))


def test_explanation_adds_up() -> None:
    """The waterfall's base and items add up to the score."""
    engine = _engine()
    engine.ingest(
        [
            record("T1", "test", "2025-12-01", {"result": "fail"}),
            record("C1", "cert", "2025-06-01"),
        ]
    )
    parts = engine.explain("S1").parts
    assert Decimal(55) == parts.score
    assert parts.score == parts.base + sum(item.points for item in parts.items)
    assert ["failure", "certified"] == [item.rule for item in parts.items]


def test_engine_starts_from_a_store() -> None:
    """An engine given a store that holds an archive starts from it."""
    engine = _engine()
    engine.ingest([record("T1", "test", "2025-12-01", {"result": "fail"})])
    engine.retract("T1", on=day("2026-06-01"))
    again = Engine(POLICY, engine.store, today=engine.today)
    for as_of in (day("2026-01-01"), day("2026-07-01")):
        assert engine.assess("S1", as_of) == again.assess("S1", as_of)


def test_default_today_is_the_system_date() -> None:
    """Without `today`, the engine starts on the system's date."""
    assert dt.date.today() == Engine(POLICY).today


def test_subject_update_recomputes() -> None:
    """A subject ingested again with new attributes is graded by them."""
    regional = text_policy(
        """
        enum outcome "结果" { pass "合格" fail "不合格" }
        record test "抽检" { result: outcome }
        subject "主体" { region: text }
        rule northern "北部" { on test where subject.region == "north" points -10 }
        """
    )
    engine = Engine(regional, today=day("2026-01-01"))
    engine.ingest([SUBJECT, record("T1", "test", "2025-12-01", {"result": "fail"})])
    assert Decimal(90) == engine.assess("S1").score
    engine.ingest([Subject("S1", "enterprise", {"region": "south"})])
    assert Decimal(100) == engine.assess("S1").score


def test_items_must_be_subjects_or_records() -> None:
    """Anything else in a batch is refused."""
    with pytest.raises(RecordError, match="Subject"):
        _engine().ingest(["T1"])  # type: ignore[list-item]
