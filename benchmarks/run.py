"""Run every benchmark of `credit-rules` and report times and ratios.

    python benchmarks/run.py            # 3,000 and 100,000 subjects (~10 minutes)
    python benchmarks/run.py --quick    # 3,000 subjects only (~2 minutes)
    python benchmarks/run.py --full     # and 1,000,000 subjects (long; ~24 GiB)

Prints a table, writes `benchmarks/results/latest.json` and the latency chart
`docs/img/latency.svg`. See `docs/benchmarks.md` for the method.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import json
import pickle
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import baseline
import chart
import measure
import peer_input
import population
import rule_engine_peer
import zen_peer
from population import AS_OF, ROOT, Population
from report import print_report

import credit_rules

RESULTS = ROOT / "benchmarks" / "results" / "latest.json"
CHART = ROOT / "docs" / "img" / "latency.svg"
CHECK_SLICE = 2000
PEERS_UP_TO = 100_000
REFERENCE_UP_TO = 3000


class Disagreement(SystemExit):
    """An implementation gave another score or tier than the hand-written one."""


def main() -> None:
    """Parse the options, run the benchmarks, print and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3,000 subjects only")
    parser.add_argument("--full", action="store_true", help="also 1,000,000 subjects")
    parser.add_argument(
        "--json", type=Path, default=RESULTS, help="where to write the results"
    )
    parser.add_argument(
        "--svg", type=Path, default=CHART, help="where to write the chart"
    )
    options = parser.parse_args()
    sizes = [3000] if options.quick else [3000, 100_000]
    if options.full:
        sizes.append(1_000_000)

    results: dict[str, Any] = {
        "machine": measure.machine(),
        "mode": "quick" if options.quick else "full" if options.full else "default",
        "date": dt.date.today().isoformat(),
        "as_of": AS_OF.isoformat(),
        "seed": population.SEED,
        "batch": [],
        "incremental": [],
        "profiles": {},
    }
    policy = population.peers_policy()
    for subjects in sizes:
        engine, people = batch(policy, subjects, results)
        incremental(
            engine,
            people,
            "peers",
            results,
            samples=1000 if subjects < 1_000_000 else 2000,
        )
        del engine, people
        gc.collect()
    real_policy(results, quick=options.quick)
    results["startup"] = startup(runs=3 if options.quick else 5)
    memory_size = 3000 if options.quick else 10_000
    results["memory"] = [
        measure.memory("policies/huaian", memory_size),
        measure.memory(str(population.PEERS_POLICY.relative_to(ROOT)), memory_size),
    ]

    print_report(results)
    for path, text in (
        (options.json, json.dumps(results, indent=1, ensure_ascii=False) + "\n"),
        (options.svg, latency_chart(results)),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


# ---- batch -----------------------------------------------------------------------


def batch(
    policy: credit_rules.Policy, subjects: int, results: dict[str, Any]
) -> tuple[credit_rules.Engine, Population]:
    """Assess every subject as of one date with every implementation; check, time."""
    say(f"batch: {subjects:,} subjects")
    gc.collect()
    rss_before = measure.rss_bytes()
    generate_s, items = measure.timed(lambda: population.items(policy, subjects))
    records = len(items) - subjects
    engine = credit_rules.Engine(policy, today=AS_OF)
    ingest_s, _ = measure.timed(functools.partial(engine.ingest, items))
    people = population.grouped(items)
    del items
    gc.collect()
    rss_after = measure.rss_bytes()
    say(f"  generated in {generate_s:.1f} s, ingested in {ingest_s:.1f} s")

    repeat = 3 if subjects <= 3000 else 1
    row: dict[str, Any] = {
        "subjects": subjects,
        "records": records,
        "generate_s": generate_s,
        "ingest_all_s": ingest_s,
        "ingest_per_record_us": ingest_s / records * 1e6,
        "rss_per_subject": (rss_after - rss_before) / subjects,
        "repeat": repeat,
    }
    baseline_s, expected = measure.timed(
        lambda: baseline.assess_all(people, AS_OF), repeat
    )
    row["baseline_s"] = baseline_s

    def engine_all() -> list[tuple[str, Any, str]]:
        return [(a.subject, a.score, a.tier) for a in engine.assess_all()]

    def engine_part(part: Population) -> list[tuple[str, Any, str]]:
        return [
            (a.subject, a.score, a.tier) for a in (engine.assess(s.id) for s, _ in part)
        ]

    row["engine_s"] = checked_time(
        "engine", engine_part, engine_all, people, expected, repeat
    )
    if subjects == 3000:
        results["profiles"]["engine assess_all, 3,000 subjects"] = measure.profile(
            engine_all
        )

    if subjects <= REFERENCE_UP_TO:
        policy_ = engine.policy

        def reference(part: Population) -> list[tuple[str, Any, str]]:
            found = (credit_rules.assess(policy_, s, rs, AS_OF) for s, rs in part)
            return [(a.subject, a.score, a.tier) for a in found]

        row["reference_s"] = checked_time(
            "reference", reference, lambda: reference(people), people, expected, 1
        )

    if subjects <= PEERS_UP_TO:
        inputs = peer_input.subject_inputs(people, AS_OF)
        decision = zen_peer.decision()
        row["zen_engine_s"] = checked_time(
            "zen-engine",
            lambda part: zen_peer.assess_all(decision, inputs[: len(part)]),
            lambda: zen_peer.assess_all(decision, inputs),
            people,
            expected,
            1,
        )
        row["rule_engine_s"] = checked_time(
            "rule-engine",
            lambda part: rule_engine_peer.assess_all(
                rule_engine_peer.Compiled(AS_OF), inputs[: len(part)]
            ),
            lambda: rule_engine_peer.assess_all(
                rule_engine_peer.Compiled(AS_OF), inputs
            ),
            people,
            expected,
            1,
        )
        del inputs

    row["ratios"] = {
        "engine/hand-written": row["engine_s"] / row["baseline_s"],
        **{
            f"{peer}/engine": row[key] / row["engine_s"]
            for peer, key in (
                ("zen-engine", "zen_engine_s"),
                ("rule-engine", "rule_engine_s"),
                ("reference", "reference_s"),
            )
            if key in row
        },
    }
    results["batch"].append(row)
    say(
        "  " + ", ".join(f"{name} {value:.2f}" for name, value in row["ratios"].items())
    )
    return engine, people


def checked_time(
    name: str,
    part: Any,
    whole: Any,
    people: Population,
    expected: list[Any],
    repeat: int,
) -> float:
    """Check `name` against the hand-written results, then time it on everything.

    Small populations are checked whole before timing; large ones on their first
    subjects before timing, and whole on the timed run's own results.
    """
    if len(people) <= CHECK_SLICE * 2:
        agree(name, whole(), expected)
        seconds, found = measure.timed(whole, repeat)
    else:
        agree(name, part(people[:CHECK_SLICE]), expected[:CHECK_SLICE])
        seconds, found = measure.timed(whole, repeat)
    agree(name, found, expected)
    say(f"  {name}: {seconds:.2f} s")
    return seconds


def agree(
    name: str, found: list[tuple[str, Any, str]], expected: list[tuple[str, Any, str]]
) -> None:
    """Stop the benchmark if `found` differs from the hand-written results."""
    if len(found) != len(expected):
        raise Disagreement(
            f"{name} assessed {len(found)} subjects, the hand-written function {len(expected)}"
        )
    for got, want in zip(found, expected, strict=True):
        if got[0] != want[0] or got[1] != want[1] or got[2] != want[2]:
            raise Disagreement(
                f"{name} disagrees with the hand-written function on subject `{want[0]}`:"
                f" score {got[1]} tier {got[2]}, expected score {want[1]} tier {want[2]};"
                " the benchmark is stopped"
            )


# ---- incremental -----------------------------------------------------------------


def incremental(
    engine: credit_rules.Engine,
    people: Population,
    label: str,
    results: dict[str, Any],
    samples: int,
) -> None:
    """Time `ingest` of one record into the live engine, then `advance` by one day."""
    subjects = len(people)
    say(f"incremental: {label}, {subjects:,} subjects")
    rng = random.Random(subjects)
    templates = _templates(people)
    today = engine.today
    ingest_ns = []
    for index in range(samples):
        subject = people[rng.randrange(subjects)][0]
        template = templates[index % len(templates)]
        record = credit_rules.Record(
            f"BENCH-{index:06d}", subject.id, template.type, today, template.fields
        )
        start = time.perf_counter_ns()
        engine.ingest([record])
        ingest_ns.append(time.perf_counter_ns() - start)
    advance_ns = []
    for days in range(1, 31):
        start = time.perf_counter_ns()
        engine.advance(to=today + dt.timedelta(days=days))
        advance_ns.append(time.perf_counter_ns() - start)
    row = {
        "policy": label,
        "subjects": subjects,
        "ingest": measure.percentiles(ingest_ns),
        "advance_one_day": measure.percentiles(advance_ns),
    }
    results["incremental"].append(row)
    say(f"  ingest median {row['ingest']['median_us']:.0f} µs, p99 {row['ingest']['p99_us']:.0f} µs;"
        f" advance median {row['advance_one_day']['median_us']:.0f} µs")  # fmt: skip


def _templates(people: Population) -> list[credit_rules.Record]:
    wanted = (
        "inspection",
        "sampling_test",
        "training",
        "conformity_certificate",
        "penalty",
        "traceability_upload",
    )
    found: dict[str, credit_rules.Record] = {}
    for _, records in people:
        for record in records:
            found.setdefault(record.type, record)
        if all(kind in found for kind in wanted):
            break
    return [found[kind] for kind in wanted if kind in found]


def real_policy(results: dict[str, Any], quick: bool) -> None:
    """Time the whole Huai'an policy (with Jiangsu's) at 3,000 subjects."""
    policy = credit_rules.load_policy(str(ROOT / "policies" / "huaian"))
    items = population.items(policy, 3000)
    engine = credit_rules.Engine(policy, today=AS_OF)
    ingest_s, _ = measure.timed(functools.partial(engine.ingest, items))
    people = population.grouped(items)
    assess_s, _ = measure.timed(lambda: list(engine.assess_all()), 1 if quick else 3)
    results["huaian"] = {
        "subjects": 3000,
        "records": len(items) - 3000,
        "ingest_all_s": ingest_s,
        "assess_all_s": assess_s,
    }
    say(
        f"huaian: 3,000 subjects ingested in {ingest_s:.1f} s, assessed in {assess_s:.2f} s"
    )
    incremental(engine, people, "huaian", results, samples=300 if quick else 1000)

    def ingest_some() -> None:
        for index in range(200):
            subject = people[index * 7 % len(people)][0]
            template = people[index % 50][1][0]
            engine.ingest(
                [
                    credit_rules.Record(
                        f"PROFILE-{index}",
                        subject.id,
                        template.type,
                        engine.today,
                        template.fields,
                    )
                ]
            )

    results["profiles"]["huaian ingest of 200 single records, 3,000 subjects"] = (
        measure.profile(ingest_some)
    )


# ---- start-up ----------------------------------------------------------------------


def startup(runs: int) -> list[dict[str, Any]]:
    """Time parse+check+compile cold and loading a pickled plan, in fresh processes."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name in ("policies/jiangsu", "policies/huaian"):
            say(f"start-up: {name}")
            plan = credit_rules.compile_policy(
                credit_rules.load_policy(str(ROOT / name))
            )
            plan_file = Path(folder) / "plan.pickle"
            plan_file.write_bytes(pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL))
            rows.append(measure.startup(name, plan_file, runs))
    return rows


# ---- output -------------------------------------------------------------------------


def latency_chart(results: dict[str, Any]) -> str:
    """Return the SVG of ingest and advance latency against population size."""
    series: dict[str, list[tuple[int, float]]] = {}
    for row in results["incremental"]:
        label = "" if row["policy"] == "peers" else f" ({row['policy']})"
        for key, name in (("ingest", "ingest"), ("advance_one_day", "advance 1 day")):
            series.setdefault(f"{name} median{label}", []).append(
                (row["subjects"], row[key]["median_us"])
            )
            if key == "ingest":
                series.setdefault(f"{name} p99{label}", []).append(
                    (row["subjects"], row[key]["p99_us"])
                )
    return chart.latency_svg(
        "credit-rules: latency of one event against population size", series
    )


def say(text: str) -> None:
    """Print a progress line at once."""
    print(text, flush=True)


if __name__ == "__main__":
    main()
