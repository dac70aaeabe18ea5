"""Benchmarks of the incremental engine: ingest latency, memory, batch assessment.

Run from the repository's root:

    python benchmarks/bench_engine.py                 # 3,000 subjects
    python benchmarks/bench_engine.py --large 100000  # and a larger population

It prints the median and 99th percentile of ingesting one record into a live
engine, the memory per subject, and the time of assessing every subject as of
one date, against a hand-written Python function for the same small policy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from credit_rules.credit_code import check_character  # noqa: E402
from credit_rules.dsl.loader import load  # noqa: E402
from credit_rules.dsl.policy import Policy  # noqa: E402
from credit_rules.engine.runtime import Engine  # noqa: E402
from credit_rules.records import FieldValue, Record, Subject  # noqa: E402
from engine.policies import text_policy  # noqa: E402

TODAY = dt.date(2026, 6, 1)
START = dt.date(2023, 1, 1)

SMALL = """
enum outcome "结果" { pass "合格" fail "不合格" }
record test "抽检" { result: outcome }
record cert "认证" { }
subject "主体" { region: text }
score { base 80 range 0 to 100 }
rule failure "抽检不合格" { on test where result == fail points -10, -20 within 1 year at most -30 counts for 1 year }
rule certified "认证" { on cert points 5 counts for 2 years }
tiers "等级" {
  A "守信" when score >= 85
  B "基本守信" when score >= 70
  C "失信" otherwise
}
"""


def hand_written(records: list[Record], today: dt.date) -> tuple[Decimal, str]:
    """The small policy's score and tier, written by hand as a baseline."""
    failures = sorted(
        (r.date, r.id)
        for r in records
        if r.type == "test" and r.field("result") == "fail"
    )
    total = Decimal(0)
    for index, (date, _) in enumerate(failures):
        if not date <= today < _years(date, 1):
            continue
        repeats = sum(
            1 for other, _ in failures[: index + 1] if other > _years(date, -1)
        )
        total += Decimal(-10 if repeats == 1 else -20)
    total = max(total, Decimal(-30))
    bonus = sum(
        Decimal(5)
        for r in records
        if r.type == "cert" and r.date <= today < _years(r.date, 2)
    )
    score = min(max(Decimal(80) + total + bonus, Decimal(0)), Decimal(100))
    tier = "A" if score >= 85 else "B" if score >= 70 else "C"
    return score, tier


def _years(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:
        return date.replace(year=date.year + years, day=28)


def _code(number: int) -> str:
    first = f"91320800MA{number % 10_000_000:07d}"
    return first + check_character(first)


def jiangsu_record(rng: random.Random, record_id: str, subject: str) -> Record:
    """A plausible record under the Jiangsu policy."""
    date = START + dt.timedelta(days=rng.randrange(1200))
    fields: dict[str, FieldValue]
    kind = rng.choices(
        ["inspection", "sampling_test", "training", "penalty", "commitment_letter"],
        [5, 3, 1, 1, 1],
    )[0]
    if kind == "inspection":
        fields = {"result": rng.choice(["ok", "ok", "problem"])}
    elif kind == "sampling_test":
        fields = {
            "result": rng.choice(["pass", "pass", "fail"]),
            "hazard": "pesticide_residue",
            "disputed": False,
            "retest": "not_requested",
        }
    elif kind == "penalty":
        fields = {
            "article": "71",
            "severity": rng.choice(["minor", "general", "serious"]),
            "band": "art71",
            "intentional": False,
            "fulfilled": True,
        }
    elif kind == "training":
        fields = {"topic": "safety"}
    else:
        fields = {}
    return Record(record_id, subject, kind, date, fields)


def jiangsu_subject(number: int) -> Subject:
    """A subject with the Jiangsu attributes."""
    attributes = {
        "credit_code": _code(number),
        "name": f"农场{number}",
        "region": "淮安区",
        "registered": dt.date(2015, 1, 1),
        "products": "rice",
        "legal_person": "张三",
        "phone": "0517",
    }
    return Subject(f"S{number}", "family_farm", attributes)


def populate(
    policy: Policy, subjects: int, make: Callable[[random.Random, str, str], Record]
) -> Engine:
    """Return an engine holding `subjects` subjects of ten records each."""
    rng = random.Random(1)
    engine = Engine(policy, today=TODAY)
    for number in range(subjects):
        subject = (
            jiangsu_subject(number)
            if "credit_code" in str(policy.subject)
            else Subject(f"S{number}", "enterprise", {"region": "north"})
        )
        engine.ingest(
            [subject, *(make(rng, f"R{number}-{i}", subject.id) for i in range(10))]
        )
    return engine


def measure_ingest(
    engine: Engine,
    subjects: int,
    make: Callable[[random.Random, str, str], Record],
    count: int = 3000,
) -> tuple[float, float]:
    """Return the median and p99 of one ingest, in microseconds."""
    rng = random.Random(2)
    timings = []
    for index in range(count):
        record = make(rng, f"N{index}", f"S{rng.randrange(subjects)}")
        started = time.perf_counter()
        engine.ingest([record])
        timings.append((time.perf_counter() - started) * 1e6)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.99)]


