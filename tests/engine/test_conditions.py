"""Conditions evaluated at a date over a subject's view."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credit_rules.dsl import ast
from credit_rules.engine.conditions import change_dates, holds
from credit_rules.engine.reference import view_of
from credit_rules.engine.view import View
from credit_rules.errors import CreditRulesError
from credit_rules.records import FieldValue, Record, Subject
from engine.policies import (
    SUBJECT,
    any_of,
    compare,
    count,
    day,
    eq,
    none_of,
    policy,
    q,
    record,
    ref,
    rule,
    score_at_least,
    years,
)


def view(
    *records: Record,
    subject: Subject = SUBJECT,
    rules: tuple[ast.RuleDecl, ...] = (),
) -> View:
    """The view of `records`, by a policy of `rules`."""
    return view_of(policy(*rules), subject, records, day("2030-01-01"))


def penalty(
    record_id: str, date: str, severity: str = "general", **more: FieldValue
) -> Record:
    """A penalty of `severity`, not intentional unless `more` says so."""
    fields: dict[str, FieldValue] = {"severity": severity, "intentional": False}
    return record(record_id, "penalty", date, {**fields, **more})


def test_enum_values_compare_by_name() -> None:
    """`severity == serious` matches a record whose field holds the name `serious`."""
    facts = view(penalty("P1", "2026-03-01", "serious"))
    serious = any_of(q("penalty", eq("severity", "serious")))
    minor = any_of(q("penalty", eq("severity", "minor")))
    assert holds(serious, facts, day("2026-03-01"))
    assert not holds(minor, facts, day("2026-03-01"))


def test_enum_values_may_be_written_as_strings() -> None:
    """A string literal compares with an enum value by its name too."""
    facts = view(penalty("P1", "2026-03-01", "serious"))
    condition = any_of(q("penalty", compare("severity", "==", ast.String("serious"))))
    assert holds(condition, facts, day("2026-03-01"))


def test_a_query_sees_no_record_dated_later() -> None:
    """On the day before a record's date, `any` of it does not hold."""
    facts = view(penalty("P1", "2026-03-01"))
    assert not holds(any_of(q("penalty")), facts, day("2026-02-28"))
    assert holds(none_of(q("penalty")), facts, day("2026-02-28"))


def test_within_is_half_open() -> None:
    """`within 1 year` at 2027-03-01 excludes a record of 2026-03-01.

    A day earlier it includes it.
    """
    facts = view(penalty("P1", "2026-03-01"))
    condition = any_of(q("penalty", within=years(1)))
    assert holds(condition, facts, day("2027-02-28"))
    assert not holds(condition, facts, day("2027-03-01"))


def test_bare_bool_field_and_not() -> None:
    """A bool field is a condition by itself, and `not` negates it."""
    facts = view(penalty("P1", "2026-03-01", intentional=True))
    assert holds(any_of(q("penalty", ref("intentional"))), facts, day("2026-03-01"))
    negated = any_of(q("penalty", ast.Not(ref("intentional"))))
    assert not holds(negated, facts, day("2026-03-01"))


def test_count_compares_as_a_number() -> None:
    """Two penalties within 2 years make `count(...) >= 2` hold, one does not."""
    facts = view(penalty("P1", "2026-01-10"), penalty("P2", "2026-09-10"))
    condition = compare(count(q("penalty", within=years(2))), ">=", 2)
    assert not holds(condition, facts, day("2026-09-09"))
    assert holds(condition, facts, day("2026-09-10"))


def test_subject_attributes_and_kind() -> None:
    """`subject.region` reads an attribute and `subject.kind` the subject's kind."""
    farm = Subject("S1", "family_farm", {"region": "淮安区"})
    facts = view(subject=farm)
    in_region = compare(ref("subject.region"), "==", ast.String("淮安区"))
    assert holds(in_region, facts, day("2026-01-01"))
    assert holds(eq("subject.kind", "family_farm"), facts, day("2026-01-01"))


