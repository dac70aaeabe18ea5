"""Building a `Report` from an engine, or from a bare `Explanation`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from credit_rules.engine.explanation import Explanation
from credit_rules.engine.runtime import Engine
from credit_rules.explain.model import Event, Reason, Report, Upcoming
from credit_rules.explain.paths import paths_to_better_tier

__all__ = ["events_on", "from_explanation", "reason_codes", "report"]


def report(engine: Engine, subject_id: str, as_of: dt.date | None = None) -> Report:
    """Explain a subject's grade as of a date, with what changes it and how.

    Args:
        engine: The engine holding the subject.
        subject_id: The subject's id.
        as_of: The date; the engine's `today` by default.

    Returns:
        The explanation with reason codes, the next change with the assessment
        from that day, and the ways to the next better tier.

    Raises:
        UsageError: If the subject is unknown.

    Example:
        >>> report(engine, "S-1").reasons[0].rule  # doctest: +SKIP
        'sampling_failure'
    """
    explanation = engine.explain(subject_id, as_of)

    records = engine.records(subject_id)
    subject = next((s for s in engine.store.subjects() if s.id == subject_id), None)
    upcoming = None
    next_change = explanation.next_change
    if next_change is not None:
        after = engine.assess(subject_id, next_change)
        upcoming = Upcoming(next_change, events_on(explanation, next_change), after)

    return Report(
        explanation=explanation,
        subject=subject,
        record_dates={record.id: record.date for record in records},
        reasons=reason_codes(explanation),
        upcoming=upcoming,
        paths=paths_to_better_tier(engine, subject_id, explanation),
    )


def from_explanation(explanation: Explanation) -> Report:
    """Return the report that an explanation alone gives (no engine at hand)."""
    upcoming = None
    if explanation.next_change is not None:
        on = explanation.next_change
        upcoming = Upcoming(on, events_on(explanation, on))
    return Report(explanation, reasons=reason_codes(explanation), upcoming=upcoming)


def reason_codes(explanation: Explanation) -> tuple[Reason, ...]:
    """Rank the rules by the points they cost, largest loss first, as scorecards do.

    A rule's points include its own cap; rules that added points are no reason
    for a loss and are left out. Ties keep the policy's declaration order.
    """
    totals: dict[str, Decimal] = {}
    records: dict[str, list[str]] = {}
    for item in explanation.parts.items:
        if item.rule is None or item.kind not in ("record", "rule_cap"):
            continue
        totals[item.rule] = totals.get(item.rule, Decimal(0)) + item.points
        if item.kind == "record":
            records.setdefault(item.rule, []).extend(item.records)
    losses = [
        Reason(rule, points, tuple(records.get(rule, ())))
        for rule, points in totals.items()
        if points < 0
    ]
    return tuple(sorted(losses, key=lambda reason: reason.points))


def events_on(explanation: Explanation, on: dt.date) -> tuple[Event, ...]:
    """Return what the explanation says happens on `on` with no new record.

    Records stop counting, vetoes end, list stays end or begin, effects end. A
    change the explanation cannot name (a pending repair granted, a condition
    that starts to hold) is one `other` event.
    """
    found = [
        Event("record", record)
        for item in explanation.parts.items
        if item.kind == "record" and item.until == on
        for record in item.records
    ]
    found.extend(
        Event("veto", v.veto) for v in explanation.tier.vetoes if v.until == on
    )
    for name, entries in explanation.entries:
        for entry in entries:
            if entry.period.end == on:
                found.append(Event("list_end", name))
            elif entry.period.start == on:
                found.append(Event("list_start", name))
    found.extend(
        Event("effect", e.effect) for e in explanation.effects if e.until == on
    )
    return tuple(found) if found else (Event("other"),)
