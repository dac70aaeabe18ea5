import collections
import datetime as dt
import itertools
from pathlib import Path

import pytest

from agri_policy import agri_policy
from credit_rules.credit_code import HUAIAN_REGIONS, is_valid
from credit_rules.dsl import load_policy
from credit_rules.engine.validation import check_record, check_subject
from credit_rules.generate import DEFAULT_UNTIL, generate
from credit_rules.io import read_dataset, write_dataset
from credit_rules.records import Record, Subject

POLICY = Path(__file__).parents[1] / "policies" / "huaian"


def _split(items: list[Subject | Record]) -> tuple[list[Subject], list[Record]]:
    subjects = [i for i in items if isinstance(i, Subject)]
    records = [i for i in items if isinstance(i, Record)]
    return subjects, records


def test_same_seed_same_output() -> None:
    """Generation is deterministic for a seed and differs for another seed."""
    first = list(generate(agri_policy(), 20, seed=5))

    assert first == list(generate(agri_policy(), 20, seed=5))
    assert first != list(generate(agri_policy(), 20, seed=6))


def test_subject_does_not_depend_on_the_count() -> None:
    """Subject n is the same whether 5 or 50 subjects are generated."""
    small = _split(list(generate(agri_policy(), 5, seed=1)))[0]
    large = _split(list(generate(agri_policy(), 50, seed=1)))[0]

    assert small == large[:5]


def test_generation_streams() -> None:
    """Asking for a million subjects yields the first at once, holding nothing else."""
    items = generate(agri_policy(), 1_000_000, seed=1)

    assert isinstance(next(items), Subject)


def test_everything_generated_passes_the_checks() -> None:
    """Every subject and record fits the Huai'an policy, credit codes included."""
    policy = load_policy(POLICY)
    subjects, records = _split(list(generate(policy, 200, seed=3)))

    for subject in subjects:
        check_subject(policy, subject, legacy_codes="reject")
    for record in records:
        check_record(policy, record, legacy_codes="reject")
    assert 200 == len({s.id for s in subjects})
    assert len(records) == len({r.id for r in records})


def test_codes_and_regions_are_huaians() -> None:
    """Credit codes are valid, carry the kind's prefix and the region's code."""
    subjects, _ = _split(list(generate(agri_policy(), 300, seed=2)))
    prefixes = {"enterprise": "91", "cooperative": "93", "family_farm": "92"}

    for subject in subjects:
        code = subject.attribute("credit_code")
        assert isinstance(code, str)
        assert is_valid(code)
        assert prefixes[subject.kind] == code[:2]
        assert HUAIAN_REGIONS[code[2:8]] == subject.attribute("region")


def test_the_mix_is_realistic() -> None:
    """About ten records a subject over five years, mostly clean, penalties rare and mostly light."""
    subjects, records = _split(list(generate(agri_policy(), 1000, seed=11)))
    types = collections.Counter(r.type for r in records)
    kinds = collections.Counter(s.kind for s in subjects)
    inspections = [r for r in records if r.type == "inspection"]
    tests = [r for r in records if r.type == "sampling_test"]
    penalties = [r for r in records if r.type == "penalty"]

    assert 8 <= len(records) / len(subjects) <= 12
    assert kinds["family_farm"] > kinds["cooperative"] > kinds["enterprise"]
    assert sum(r.field("result") == "ok" for r in inspections) / len(inspections) > 0.85
    assert 0.01 < sum(r.field("result") == "fail" for r in tests) / len(tests) < 0.1
    assert 0 < len(penalties) < 0.15 * len(subjects)
    light = sum(r.field("severity") in ("minor", "general") for r in penalties)
    assert light / len(penalties) > 0.7
    start = DEFAULT_UNTIL - dt.timedelta(days=5 * 366)
    assert all(start <= r.date <= DEFAULT_UNTIL for r in records)
    for kind in ("certification", "conformity_certificate", "traceability_upload",
                 "commitment_letter", "training", "rectification", "repair_request"):  # fmt: skip
        assert types[kind] > 0, kind


def test_records_follow_their_subject_in_date_order() -> None:
    """Each subject comes right before its own records, which are in date order."""
    items = list(generate(agri_policy(), 30, seed=4))

    current: Subject | None = None
    last = dt.date.min
    for item in items:
        if isinstance(item, Subject):
            current, last = item, dt.date.min
            continue
        assert current is not None
        assert current.id == item.subject
        assert last <= item.date
        last = item.date


def test_certifications_have_validity_periods() -> None:
    """A certification is valid from its date for a whole number of years."""
    _, records = _split(list(generate(agri_policy(), 500, seed=8)))

    for record in (r for r in records if r.type == "certification"):
        valid_from, valid_until = (
            record.field("valid_from"),
            record.field("valid_until"),
        )
        assert record.date == valid_from
        assert isinstance(valid_until, dt.date) and isinstance(valid_from, dt.date)
        assert (valid_from.month, valid_from.day) == (
            valid_until.month,
            valid_until.day,
        ) or valid_from.day == 29


def test_repair_requests_target_a_penalty_of_their_subject() -> None:
    """Every repair request names an earlier penalty of the same subject."""
    _, records = _split(list(generate(agri_policy(), 2000, seed=9)))
    penalties = {r.id: r for r in records if r.type == "penalty"}

    requests = [r for r in records if r.type == "repair_request"]
    assert requests
    for request in requests:
        target = penalties[str(request.field("target"))]
        assert request.subject == target.subject
        assert target.date <= request.date


@pytest.mark.parametrize("format", ["csv", "jsonl"])
def test_written_dataset_reads_back_unchanged(tmp_path: Path, format: str) -> None:
    """What is generated and written reads back as the same subjects and records."""
    policy = load_policy(POLICY)
    items = list(generate(policy, 100, seed=12))

    counts = write_dataset(tmp_path, policy, iter(items), format)  # type: ignore[arg-type]
    data = read_dataset(tmp_path, policy)

    assert 100 == counts.subjects
    assert () == data.rejected
    assert _split(items) == (list(data.subjects), list(data.records))


def test_negative_count_is_refused() -> None:
    """A negative number of subjects is an error naming the range."""
    with pytest.raises(ValueError, match="cannot generate -1"):
        next(generate(agri_policy(), -1, seed=1))


def test_a_short_run_is_a_prefix_of_a_long_one() -> None:
    """The items of 10 subjects are the first items of a run of 10,000."""
    short_run = list(generate(agri_policy(), 10, seed=7))

    long_run = list(
        itertools.islice(generate(agri_policy(), 10_000, seed=7), len(short_run))
    )

    assert short_run == long_run
