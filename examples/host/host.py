"""A small host application that embeds the grading engine.

It plays the part of a county supervision system: it loads the Huai'an policy,
takes a stream of supervision records as they arrive, tells its officials when a
producer's tier, list membership or effects change, and answers the question a
project office asks: "may this producer apply for agricultural project funds?".

Run it from the repository's root:

    python examples/host/host.py

It uses the public API of `credit_rules` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import credit_rules
from credit_rules import Change, Engine, Record, Subject

ROOT = Path(__file__).resolve().parents[2]
POLICY = ROOT / "policies" / "huaian"

FARM = Subject(
    "92320803MA1EXAMP1R",
    "family_farm",
    {
        "credit_code": "92320803MA1EXAMP1R",
        "name": "淮安区示例家庭农场",
        "region": "淮安区",
        "registered": dt.date(2019, 3, 1),
        "products": "稻米",
        "legal_person": "王某",
        "phone": "13800000000",
    },
)


def arriving_records() -> Iterator[Record]:
    """The records of one year, in the order the supervision system receives them."""
    yield Record("INS-1", FARM.id, "inspection", dt.date(2026, 3, 2), {"result": "ok"})
    yield Record(
        "SMP-1",
        FARM.id,
        "sampling_test",
        dt.date(2026, 4, 10),
        {
            "result": "fail",
            "hazard": "pesticide_residue",
            "disputed": False,
            "retest": "not_requested",
        },
    )
    yield Record(
        "PEN-1",
        FARM.id,
        "penalty",
        dt.date(2026, 5, 6),
        {
            "article": "《农产品质量安全法》第七十一条",
            "severity": "serious",
            "band": "art71",
            "intentional": True,
            "fulfilled": False,
        },
    )
    yield Record(
        "CC-1",
        FARM.id,
        "conformity_certificate",
        dt.date(2026, 6, 1),
        {"batches": Decimal(12)},
    )


def tell_officials(change: Change) -> None:
    """Print a change as a county system would show it on its dashboard."""
    what = "tier" if change.what == "tier" else f"{change.what} {change.name}"
    print(
        f"{change.date}  {change.subject}  {what}: "
        f"{change.old} -> {change.new}  ({change.cause})"
    )


def may_apply_for_project_funds(engine: Engine, subject_id: str, on: dt.date) -> str:
    """Answer the project office: the sanction `project_funds_barred` decides."""
    decision = engine.allowed(subject_id, "project_funds_barred", on=on)
    answer = "yes" if decision.allowed else "no"
    return (
        f"may {subject_id} apply for project funds on {on}? {answer}: {decision.reason}"
    )


def main() -> None:
    """Feed the stream, watching changes, then ask about project funds."""
    policy = credit_rules.load_policy(POLICY)
    engine = Engine(policy, today=dt.date(2026, 1, 1))
    engine.subscribe(tell_officials)
    engine.ingest([FARM])

    for record in arriving_records():
        engine.advance(to=record.date)
        engine.ingest([record])

    print(may_apply_for_project_funds(engine, FARM.id, dt.date(2026, 7, 1)))
    engine.advance(to=dt.date(2029, 6, 1))
    print(may_apply_for_project_funds(engine, FARM.id, dt.date(2029, 6, 1)))

    assessment = engine.assess(FARM.id)
    print(f"on {assessment.as_of}: score {assessment.score}, tier {assessment.tier}")


if __name__ == "__main__":
    main()
