"""Synthetic credit archives: producers of Huai'an and five years of their records.

`generate` yields, subject by subject, a `Subject` and then its records in date
order, so that a million subjects stream to disk without being held in memory.
The mix imitates what the source document describes: mostly routine inspections
that find nothing, some failed sampling tests, rare penalties (mostly minor or
general), certifications with validity periods, certificates of conformity,
traceability uploads, commitment letters, trainings, rectifications after a
finding, and now and then a repair request after a penalty.

Every subject has its own random stream derived from the seed and its number, so
the output is the same for a seed whatever else changes, and subject `n` is the
same in a run of 10 subjects and in a run of a million. Only record types that the
policy declares are produced; a field a policy adds gets a plain default.

Example:
    >>> from credit_rules import load_policy  # doctest: +SKIP
    >>> items = generate(load_policy("policies/huaian"), subjects=3, seed=1)  # doctest: +SKIP
    >>> next(items).kind  # doctest: +SKIP
    'family_farm'
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from decimal import Decimal

from credit_rules.credit_code import HUAIAN_REGIONS, SERIALS, make_code
from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy
from credit_rules.engine.calendar import add, subtract
from credit_rules.records import FieldValue, Record, Subject

__all__ = ["DEFAULT_UNTIL", "generate"]

DEFAULT_UNTIL = dt.date(2026, 6, 30)
"""The last day of the generated history; it does not depend on today's date."""

YEARS = 5

RECENT_DAYS = 330
"""How far back the recent, recurring credit-enhancing records reach."""

_KINDS = (("family_farm", 55), ("cooperative", 30), ("enterprise", 15))
# Weights roughly follow the districts' share of agricultural producers; the
# zones hold few farms.
_REGION_WEIGHTS = {
    "320802": 8, "320803": 18, "320804": 14, "320813": 10, "320826": 17,
    "320830": 14, "320831": 11, "320891": 3, "320892": 2, "320893": 3,
}  # fmt: skip
_PRODUCTS = ("蔬菜", "水果", "稻米", "茶叶", "畜禽", "禽蛋", "水产", "小龙虾")
_WORDS = (
    "绿源",
    "丰收",
    "鑫农",
    "金穗",
    "润田",
    "康禾",
    "福地",
    "万家",
    "清水",
    "田园",
)
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
_SERIAL_STEP = 7_368_787  # a prime, so serials `n * step + offset` never repeat

_PENALTY_BANDS = {
    "minor": (("art73", "第七十三条"), ("art75", "第七十五条")),
    "general": (
        ("art71", "第七十一条"),
        ("art72", "第七十二条"),
        ("art75", "第七十五条"),
    ),
    "serious": (
        ("art70", "第七十条"),
        ("art74", "第七十四条"),
        ("art71", "第七十一条"),
    ),
}
_SCHEMES = (("green_food", 3, 45), ("organic", 1, 15), ("geographical_indication", 10, 10), ("gap", 1, 30))  # fmt: skip

Event = tuple[dt.date, str, dict[str, FieldValue]]


def generate(
    policy: Policy, subjects: int, seed: int, *, until: dt.date = DEFAULT_UNTIL
) -> Iterator[Subject | Record]:
    """Yield synthetic subjects, each followed by its records in date order.

    Args:
        policy: The policy whose record types and subject attributes to fill.
        subjects: How many subjects.
        seed: The seed; the same seed gives the same output.
        until: The last day of the five-year history.

    Yields:
        A `Subject`, then its records, for each subject in turn.

    Raises:
        ValueError: If `subjects` is negative or more than the codes available.
    """
    if not 0 <= subjects <= SERIALS:
        raise ValueError(f"cannot generate {subjects} subjects; ask for 0 to {SERIALS}")
    offset = random.Random(seed).randrange(SERIALS)
    start = subtract(until, ast.Duration(YEARS, "year")) + dt.timedelta(days=1)

    for index in range(subjects):
        rng = random.Random(f"{seed}/{index}")
        serial = (index * _SERIAL_STEP + offset) % SERIALS
        subject = _subject(policy, rng, serial, start)
        yield subject
        yield from _records(policy, rng, subject, index, start, until)


