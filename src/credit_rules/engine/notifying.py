"""What subscribers are told: the watched outputs on a date, and why they changed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from credit_rules.engine import dates
from credit_rules.engine.assessing import Reader
from credit_rules.engine.plan import RuleSpec
from credit_rules.engine.state import SubjectState
from credit_rules.engine.subject_records import SubjectRecords

_DESCRIBED = {
    "rule": "rule",
    "veto": "veto",
    "list": "list",
    "effect": "effect",
    "repairs": "repair class",
}


def outputs_at(reader: Reader, state: SubjectState, day: int) -> tuple[Any, ...]:
    """Return the tier, each list's membership and each effect on `day`."""
    values = state.segment_at(day).values
    return tuple(values[p].value_at(day) for p in reader.watched)


def cause_at(reader: Reader, state: SubjectState, day: int) -> str:
    """Return what happens on `day` that changes the subject's outputs.

    It names the retractions taking effect, the records dated that day, the
    rules, vetoes, lists, effects and repair classes whose values change on
    it, and the records whose points stop counting then.
    """
    parts = []
    for record_id, retracted in sorted((state.retracted or {}).items()):
        if retracted == day:
            parts.append(f"record `{record_id}` retracted")
    for record in state.records:
        if record.date.toordinal() == day:
            parts.append(f"record `{record.id}` dated {record.date}")

    segment = state.segment_at(day)
    values = segment.values
    followers: list[str] = []
    for node, value in zip(reader.program.plan.nodes, values, strict=True):
        kind = _DESCRIBED.get(node.kind)
        if kind is None:
            continue
        changes = value.points if node.kind != "repairs" else tuple(value.values())
        if day in changes:
            part = f"{kind} `{node.name.split(':', 1)[1]}` changes"
            if node.kind == "rule":
                part += _ending(reader, node.spec, state.view(segment), values, day)
            # Lists and effects are what subscribers are told about; they are
            # the cause only when nothing upstream changes that day.
            (followers if node.kind in ("list", "effect") else parts).append(part)
    parts = parts or followers
    date = dates.to_date(day)
    if not parts:
        return f"time reached {date}"
    return f"on {date}: " + ", ".join(parts)


def _ending(
    reader: Reader,
    spec: RuleSpec,
    view: SubjectRecords,
    values: Sequence[Any],
    day: int,
) -> str:
    """Name the records whose points stop counting under a rule on `day`."""
    steps = reader.program.rule_steps(spec, view, values)
    ending = [f"`{record.id}`" for record, _, _, end in steps if end == day]
    if not ending:
        return ""
    if len(ending) == 1:
        return f": record {ending[0]} stops counting"
    return f": records {', '.join(ending)} stop counting"
