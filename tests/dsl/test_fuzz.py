"""Random mutations of a valid policy raise the library's own error or none at all.

Characters and tokens are deleted, inserted and swapped in a small valid policy;
loading and checking the result must either succeed or raise `PolicyError`, never
any other exception.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from credit_rules.dsl import check_collect, load_policy
from credit_rules.errors import PolicyError

VALID = """\
import stdlib.agri
score { base 80 range 0 to 100 rounding 0.1 }
group bonus "加分" { at most +20 }
rule failed "抽检不合格" / "failed" {
  on sampling_test where result == fail and not disputed
  points -10, -15 within 1 year
  at most -30
  counts for 1 year
  repair general
}
rule certified "认证" { on certification counts from valid_from until valid_until points +5 in bonus }
tiers "等级" {
  A "守信" when score >= 90 and none(penalty within 1 year)
  B "基本守信" when score >= 75
  C "失信" otherwise
  start B
}
veto serious "严重违法" { forces C when any(penalty where severity == serious within 3 years) locked 2 years }
supervision low "低频" { tiers A, B inspections 1 per year sampling 5% }
list red "红名单" { enter when tier == A stay at least 1 year publish name, credit_code }
effect funds "项目资金" { incentive when listed(red) lasts 1 year }
repair general "一般" {
  after 3 months
  requires commitment_letter, rectification
  unless count(false_materials within 3 years) >= 1
}
"""

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
TOKENS = _TOKEN.findall(VALID)
PIECES = [
    *sorted(set(TOKENS)),
    "(",
    ")",
    "{",
    "}",
    "=",
    "，",
    '"',
    "2021-02-30",
    "1.5",
    "\x00",
    "\n",
    "within",
    "score",
    "tier",
    "-",
    "#",
]

mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, len(TOKENS) - 1)),
    st.tuples(st.just("insert"), st.integers(0, len(TOKENS)), st.sampled_from(PIECES)),
    st.tuples(
        st.just("swap"),
        st.integers(0, len(TOKENS) - 1),
        st.integers(0, len(TOKENS) - 1),
    ),
    st.tuples(st.just("char"), st.integers(0, len(VALID) - 1), st.characters()),
)


def mutate(operations: list[tuple[object, ...]]) -> str:
    """Apply token operations in turn, then character replacements."""
    tokens = list(TOKENS)
    chars: list[tuple[int, str]] = []
    for operation in operations:
        kind = operation[0]
        if kind == "delete" and tokens:
            del tokens[int(str(operation[1])) % len(tokens)]
        elif kind == "insert":
            tokens.insert(int(str(operation[1])), str(operation[2]))
        elif kind == "swap" and tokens:
            i, j = (int(str(n)) % len(tokens) for n in operation[1:])
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif kind == "char":
            chars.append((int(str(operation[1])), str(operation[2])))
    text = "".join(tokens)
    for index, char in chars:
        if index < len(text):
            text = text[:index] + char + text[index + 1 :]
    return text


def test_the_policy_mutated_here_is_valid() -> None:
    """Unmutated, the policy loads and checks without any diagnostic."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.rules"
        path.write_text(VALID, encoding="utf-8")

        _, found = check_collect(path)

    assert [] == [f"{d.span}: {d.code} {d.message()}" for d in found]


@given(st.lists(mutation, min_size=1, max_size=4))
def test_mutations_raise_only_policy_errors(
    operations: list[tuple[object, ...]],
) -> None:
    """Whatever the mutation, loading gives a policy or a `PolicyError`."""
    text = mutate(operations)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "p.rules"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_policy(path)
        except PolicyError as error:
            assert error.diagnostics
            str(error)