def test_membership_and_its_negation() -> None:
    """`severity in [general, serious]` holds for general; `not in` does not."""
    facts = view(penalty("P1", "2026-03-01", "general"))
    values = (ref("general"), ref("serious"))
    member = any_of(q("penalty", ast.Member(ref("severity"), values)))
    outside = any_of(q("penalty", ast.Member(ref("severity"), values, negated=True)))
    assert holds(member, facts, day("2026-03-01"))
    assert not holds(outside, facts, day("2026-03-01"))


def test_dates_and_numbers_compare_by_order() -> None:
    """A date field compares with a date literal, a number field with a number."""
    batch = record(
        "C1",
        "certificate",
        "2026-03-01",
        {"batches": Decimal("12.5"), "until": day("2027-01-01")},
    )
    facts = view(batch)
    on = day("2026-03-01")
    assert holds(any_of(q("certificate", compare("batches", ">", 12))), facts, on)
    assert not holds(any_of(q("certificate", compare("batches", "<=", 12))), facts, on)
    late = compare("until", ">=", day("2026-12-31"))
    assert holds(any_of(q("certificate", late)), facts, on)


def test_score_in_a_condition() -> None:
    """`score >= 95` reads the score on the date: 100 before a -10 penalty, 90 on it."""
    deduction = rule("penalty_general", q("penalty"), [-10])
    facts = view(penalty("P1", "2026-03-01"), rules=(deduction,))
    assert holds(score_at_least(95), facts, day("2026-02-28"))
    assert not holds(score_at_least(95), facts, day("2026-03-01"))


def test_score_cannot_appear_in_a_where() -> None:
    """A `where` sees the record alone; `score` in it is a clear error, not a crash."""
    facts = view(penalty("P1", "2026-03-01"))
    condition = any_of(q("penalty", score_at_least(90)))
    with pytest.raises(CreditRulesError, match="cannot appear in a `where`"):
        holds(condition, facts, day("2026-03-01"))


def test_comparing_a_name_with_a_number_is_an_error() -> None:
    """An unchecked comparison of different types raises `CreditRulesError`."""
    facts = view(penalty("P1", "2026-03-01"))
    condition = any_of(q("penalty", compare("severity", "==", 3)))
    with pytest.raises(CreditRulesError, match="cannot compare"):
        holds(condition, facts, day("2026-03-01"))


def test_ordering_names_is_an_error() -> None:
    """`<` is only for numbers and dates."""
    facts = view(penalty("P1", "2026-03-01"))
    condition = any_of(q("penalty", compare("severity", "<", "serious")))
    with pytest.raises(CreditRulesError, match="orders numbers and dates only"):
        holds(condition, facts, day("2026-03-01"))


def test_a_number_is_not_a_condition() -> None:
    """A non-bool where a condition is expected raises `CreditRulesError`."""
    facts = view()
    with pytest.raises(CreditRulesError, match="is not a condition"):
        holds(ast.Number(Decimal(1)), facts, day("2026-03-01"))


offsets = st.lists(st.integers(0, 500), min_size=1, max_size=6)
windows = st.builds(ast.Duration, st.integers(1, 14), st.sampled_from(["day", "month"]))


@given(offsets, windows)
def test_change_dates_miss_no_change(
    days_after: list[int], window: ast.Duration
) -> None:
    """Between two consecutive change dates, `count(... within W)` never changes."""
    start = day("2026-01-01")
    records = [
        penalty(f"P{i}", (start + dt.timedelta(days=n)).isoformat())
        for i, n in enumerate(days_after)
    ]
    facts = view(*records)
    condition = compare(count(q("penalty", within=window)), ">=", 2)
    changes = change_dates(condition, facts)
    previous = holds(condition, facts, start - dt.timedelta(days=1))
    for offset in range(-1, 560):
        today = start + dt.timedelta(days=offset)
        now = holds(condition, facts, today)
        if now != previous:
            assert today in changes
        previous = now
