import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agri_policy import agri_policy
from credit_rules.errors import DataError
from credit_rules.io import iter_rows, read_dataset
from sample_datasets import RECORD_HEADER, good_dataset, write


def test_rows_carry_their_line_numbers(tmp_path: Path) -> None:
    """Rows report the line they start on, a quoted newline included."""
    path = write(
        tmp_path, "records.csv", ["id,note", "A,one", 'B,"two', 'lines"', "", "C,three"]
    )

    rows = list(iter_rows(path))

    assert [("A", 2), ("B", 3), ("C", 6)] == [(r.cells["id"], r.line) for r in rows]
    assert "two\nlines" == rows[1].cells["note"]


def test_empty_cells_are_none(tmp_path: Path) -> None:
    """An empty or blank cell is absent, not an empty string."""
    path = write(tmp_path, "records.csv", ["id,a,b", "A,, "])

    assert {"id": "A", "a": None, "b": None} == next(iter_rows(path)).cells


def test_header_without_id_is_a_data_error(tmp_path: Path) -> None:
    """A file whose first line names no `id` column cannot be read at all."""
    path = write(tmp_path, "records.csv", ["A,ok", "B,ok"])

    with pytest.raises(DataError, match="no `id` column"):
        list(iter_rows(path))


def test_unknown_suffix_is_a_data_error(tmp_path: Path) -> None:
    """Only CSV, JSONL and YAML are read; the error says so."""
    path = write(tmp_path, "records.xlsx", ["id"])

    with pytest.raises(DataError, match=r"\.csv, \.jsonl or \.yaml"):
        list(iter_rows(path))


def test_empty_file_has_no_rows(tmp_path: Path) -> None:
    """An empty file is read as no rows rather than failing."""
    path = write(tmp_path, "records.csv", [])

    assert [] == list(iter_rows(path))


def test_broken_yaml_is_a_data_error(tmp_path: Path) -> None:
    """YAML that does not parse names the file."""
    path = write(tmp_path, "records.yaml", ["- id: [A"])

    with pytest.raises(DataError, match="is not YAML"):
        list(iter_rows(path))


def test_reading_runs_in_constant_memory(tmp_path: Path) -> None:
    """Streaming a 20,000-row file never holds more than a small part of it."""
    path = tmp_path / "records.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(RECORD_HEADER + "\n")
        for n in range(20_000):
            out.write(f"I-{n},92320803MA3AGYGL5L,inspection,2024-03-01,ok,,,,,,,,\n")
    size = path.stat().st_size

    tracemalloc.start()
    try:
        count = sum(1 for _ in iter_rows(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert 20_000 == count
    assert peak < size // 10


cells = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.lists(cells, min_size=1, max_size=15), max_size=8))
def test_any_records_file_adds_up(tmp_path: Path, lines: list[list[str]]) -> None:
    """Whatever the records file holds, reading never fails and read = accepted + rejected."""
    folder = good_dataset(tmp_path / "d")
    body = "\n".join(",".join(row) for row in lines)
    (folder / "records.csv").write_text(RECORD_HEADER + "\n" + body, encoding="utf-8")

    data = read_dataset(folder, agri_policy())

    records = next(c for c in data.counts if c.file.endswith("records.csv"))
    kept_once = sum("kept once" in n.reason for n in data.warnings)
    assert records.read == records.accepted + records.rejected
    assert records.accepted == len(data.records) + kept_once
    assert records.rejected == sum(
        r.file.endswith("records.csv") for r in data.rejected
    )
