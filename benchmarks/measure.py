"""Timing helpers, the machine's description, and measurements in fresh processes."""

from __future__ import annotations

import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import sysconfig
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def machine() -> dict[str, Any]:
    """Return the CPU model, the number of cores and the Python version."""
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "system": f"{platform.system()} {platform.release()}",
        "engine": engine_build(),
    }


def engine_build() -> str:
    """Tell whether the engine measured is the compiled build or pure Python."""
    import credit_rules.engine.timeline as timeline

    return "pure Python" if timeline.__file__.endswith(".py") else "compiled"


def _package_folder() -> str:
    """Return the folder the measured `credit_rules` is imported from."""
    import credit_rules

    return str(Path(credit_rules.__file__).resolve().parents[1])


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Return the best of `repeat` wall times of `function()`, and its last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    """Return the median and the 99th percentile, in microseconds."""
    ordered = sorted(samples_ns)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {
        "median_us": statistics.median(ordered) / 1000,
        "p99_us": p99 / 1000,
        "samples": len(ordered),
    }


def rss_bytes() -> int:
    """Return this process's resident set size now."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def profile(function: Callable[[], Any], top: int = 12) -> str:
    """Return the top entries, by internal time, of a cProfile run of `function`."""
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    head = [line for line in lines[:start] if "function calls" in line]
    # Paths are shown from the repository, the installed package or the standard
    # library on, as `src/credit_rules/...`, `credit_rules/...` or `heapq.py`.
    text = "\n".join([*head, *lines[start:]])
    for folder in (str(ROOT), _package_folder(), sysconfig.get_paths()["stdlib"]):
        text = text.replace(folder + "/", "")
    return text


_STARTUP_COLD = """
import sys, time
start = time.perf_counter()
import credit_rules
imported = time.perf_counter()
policy = credit_rules.load_policy(sys.argv[1])
checked = time.perf_counter()
plan = credit_rules.compile_policy(policy)
compiled = time.perf_counter()
print(imported - start, checked - imported, compiled - checked)
"""

_STARTUP_CACHED = """
import sys, time, pickle
start = time.perf_counter()
import credit_rules
imported = time.perf_counter()
with open(sys.argv[1], "rb") as file:
    plan = pickle.load(file)
engine = credit_rules.Engine(plan)
ready = time.perf_counter()
print(imported - start, ready - imported, 0.0)
"""

_MEMORY = """
import gc, json, sys, tracemalloc
sys.path.insert(0, sys.argv[3])
import credit_rules, population
policy = credit_rules.load_policy(sys.argv[1])
subjects = int(sys.argv[2])
gc.collect()
tracemalloc.start()
items = population.items(policy, subjects)
records = sum(1 for item in items if not isinstance(item, credit_rules.Subject))
engine = credit_rules.Engine(policy, today=population.AS_OF)
engine.ingest(items)
del items
gc.collect()
current, peak = tracemalloc.get_traced_memory()
print(json.dumps({"subjects": subjects, "records": records, "retained": current, "peak": peak}))
"""


def _python(script: str, *args: str) -> str:
    # The fresh process measures the same build as this one: the source tree of
    # an editable install or the installed wheel.
    env = {**os.environ, "PYTHONPATH": _package_folder()}
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    ).stdout


def startup(policy_path: str, plan_file: Path, runs: int) -> dict[str, Any]:
    """Time, in fresh processes, parse+check+compile cold and loading a cached plan."""
    cold = [
        [float(x) for x in _python(_STARTUP_COLD, policy_path).split()]
        for _ in range(runs)
    ]
    cached = [
        [float(x) for x in _python(_STARTUP_CACHED, str(plan_file)).split()]
        for _ in range(runs)
    ]
    return {
        "policy": policy_path,
        "runs": runs,
        "import_ms": statistics.median(row[0] for row in cold) * 1000,
        "check_ms": statistics.median(row[1] for row in cold) * 1000,
        "compile_ms": statistics.median(row[2] for row in cold) * 1000,
        "cold_ms": statistics.median(row[1] + row[2] for row in cold) * 1000,
        "cached_ms": statistics.median(row[1] for row in cached) * 1000,
        "plan_bytes": plan_file.stat().st_size,
    }


def memory(policy_path: str, subjects: int) -> dict[str, Any]:
    """Trace, in a fresh process, the memory of generating and ingesting `subjects`."""
    found = json.loads(_python(_MEMORY, policy_path, str(subjects), str(HERE)))
    found["policy"] = policy_path
    found["retained_per_subject"] = found["retained"] / subjects
    found["peak_per_subject"] = found["peak"] / subjects
    return found
