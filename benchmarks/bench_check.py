"""Time parse and check of a policy of 200 rules, cold, against 300 ms.

Run `python benchmarks/bench_check.py`. Each measurement runs in a fresh Python
process, so the grammar is compiled and the stdlib parsed again: what a user of
`credit-rules check` waits for, less the interpreter's own start-up and imports.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RULES = 200
BUDGET_MS = 300.0
RUNS = 5

_MEASURE = """
import sys, time
from credit_rules.dsl import parser
from credit_rules.dsl.checker import check
from credit_rules.dsl.loader import load
start = time.perf_counter()
parser._lark()
compiled = time.perf_counter()
policy = load(sys.argv[1])
loaded = time.perf_counter()
diagnostics = check(policy)
done = time.perf_counter()
assert not diagnostics, [d.code for d in diagnostics]
print(*(1000 * t for t in (done - start, compiled - start, loaded - compiled, done - loaded)))
"""


def policy_text(rules: int = RULES) -> str:
    """Return a valid policy with `rules` point rules and the usual rest."""
    head = """\
import stdlib.agri
score { base 80 range 0 to 100 rounding 0.1 }
group bonus "加分" / "bonus" { at most +20 }
tiers "等级" / "tiers" {
  A "守信" when score >= 90 and none(penalty within 1 year)
  B "基本守信" when score >= 75
  C "失信" when score >= 60
  D "严重失信" otherwise
  start B
}
veto serious "严重违法" { forces D when any(penalty where severity == serious within 3 years) locked 2 years }
list red "红名单" { enter when tier == A and count(inspection where result == ok within 3 years) >= 3 publish name }
effect funds "项目资金" { incentive when listed(red) }
repair general "一般" { after 3 months requires commitment_letter unless any(false_materials within 3 years) }
"""
    body = []
    for index in range(rules):
        if index % 2:
            body.append(
                f'rule deduction_{index} "扣分{index}" / "deduction {index}" {{\n'
                f"  on sampling_test where result == fail and hazard == pesticide_residue"
                f" and (not disputed or retest == retest_fail)\n"
                f"  points -{index % 9 + 1}, -{index % 9 + 2} within 1 year\n"
                f"  at most -{index % 9 + 20}\n  counts for 1 year\n  repair general\n"
                f'  source "第{index}条"\n}}\n'
            )
        else:
            body.append(
                f'rule bonus_{index} "加分{index}" / "bonus {index}" {{\n'
                f"  on certification where scheme in [green_food, organic] and not revoked\n"
                f"  points +1\n  at most +5\n  counts from valid_from until valid_until\n"
                f'  in bonus\n  source "第{index}条"\n}}\n'
            )
    return head + "".join(body)


def main() -> None:
    """Measure in fresh processes and print the medians against the budget."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "policy.rules"
        path.write_text(policy_text(), encoding="utf-8")
        runs = []
        for _ in range(RUNS):
            out = subprocess.run(
                [sys.executable, "-c", _MEASURE, str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            runs.append([float(part) for part in out.split()])

    total, grammar, parse, checking = (
        statistics.median(c) for c in zip(*runs, strict=True)
    )
    verdict = "within" if total <= BUDGET_MS else "over"
    print(f"parse + check of {RULES} rules, cold, median of {RUNS} fresh processes:")
    print(
        f"  {total:.0f} ms, {total / BUDGET_MS:.2f} of the {BUDGET_MS:.0f} ms budget ({verdict})"
    )
    print(
        f"  grammar compilation {grammar:.0f} ms, parse and load {parse:.0f} ms, "
        f"check {checking:.0f} ms"
    )


if __name__ == "__main__":
    main()
