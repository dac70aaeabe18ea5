"""Credit repair (信用修复): when a requested repair is granted.

Also what the subject could still repair (docs/semantics.md, "Repair" and
"Repair options").
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from credit_rules.dsl import ast
from credit_rules.engine.assessment import RepairOption
from credit_rules.engine.calendar import add
from credit_rules.engine.listing import first_day_holding
from credit_rules.engine.scoring import tally
from credit_rules.errors import CreditRulesError
from credit_rules.records import Record

if TYPE_CHECKING:
    from credit_rules.engine.view import View

NO_REPAIR = "none"
"""What `repair none` stores as a rule's repair class."""


def repair_class(view: View, record: Record) -> tuple[str, ast.RepairDecl] | None:
    """Return the rule that decides `record`'s repair class, and the class.

    None if the record cannot be repaired.

    The class is the first, in declaration order, of the rules that match the
    record and name one; any matching rule that says `repair none` forbids repair.
    """

    def compute() -> tuple[str, ast.RepairDecl] | None:
        chosen: ast.RuleDecl | None = None
        for rule in view.policy.rules.values():
            if rule.on is None or not view.matches(rule.on, record):
                continue
            if rule.repair == NO_REPAIR:
                return None
            if rule.repair is not None and chosen is None:
                chosen = rule
        if chosen is None or chosen.repair is None:
            return None
        return chosen.name, _class_named(view, chosen.repair, chosen.name)

    return view.archive.remember(("repair class", record.id), compute)


def grant_date(view: View, record: Record) -> dt.date | None:
    """Return the day the repair of `record` is granted, or None if never.

    For the earliest request, dated `q`, it is the first day `g` on or after
    `q` and `record.date + after` on which the view holds every required type
    of evidence dated in `[record.date, g]` and the bar (`unless`) does not hold.
    A later request can only be granted later, so the earliest decides.
    """
    requests = view.requests_for(record)
    decided = repair_class(view, record)
    if not requests or decided is None:
        return None

    _, repair = decided
    start = max(requests[0].date, earliest_repair(record, repair))
    for evidence_type in repair.requires:
        evidence = _first_dated_from(view, evidence_type, record.date)
        if evidence is None:
            return None
        start = max(start, evidence)
    return _first_unbarred(view, record, repair, start)


def earliest_repair(record: Record, repair: ast.RepairDecl) -> dt.date:
    """The first day a repair of `record` can take effect: its date plus `after`."""
    return add(record.date, repair.after) if repair.after else record.date


def available_from(
    view: View, record: Record, repair: ast.RepairDecl
) -> dt.date | None:
    """Return the first day on or after `earliest_repair` free of the bar.

    None if the bar holds for ever as the view stands.
    """
    return _first_unbarred(view, record, repair, earliest_repair(record, repair))


def options(view: View, as_of: dt.date) -> tuple[RepairOption, ...]:
    """Return the repair options on `as_of`, ordered by record id.

    One per record in force for a rule whose class can be repaired.

    A record whose bar holds for ever as the view stands has no option.
    """
    found = []
    for record in _in_force_records(view, as_of):
        decided = repair_class(view, record)
        if decided is None:
            continue
        rule, repair = decided
        start = available_from(view, record, repair)
        if start is None:
            continue
        found.append(_option(view, record, rule, repair, start, as_of))
    return tuple(sorted(found, key=lambda option: option.record))


def missing_evidence(
    view: View, record: Record, repair: ast.RepairDecl, as_of: dt.date
) -> tuple[str, ...]:
    """Return the evidence types `repair` requires that are still missing.

    A type is missing when no record of it is dated in `[record.date, as_of]`.
    """
    missing = []
    for evidence_type in repair.requires:
        evidence = _first_dated_from(view, evidence_type, record.date)
        if evidence is None or evidence > as_of:
            missing.append(evidence_type)
    return tuple(missing)


def _option(
    view: View,
    record: Record,
    rule: str,
    repair: ast.RepairDecl,
    start: dt.date,
    as_of: dt.date,
) -> RepairOption:
    day = max(as_of, start)
    repaired = view.granting(record.id, day)
    return RepairOption(
        record=record.id,
        rule=rule,
        repair_class=repair.name,
        available_from=start,
        missing=missing_evidence(view, record, repair, as_of),
        score_after=repaired.score_at(day),
        tier_after=repaired.tier_at(day),
    )


def _in_force_records(view: View, as_of: dt.date) -> list[Record]:
    seen: set[str] = set()
    found = []
    for rule_figures in tally(view, as_of).rules:
        for record in rule_figures.records:
            if record.id not in seen:
                seen.add(record.id)
                found.append(record)
    return found


def _first_unbarred(
    view: View, record: Record, repair: ast.RepairDecl, start: dt.date
) -> dt.date | None:
    if repair.unless is None:
        return start

    # The bar is judged without this very repair, so that a repair never
    # depends on itself (see `View.without_repair_of`).
    barring = view.without_repair_of(record.id)
    bar = repair.unless
    return first_day_holding(barring, ast.Not(bar, span=bar.span), start)


def _first_dated_from(view: View, record_type: str, start: dt.date) -> dt.date | None:
    for record in view.records_of(record_type):
        if record.date >= start:
            return record.date
    return None


def _class_named(view: View, name: str, rule: str) -> ast.RepairDecl:
    try:
        return view.policy.repairs[name]
    except KeyError:
        raise CreditRulesError(
            f"rule `{rule}` names repair class `{name}`, which the policy does not "
            "declare; declare it or fix the name"
        ) from None