def measure_memory(
    policy: Policy, subjects: int, make: Callable[[random.Random, str, str], Record]
) -> float:
    """Return the bytes per subject of an engine, records and archive included."""
    gc.collect()
    tracemalloc.start()
    engine = populate(policy, subjects, make)
    gc.collect()
    used, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del engine
    return used / subjects


def small_record(rng: random.Random, record_id: str, subject: str) -> Record:
    """A record of the small policy."""
    date = START + dt.timedelta(days=rng.randrange(1200))
    if rng.random() < 0.3:
        return Record(record_id, subject, "cert", date)
    return Record(
        record_id, subject, "test", date, {"result": rng.choice(["pass", "fail"])}
    )


def measure_batch(subjects: int) -> tuple[float, float]:
    """Return seconds for `assess_all` and for the hand-written baseline."""
    policy = text_policy(SMALL)
    engine = populate(policy, subjects, small_record)
    started = time.perf_counter()
    assessed = {a.subject: (a.score, a.tier) for a in engine.assess_all(TODAY)}
    engine_time = time.perf_counter() - started

    archive = {subject: list(engine.records(subject)) for subject in engine.subjects()}
    started = time.perf_counter()
    baseline = {
        subject: hand_written(records, TODAY) for subject, records in archive.items()
    }
    baseline_time = time.perf_counter() - started
    assert baseline == assessed, "the baseline disagrees with the engine"
    return engine_time, baseline_time


def main() -> None:
    """Run the benchmarks and print their figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=3000)
    parser.add_argument(
        "--large", type=int, default=0, help="also measure this many subjects"
    )
    arguments = parser.parse_args()
    policy = load(ROOT / "policies" / "jiangsu")

    sizes = [arguments.subjects, *([arguments.large] if arguments.large else [])]
    medians = []
    for size in sizes:
        started = time.perf_counter()
        engine = populate(policy, size, jiangsu_record)
        loaded = time.perf_counter() - started
        median, p99 = measure_ingest(engine, size, jiangsu_record)
        medians.append(median)
        print(
            f"jiangsu, {size:>9,} subjects: load {loaded:7.1f} s, ingest median {median:6.1f} µs, p99 {p99:7.1f} µs"
        )
        del engine
        gc.collect()
    if len(medians) > 1:
        print(
            f"ingest median ratio, {sizes[1]:,} to {sizes[0]:,} subjects: {medians[1] / medians[0]:.2f}"
        )

    per_subject = measure_memory(policy, min(arguments.subjects, 2000), jiangsu_record)
    print(
        f"memory per subject with 10 records (tracemalloc): {per_subject / 1024:.2f} KiB"
    )

    engine_time, baseline_time = measure_batch(arguments.subjects)
    print(
        f"batch assessment of {arguments.subjects:,} subjects: engine {engine_time * 1e3:.1f} ms, hand-written {baseline_time * 1e3:.1f} ms, ratio {engine_time / baseline_time:.2f}"
    )


if __name__ == "__main__":
    main()
