"""Tiers, vetoes and supervision on a date.

See docs/semantics.md, "Tiers", "Holding for at least a while" and "Supervision".
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from credit_rules.dsl import ast
from credit_rules.engine.assessment import TierTrace, TierTrial, VetoHold
from credit_rules.engine.calendar import FOREVER
from credit_rules.engine.conditions import change_dates, holds
from credit_rules.engine.periods import Period, bounds, covering, held_for, true_periods
from credit_rules.errors import CreditRulesError

if TYPE_CHECKING:
    from credit_rules.engine.view import View

NO_TIERS = ""
"""The tier of a policy that declares no tiers."""


def trace(view: View, date: dt.date) -> TierTrace:
    """Return how the tier on `date` is reached: start tier or conditions, vetoes."""
    tiers = view.policy.tiers
    if tiers is None or not tiers.tiers:
        return TierTrace(date, False, (), NO_TIERS, (), NO_TIERS)

    started = tiers.start is not None and not _has_record_by(view, date)
    trials: tuple[TierTrial, ...] = ()
    if started:
        computed = tiers.start or NO_TIERS
    else:
        trials = _trials(view, tiers, date)
        # With no `otherwise` and no condition holding, the worst tier applies:
        # a subject no tier describes is not given the benefit of the doubt.
        computed = trials[-1].tier if trials[-1].held else tiers.tiers[-1].name

    vetoes = tuple(_vetoes_in_force(view, date))
    tier = worst(view, [computed, *(veto.forces for veto in vetoes)])
    return TierTrace(date, started, trials, computed, vetoes, tier)


def worst(view: View, names: list[str]) -> str:
    """Return the worst of tiers `names`; tiers are declared best first."""
    order = view.policy.tier_names()
    for name in names:
        if name not in order:
            raise CreditRulesError(
                f"tier `{name}` is not declared; use one of {', '.join(order)}"
            )
    return max(names, key=order.index)


def tier_changes(view: View) -> set[dt.date]:
    """Every date on which the tier may change."""
    tiers = view.policy.tiers
    if tiers is None:
        return set()

    dates: set[dt.date] = set()
    if tiers.start is not None and view.archive.first_date is not None:
        dates.add(view.archive.first_date)
    for tier in tiers.tiers:
        if tier.when is not None:
            dates |= change_dates(tier.when, view)
    for name in view.policy.vetoes:
        dates |= bounds(view.veto_periods(name))
    return dates


def veto_periods(view: View, veto: ast.VetoDecl) -> tuple[Period, ...]:
    """Return the periods in which `veto` is in force.

    They are the periods its `when` holds, each kept for at least `locked`.
    """
    if veto.when is None:
        return ()

    when = veto.when
    periods = true_periods(change_dates(when, view), lambda t: holds(when, view, t))
    return held_for(periods, veto.locked)


def supervision_at(view: View, date: dt.date) -> ast.SupervisionDecl | None:
    """Return the supervision entry that applies on `date`.

    It is the first whose tiers hold the tier and whose `when`, if any, holds.
    An entry naming no tiers is for every tier.
    """
    tier = view.tier_at(date)
    for entry in view.policy.supervision.values():
        if entry.tiers and tier not in entry.tiers:
            continue
        if entry.when is None or holds(entry.when, view, date):
            return entry
    return None


def supervision_changes(view: View) -> set[dt.date]:
    """Every date on which the supervision entry may change."""
    dates = set(view.tier_changes())
    for entry in view.policy.supervision.values():
        if entry.when is not None:
            dates |= change_dates(entry.when, view)
    return dates


def _has_record_by(view: View, date: dt.date) -> bool:
    first = view.archive.first_date
    return first is not None and first <= date


def _trials(view: View, tiers: ast.TiersDecl, date: dt.date) -> tuple[TierTrial, ...]:
    trials = []
    for tier in tiers.tiers:
        held = tier.when is None or holds(tier.when, view, date)
        trials.append(TierTrial(tier.name, held, tier.span))
        if held:
            break
    return tuple(trials)


def _vetoes_in_force(view: View, date: dt.date) -> list[VetoHold]:
    holding = []
    for veto in view.policy.vetoes.values():
        period = covering(view.veto_periods(veto.name), date)
        if period is None:
            continue
        if veto.forces is None:
            raise CreditRulesError(
                f"veto `{veto.name}` forces no tier; add `forces` and a tier"
            )
        holding.append(
            VetoHold(
                veto=veto.name,
                forces=veto.forces,
                since=None if period.start == dt.date.min else period.start,
                until=None if period.end == FOREVER else period.end,
                span=veto.span,
                layer=veto.layer,
            )
        )
    return holding
