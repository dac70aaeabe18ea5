"""A hand-built Jiangsu producer with violations of each repair class."""

from __future__ import annotations

import datetime as dt

from credit_rules.records import Record, Subject

SUBJECT = Subject(
    "91320800MA1JX0009D",
    "enterprise",
    {
        "credit_code": "91320800MA1JX0009D",
        "name": "淮安清江浦示例农业有限公司",
        "region": "淮安市清江浦区",
        "registered": dt.date(2015, 3, 1),
        "products": "蔬菜",
        "legal_person": "张某",
        "phone": "13800000099",
    },
)

AS_OF = dt.date(2026, 3, 15)


def _record(
    record_id: str, record_type: str, date: dt.date, **fields: object
) -> Record:
    return Record(record_id, SUBJECT.id, record_type, date, fields)  # type: ignore[arg-type]


RECORDS = [
    _record(
        "P1",
        "penalty",
        dt.date(2026, 1, 10),
        article="《农产品质量安全法》第七十二条",
        severity="general",
        band="art72",
        intentional=False,
        fulfilled=True,
    ),
    _record("CL1", "commitment_letter", dt.date(2026, 2, 1)),
    _record("RC1", "rectification", dt.date(2026, 2, 1)),
    _record(
        "S1",
        "sampling_test",
        dt.date(2026, 3, 1),
        result="fail",
        hazard="pesticide_residue",
        disputed=False,
        retest="not_requested",
    ),
    _record("I1", "inspection", dt.date(2025, 12, 20), result="problem"),
    _record("C1", "complaint", dt.date(2026, 2, 15), substantiated=True),
    _record("T1", "training", dt.date(2025, 9, 1), topic="质量安全主体责任"),
]
