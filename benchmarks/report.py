# The report prints ratios with the multiplication sign.
# ruff: noqa: RUF001
"""The printed report of a benchmark run: times and ratios, against the targets."""

from __future__ import annotations

from typing import Any

KIB = 1024


def print_report(results: dict[str, Any]) -> None:
    """Print the machine, then every table of the run."""
    machine = results["machine"]
    print(
        f"\nmachine: {machine['cpu']}, {machine['cores']} cores, {machine['implementation']} {machine['python']};"
        f" engine: {machine.get('engine', 'pure Python')}"
    )
    print(
        f"as of {results['as_of']}, seed {results['seed']}, run {results['date']} ({results['mode']})\n"
    )
    _batch(results["batch"])
    _incremental(results["incremental"])
    huaian = results["huaian"]
    print(f"\nwhole Huai'an policy, {huaian['subjects']:,} subjects: assess_all {huaian['assess_all_s'] * 1e6 / huaian['subjects']:.0f} µs per subject,"
          f" ingest {huaian['ingest_all_s'] * 1e6 / huaian['records']:.0f} µs per record in bulk")  # fmt: skip
    _startup(results["startup"])
    _memory(results["memory"], results["batch"])
    print("\ntargets:")
    for line in targets(results):
        print(f"  {line}")


def _batch(rows: list[dict[str, Any]]) -> None:
    print("batch: assess every subject as of one date (comparison policy)")
    header = f"{'subjects':>10} {'hand-written':>13} {'engine':>9} {'reference':>10} {'zen-engine':>11} {'rule-engine':>12}"
    print(header + "   µs per subject")
    for row in rows:
        per = [
            row.get(key)
            for key in (
                "baseline_s",
                "engine_s",
                "reference_s",
                "zen_engine_s",
                "rule_engine_s",
            )
        ]
        cells = [
            f"{s * 1e6 / row['subjects']:.0f}" if s is not None else "—" for s in per
        ]
        print(
            f"{row['subjects']:>10,} {cells[0]:>13} {cells[1]:>9} {cells[2]:>10} {cells[3]:>11} {cells[4]:>12}"
        )
    print(
        f"{'subjects':>10} {'engine/hand-written':>20} {'zen-engine/engine':>18} {'rule-engine/engine':>19} {'reference/engine':>17}   ratios"
    )
    for row in rows:
        ratios = row["ratios"]
        cells = [
            ratios.get(k)
            for k in (
                "engine/hand-written",
                "zen-engine/engine",
                "rule-engine/engine",
                "reference/engine",
            )
        ]
        text = [f"{r:.2f}×" if r is not None else "—" for r in cells]
        print(
            f"{row['subjects']:>10,} {text[0]:>20} {text[1]:>18} {text[2]:>19} {text[3]:>17}"
        )


def _incremental(rows: list[dict[str, Any]]) -> None:
    print("\nincremental: one event into a live engine")
    print(
        f"{'policy':>8} {'subjects':>10} {'ingest median':>14} {'ingest p99':>11} {'advance median':>15} {'advance p99':>12}"
    )
    for row in rows:
        ingest, advance = row["ingest"], row["advance_one_day"]
        print(f"{row['policy']:>8} {row['subjects']:>10,} {ingest['median_us']:>11.0f} µs {ingest['p99_us']:>8.0f} µs"
              f" {advance['median_us']:>12.0f} µs {advance['p99_us']:>9.0f} µs")  # fmt: skip


def _startup(rows: list[dict[str, Any]]) -> None:
    print("\nstart-up, fresh processes (median; imports not included)")
    print(
        f"{'policy':>18} {'imports':>9} {'parse+check':>12} {'compile':>9} {'cold':>9} {'cached plan':>12}"
    )
    for row in rows:
        print(f"{row['policy']:>18} {row['import_ms']:>6.0f} ms {row['check_ms']:>9.0f} ms {row['compile_ms']:>6.0f} ms"
              f" {row['cold_ms']:>6.0f} ms {row['cached_ms']:>9.1f} ms")  # fmt: skip


def _memory(rows: list[dict[str, Any]], batch: list[dict[str, Any]]) -> None:
    print("\nmemory per subject (records included)")
    for row in rows:
        print(f"  {row['policy']}, {row['subjects']:,} subjects, {row['records'] / row['subjects']:.1f} records each:"
              f" retained {row['retained_per_subject'] / KIB:.1f} KiB, peak {row['peak_per_subject'] / KIB:.1f} KiB (tracemalloc)")  # fmt: skip
    for row in batch:
        print(
            f"  comparison policy, {row['subjects']:,} subjects: RSS grew {row['rss_per_subject'] / KIB:.1f} KiB per subject"
        )


