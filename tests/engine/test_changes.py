"""What subscribers receive: changes whose values read plainly."""

from __future__ import annotations

import datetime as dt

from credit_rules.engine.changes import Change


def test_list_and_effect_changes_carry_booleans() -> None:
    """A membership kept as a number inside the engine reaches hosts as a bool."""
    change = Change("S", "list", "serious", 0, 1, dt.date(2026, 5, 6), "record `P`")

    assert (False, True) == (change.old, change.new)
    assert isinstance(change.old, bool)


def test_tier_changes_carry_tier_names() -> None:
    """A tier change keeps the names of the tiers before and after."""
    change = Change("S", "tier", "tier", "B", "D", dt.date(2026, 5, 6), "record `P`")

    assert ("B", "D") == (change.old, change.new)