def _subject(
    policy: Policy, rng: random.Random, serial: int, start: dt.date
) -> Subject:
    kind = rng.choices([k for k, _ in _KINDS], [w for _, w in _KINDS])[0]
    region_code = rng.choices(list(_REGION_WEIGHTS), list(_REGION_WEIGHTS.values()))[0]
    code = make_code(rng, kind, region_code, serial=serial)
    region = HUAIAN_REGIONS[region_code]
    products = rng.choice(_PRODUCTS)
    registered = start - dt.timedelta(days=rng.randrange(200, 5000))
    attributes: dict[str, FieldValue] = {
        "credit_code": code,
        "name": _name(rng, kind, region, products),
        "region": region,
        "registered": registered,
        "products": products,
        "legal_person": rng.choice(_SURNAMES)
        + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2)))),
        "phone": "1" + rng.choice("3589") + "".join(rng.choices("0123456789", k=9)),
    }
    declared = policy.subject.fields if policy.subject else ()
    return Subject(code, kind, _complete(policy, declared, attributes, registered))


def _name(rng: random.Random, kind: str, region: str, products: str) -> str:
    word = rng.choice(_WORDS)
    place = region.removeprefix("淮安").removesuffix("区").removesuffix("县") or "淮安"
    if kind == "family_farm":
        return f"{place}{word}{rng.choice(_SURNAMES)}家庭农场"
    if kind == "cooperative":
        return f"{place}{word}{products}专业合作社"
    return f"淮安市{word}{products}农业发展有限公司"


def _records(
    policy: Policy,
    rng: random.Random,
    subject: Subject,
    index: int,
    start: dt.date,
    until: dt.date,
) -> Iterator[Record]:
    events = _history(rng, subject.kind, start, until)
    events.sort(key=lambda event: (event[0], event[1]))

    penalty_ids: list[str] = []
    for number, (date, type_name, fields) in enumerate(events, start=1):
        decl = policy.records.get(type_name)
        if decl is None:
            continue
        record_id = f"R{index:07d}-{number:03d}"
        if type_name == "penalty":
            penalty_ids.append(record_id)
        if type_name == "repair_request":
            if not penalty_ids:
                continue
            fields = {"target": penalty_ids[-1]}
        yield Record(
            record_id,
            subject.id,
            type_name,
            date,
            _complete(policy, decl.fields, fields, date),
        )


def _history(
    rng: random.Random, kind: str, start: dt.date, until: dt.date
) -> list[Event]:
    """About ten events over the period: the routine ones, then what follows them."""
    days = (until - start).days

    def day() -> dt.date:
        return start + dt.timedelta(days=rng.randrange(days + 1))

    def recent() -> dt.date:
        return until - dt.timedelta(days=rng.randrange(min(days, RECENT_DAYS) + 1))

    events: list[Event] = []
    for _ in range(rng.choice((4, 5, 5, 6))):
        result = rng.choices(("ok", "problem", "serious_problem"), (90, 8, 2))[0]
        events.append((day(), "inspection", {"result": result}))
    for _ in range(rng.choice((1, 2, 2, 3))):
        events.append(_sampling_test(rng, day()))

    findings = [
        e
        for e in events
        if e[2].get("result") in ("problem", "serious_problem", "fail")
    ]
    for date, _, _ in findings:
        if rng.random() < 0.7:
            events.append(
                (_after(date, rng.randrange(10, 90), until), "rectification", {})
            )
    if (findings and rng.random() < 0.15) or rng.random() < 0.01:
        events.extend(_penalty(rng, findings[0][0] if findings else day(), until))

    events.extend(_credit_enhancing(rng, kind, day, recent))
    if rng.random() < 0.03:
        events.append((day(), "complaint", {"substantiated": rng.random() < 0.3}))
    if rng.random() < 0.002:
        events.append((day(), "false_materials", {}))
    return events


def _sampling_test(rng: random.Random, date: dt.date) -> Event:
    if rng.random() >= 0.05:
        return (date, "sampling_test", {"result": "pass", "hazard": "no_hazard", "disputed": False, "retest": "not_requested"})  # fmt: skip
    hazard = rng.choices(("pesticide_residue", "veterinary_drug_residue", "heavy_metal", "banned_substance", "other"), (55, 20, 10, 5, 10))[0]  # fmt: skip
    disputed = rng.random() < 0.2
    retest = (
        rng.choice(("pending", "retest_pass", "retest_fail"))
        if disputed
        else "not_requested"
    )
    return (date, "sampling_test", {"result": "fail", "hazard": hazard, "disputed": disputed, "retest": retest})  # fmt: skip