def targets(results: dict[str, Any]) -> list[str]:
    """Return one line per target: the measured value and whether it is met."""
    lines = []
    batch = results["batch"]
    worst = max(batch, key=lambda row: row["ratios"]["engine/hand-written"])
    lines.append(
        _line(
            "batch within 3× of hand-written",
            worst["ratios"]["engine/hand-written"],
            3,
            f"{worst['subjects']:,} subjects",
            "×",
        )
    )
    for peer in ("zen-engine", "rule-engine"):
        ratios = [
            row["ratios"][f"{peer}/engine"]
            for row in batch
            if f"{peer}/engine" in row["ratios"]
        ]
        if ratios:
            lowest = min(ratios)
            lines.append(
                f"{'met ' if lowest >= 20 else 'MISSED'} engine ≥ 20× faster than {peer}: {lowest:.1f}×"
            )
    peers = [row for row in results["incremental"] if row["policy"] == "peers"]
    small, large = peers[0], peers[-1]
    median = large["ingest"]["median_us"]
    lines.append(
        _line(f"ingest median < 50 µs at {large['subjects']:,}", median, 50, "", " µs")
    )
    growth = median / small["ingest"]["median_us"]
    lines.append(
        _line(
            f"ingest median at {large['subjects']:,} within 1.5× of {small['subjects']:,}",
            growth,
            1.5,
            "",
            "×",
        )
    )
    cached = max(row["cached_ms"] for row in results["startup"])
    lines.append(_line("start-up from a cached plan < 50 ms", cached, 50, "", " ms"))
    memory = max(row["retained_per_subject"] for row in results["memory"]) / KIB
    lines.append(_line("memory < 8 KiB per subject", memory, 8, "", " KiB"))
    return lines


def _line(what: str, value: float, limit: float, where: str, unit: str) -> str:
    verdict = (
        "met   " if value < limit or (unit == "×" and value <= limit) else "MISSED"
    )
    place = f" ({where})" if where else ""
    return f"{verdict} {what}: {value:.2f}{unit}{place}"


def markdown(results: dict[str, Any]) -> str:
    """Return the tables of a run as Markdown, for `docs/benchmarks.md`."""
    m = results["machine"]
    out = [
        f"Measured on {m['cpu']}, {m['cores']} cores, {m['implementation']} {m['python']}, {m['system']};"
        f" the {m.get('engine', 'pure Python')} engine; mode `{results['mode']}`.",
        "",
    ]
    out += [
        "| subjects | hand-written | engine | reference | zen-engine | rule-engine |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["batch"]:
        per = [
            row.get(k)
            for k in (
                "baseline_s",
                "engine_s",
                "reference_s",
                "zen_engine_s",
                "rule_engine_s",
            )
        ]
        cells = [
            f"{s * 1e6 / row['subjects']:,.0f} µs" if s is not None else "—"
            for s in per
        ]
        out.append(f"| {row['subjects']:,} | " + " | ".join(cells) + " |")
    out += [
        "",
        "| subjects | engine / hand-written | zen-engine / engine | rule-engine / engine | reference / engine |",
        "|---:|---:|---:|---:|---:|",
    ]
    for row in results["batch"]:
        r = row["ratios"]
        cells = [
            r.get(k)
            for k in (
                "engine/hand-written",
                "zen-engine/engine",
                "rule-engine/engine",
                "reference/engine",
            )
        ]
        out.append(
            f"| {row['subjects']:,} | "
            + " | ".join(f"{c:.2f}×" if c is not None else "—" for c in cells)
            + " |"
        )
    out += [
        "",
        "| policy | subjects | ingest median | ingest p99 | advance 1 day, median | advance 1 day, p99 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in results["incremental"]:
        i, a = row["ingest"], row["advance_one_day"]
        out.append(
            f"| {row['policy']} | {row['subjects']:,} | {i['median_us']:,.0f} µs | {i['p99_us']:,.0f} µs | {a['median_us']:,.0f} µs | {a['p99_us']:,.0f} µs |"
        )
    out += [
        "",
        "| policy | imports | parse + check | compile | cold | from cached plan | plan size |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["startup"]:
        out.append(
            f"| `{row['policy']}` | {row['import_ms']:.0f} ms | {row['check_ms']:.0f} ms | {row['compile_ms']:.0f} ms | {row['cold_ms']:.0f} ms | {row['cached_ms']:.1f} ms | {row['plan_bytes'] / KIB:.0f} KiB |"
        )
    out += [
        "",
        "| policy | subjects | records each | retained | peak |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in results["memory"]:
        out.append(
            f"| `{row['policy']}` | {row['subjects']:,} | {row['records'] / row['subjects']:.1f} | {row['retained_per_subject'] / KIB:.1f} KiB | {row['peak_per_subject'] / KIB:.1f} KiB |"
        )
    for row in results["batch"]:
        out.append(
            f"| comparison policy, RSS growth | {row['subjects']:,} | {row['records'] / row['subjects']:.1f} | {row['rss_per_subject'] / KIB:.1f} KiB | — |"
        )
    out += ["", "Targets:", "", *(f"- {line}" for line in targets(results))]
    return "\n".join(out)


if __name__ == "__main__":
    import json
    import sys
    from pathlib import Path

    print(markdown(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