def _penalty(rng: random.Random, finding: dt.date, until: dt.date) -> list[Event]:
    """A penalty some weeks after a finding, and often its repair afterwards."""
    severity = rng.choices(("minor", "general", "serious"), (50, 40, 10))[0]
    band, article = rng.choice(_PENALTY_BANDS[severity])
    date = _after(finding, rng.randrange(14, 60), until)
    fields: dict[str, FieldValue] = {
        "article": f"《农产品质量安全法》{article}",
        "severity": severity,
        "band": band,
        "intentional": rng.random() < (0.5 if severity == "serious" else 0.1),
        "fulfilled": rng.random() < 0.85,
    }
    events: list[Event] = [(date, "penalty", fields)]
    if severity != "serious" and rng.random() < 0.4:
        letter = _after(date, rng.randrange(30, 120), until)
        events.append((letter, "commitment_letter", {}))
        events.append((_after(date, rng.randrange(14, 60), until), "rectification", {}))
        events.append(
            (_after(letter, rng.randrange(1, 200), until), "repair_request", {})
        )
    return events


def _credit_enhancing(
    rng: random.Random,
    kind: str,
    day: Callable[[], dt.date],
    recent: Callable[[], dt.date],
) -> list[Event]:
    """Credit-enhancing records, most of them recent.

    Conformity certificates and traceability uploads are recent schemes (the
    certificate became mandatory in 2026), and producers who take part keep doing
    so: an engaged producer issues and uploads repeatedly in the last year.
    """
    events: list[Event] = []
    organised = kind != "family_farm"
    engaged = rng.random() < (0.55 if organised else 0.3)
    if rng.random() < (0.35 if organised else 0.08):
        scheme, years, _ = rng.choices(_SCHEMES, [w for *_, w in _SCHEMES])[0]
        valid_from = day()
        valid_until = add(valid_from, ast.Duration(years, "year"))
        events.append((valid_from, "certification", {"scheme": scheme, "valid_from": valid_from, "valid_until": valid_until, "revoked": rng.random() < 0.02}))  # fmt: skip
    for _ in range(rng.choice((2, 3)) if engaged else rng.choice((0, 0, 1))):
        batches = Decimal(rng.randrange(1, 60))
        events.append((recent(), "conformity_certificate", {"batches": batches}))
    for _ in range(rng.choice((1, 2)) if engaged else rng.choice((0, 1))):
        events.append((recent(), "traceability_upload", {}))
    if rng.random() < 0.25:
        events.append((day(), "commitment_letter", {}))
    if rng.random() < (0.5 if engaged else 0.2):
        events.append((recent(), "training", {"topic": rng.choice(("农药安全使用", "承诺达标合格证制度", "兽药规范使用", "追溯平台操作"))}))  # fmt: skip
    if organised and rng.random() < (0.25 if engaged else 0.05):
        events.append((recent(), "standardized_production", {"standard": rng.choice(("GB/T 8321", "NY/T 5010", "DB32/T 4713"))}))  # fmt: skip
    return events


def _after(date: dt.date, days: int, until: dt.date) -> dt.date:
    return min(date + dt.timedelta(days=days), until)


def _complete(
    policy: Policy,
    declared: tuple[ast.FieldDecl, ...],
    values: dict[str, FieldValue],
    date: dt.date,
) -> dict[str, FieldValue]:
    """Keep the declared fields of `values` and give the others a plain default."""
    return {
        f.name: values[f.name] if f.name in values else _default(policy, f.type, date)
        for f in declared
    }


def _default(policy: Policy, type_name: str, date: dt.date) -> FieldValue:
    if type_name == "number":
        return Decimal(0)
    if type_name == "bool":
        return False
    if type_name == "date":
        return date
    enum = policy.enums.get(type_name)
    if enum is not None and enum.values:
        return enum.values[0].name
    # An empty cell reads back as an absent field, so text gets a word.
    return "无"
