import csv
import datetime as dt
from pathlib import Path

import pytest

from agri_policy import agri_policy
from credit_rules.errors import DataError, UsageError
from credit_rules.io import Dataset, read_dataset
from sample_datasets import (
    COOP,
    FARM,
    RECORD_HEADER,
    RECORD_ROWS,
    SUBJECT_HEADER,
    SUBJECT_ROWS,
    good_dataset,
    write,
)


def _totals_add_up(data: Dataset) -> None:
    for counts in data.counts:
        assert counts.read == counts.accepted + counts.rejected
    assert len(data.rejected) == sum(c.rejected for c in data.counts)


def _counts(data: Dataset) -> dict[str, tuple[int, int]]:
    return {Path(c.file).name: (c.accepted, c.rejected) for c in data.counts}


def _reasons(data: Dataset) -> list[tuple[int, str | None, str]]:
    return [(r.line, r.field, r.reason) for r in data.rejected]


def test_good_dataset_reads_every_row(tmp_path: Path) -> None:
    """A clean dataset gives every subject and record, typed, and no rejection."""
    data = read_dataset(good_dataset(tmp_path), agri_policy())

    assert {"subjects.csv": (2, 0), "records.csv": (3, 0)} == _counts(data)
    assert [FARM, COOP] == [s.id for s in data.subjects]
    assert dt.date(2018, 5, 1) == data.subjects[0].attribute("registered")
    assert False is data.records[1].field("disputed")
    assert 5 == len(list(data.items()))


def test_policy_is_required(tmp_path: Path) -> None:
    """Without a policy rows cannot be typed, and the error says what to pass."""
    with pytest.raises(UsageError, match="needs a policy"):
        read_dataset(good_dataset(tmp_path))


def test_missing_or_doubled_files_are_data_errors(tmp_path: Path) -> None:
    """A folder without records, or with two subjects files, cannot be read at all."""
    write(tmp_path, "subjects.csv", [SUBJECT_HEADER])
    with pytest.raises(DataError, match=r"no `records\.csv`"):
        read_dataset(tmp_path, agri_policy())

    write(tmp_path, "records.csv", [RECORD_HEADER])
    write(tmp_path, "subjects.jsonl", [])
    with pytest.raises(DataError, match="keep one"):
        read_dataset(tmp_path, agri_policy())


def test_bom_is_ignored(tmp_path: Path) -> None:
    """A file saved by a spreadsheet with a byte order mark reads the same."""
    good_dataset(tmp_path)
    write(tmp_path, "subjects.csv", [SUBJECT_HEADER, *SUBJECT_ROWS], bom=True)

    data = read_dataset(tmp_path, agri_policy())

    assert () == data.rejected
    assert FARM == data.subjects[0].id


def test_truncated_row_is_rejected_and_the_rest_kept(tmp_path: Path) -> None:
    """A file cut off in the middle of its last row loses that row only, with a reason."""
    good_dataset(tmp_path)
    text = "\n".join([RECORD_HEADER, *RECORD_ROWS]) + "\n" + RECORD_ROWS[0][:20]
    (tmp_path / "records.csv").write_text(text, encoding="utf-8")

    data = read_dataset(tmp_path, agri_policy())

    assert (3, 1) == _counts(data)["records.csv"]
    assert 5 == data.rejected[0].line
    assert "truncated" in data.rejected[0].reason
    _totals_add_up(data)


def test_file_cut_inside_a_quoted_cell(tmp_path: Path) -> None:
    """An unclosed quote at the end of a file is named, not read as one huge cell."""
    good_dataset(tmp_path)
    text = (
        "\n".join([RECORD_HEADER, *RECORD_ROWS])
        + f'\nP-2,{COOP},penalty,2024-08-01,,,,,"第七十'
    )
    (tmp_path / "records.csv").write_text(text, encoding="utf-8")

    data = read_dataset(tmp_path, agri_policy())

    assert [(5, None)] == [(line, field) for line, field, _ in _reasons(data)]
    assert "never closes" in data.rejected[0].reason
    assert (3, 1) == _counts(data)["records.csv"]


def test_semicolon_file_is_read_and_said(tmp_path: Path) -> None:
    """A file separated by semicolons is detected, read, and the notice says so."""
    good_dataset(tmp_path)
    lines = [line.replace(",", ";") for line in [SUBJECT_HEADER, *SUBJECT_ROWS]]
    write(tmp_path, "subjects.csv", lines)

    data = read_dataset(tmp_path, agri_policy())

    assert (2, 0) == _counts(data)["subjects.csv"]
    assert any("separated by `;`" in n.reason for n in data.warnings)


def test_tab_separated_file_is_read_and_said(tmp_path: Path) -> None:
    """A tab-separated export is detected like a semicolon one."""
    good_dataset(tmp_path)
    lines = [line.replace(",", "\t") for line in [RECORD_HEADER, *RECORD_ROWS]]
    write(tmp_path, "records.csv", lines)

    data = read_dataset(tmp_path, agri_policy())

    assert (3, 0) == _counts(data)["records.csv"]
    assert any("separated by tabs" in n.reason for n in data.warnings)


def test_row_with_another_delimiter_is_rejected(tmp_path: Path) -> None:
    """One row separated by semicolons in a comma file is rejected with that hint."""
    good_dataset(
        tmp_path, [*RECORD_ROWS, RECORD_ROWS[0].replace(",", ";").replace("I-1", "I-2")]
    )

    data = read_dataset(tmp_path, agri_policy())

    assert 5 == data.rejected[0].line
    assert "another character than commas" in data.rejected[0].reason


def test_gbk_bytes_reject_the_row_not_the_file(tmp_path: Path) -> None:
    """A row with GBK bytes is rejected with its line; the rows around it are read."""
    good_dataset(tmp_path)
    lines = [RECORD_HEADER, RECORD_ROWS[0], RECORD_ROWS[1], RECORD_ROWS[2]]
    data_bytes = "".join(f"{line}\n" for line in lines).encode("utf-8")
    gbk = RECORD_ROWS[2].replace("P-1", "P-2").encode("gbk") + b"\n"
    (tmp_path / "records.csv").write_bytes(
        data_bytes[: data_bytes.rindex(b"P-1")]
        + gbk
        + data_bytes[data_bytes.rindex(b"P-1") :]
    )

    data = read_dataset(tmp_path, agri_policy())

    assert (3, 1) == _counts(data)["records.csv"]
    assert 4 == data.rejected[0].line
    assert "not UTF-8" in data.rejected[0].reason
    assert "GBK" in data.rejected[0].reason


def test_duplicate_id_with_other_contents_is_rejected(tmp_path: Path) -> None:
    """The same id again with other contents is a conflict; the first row stands."""
    changed = RECORD_ROWS[0].replace(",ok,", ",problem,")
    good_dataset(tmp_path, [*RECORD_ROWS, changed])

    data = read_dataset(tmp_path, agri_policy())

    assert [(5, "id")] == [(line, field) for line, field, _ in _reasons(data)]
    assert "line 2" in data.rejected[0].reason
    assert "ok" == data.records[0].field("result")
    _totals_add_up(data)


def test_exact_duplicate_is_kept_once(tmp_path: Path) -> None:
    """The same row twice is accepted once, with a notice, and nothing is rejected."""
    good_dataset(tmp_path, [*RECORD_ROWS, RECORD_ROWS[0]])

    data = read_dataset(tmp_path, agri_policy())

    assert 3 == len(data.records)
    assert (4, 0) == _counts(data)["records.csv"]
    assert any("kept once" in n.reason for n in data.warnings)


def test_impossible_date_is_rejected(tmp_path: Path) -> None:
    """`2021-02-30` is rejected as a date that does not exist."""
    good_dataset(
        tmp_path, [*RECORD_ROWS, f"I-2,{FARM},inspection,2021-02-30,ok,,,,,,,,"]
    )

    data = read_dataset(tmp_path, agri_policy())

    assert [
        (5, "date", "`2021-02-30` is not a date: February 2021 has 28 days")
    ] == _reasons(data)


def test_record_for_unknown_subject_is_rejected(tmp_path: Path) -> None:
    """A record whose subject is not in the subjects file is rejected by name."""
    good_dataset(
        tmp_path,
        [*RECORD_ROWS, "I-2,91320800MA0000000X,inspection,2024-01-01,ok,,,,,,,,"],
    )

    data = read_dataset(tmp_path, agri_policy())

    assert [(5, "subject")] == [(line, field) for line, field, _ in _reasons(data)]
    assert "`91320800MA0000000X`" in data.rejected[0].reason
    _totals_add_up(data)


def test_undeclared_field_is_rejected(tmp_path: Path) -> None:
    """A filled cell of a field the record's type lacks rejects the row."""
    good_dataset(
        tmp_path, [*RECORD_ROWS, f"I-2,{FARM},inspection,2024-01-01,ok,other,,,,,,,"]
    )

    data = read_dataset(tmp_path, agri_policy())

    assert [(5, "hazard")] == [(line, field) for line, field, _ in _reasons(data)]


def test_huge_line_is_refused_with_its_size(tmp_path: Path) -> None:
    """A 10 MB line is refused by the size limit and the lines after it are read."""
    good_dataset(tmp_path)
    huge = f"I-2,{FARM},inspection,2024-01-01," + "x" * 10_000_000 + ",,,,,,,,"
    write(
        tmp_path, "records.csv", [RECORD_HEADER, RECORD_ROWS[0], huge, RECORD_ROWS[1]]
    )

    data = read_dataset(tmp_path, agri_policy())

    assert (2, 1) == _counts(data)["records.csv"]
    assert 3 == data.rejected[0].line
    assert "over the limit of 1 MiB" in data.rejected[0].reason
    assert len(data.rejected[0].raw) <= 200


def test_rejects_file_has_every_rejection(tmp_path: Path) -> None:
    """The rejects file lists file, line, field and reason of each rejected row."""
    folder = good_dataset(
        tmp_path / "d", [*RECORD_ROWS, f"I-2,{FARM},inspection,2021-02-30,ok,,,,,,,,"]
    )
    rejects = tmp_path / "rejects.csv"

    read_dataset(folder, agri_policy(), rejects=rejects)

    with rejects.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [("5", "date")] == [(r["line"], r["field"]) for r in rows]
    assert rows[0]["file"].endswith("records.csv")
    assert "February 2021" in rows[0]["reason"]


def test_jsonl_dataset(tmp_path: Path) -> None:
    """JSONL rows read like CSV rows, JSON booleans and numbers included."""
    write(tmp_path, "subjects.csv", [SUBJECT_HEADER, *SUBJECT_ROWS])
    write(
        tmp_path,
        "records.jsonl",
        [
            f'{{"id": "C-1", "subject": "{FARM}", "type": "conformity_certificate", "date": "2024-01-02", "batches": 12}}',
            f'{{"id": "K-1", "subject": "{FARM}", "type": "complaint", "date": "2024-01-03", "substantiated": false}}',
            '{"id": "K-2", "subject": ',
        ],
    )

    data = read_dataset(tmp_path, agri_policy())

    assert ["C-1", "K-1"] == [r.id for r in data.records]
    assert False is data.records[1].field("substantiated")
    assert 3 == data.rejected[0].line
    assert "not JSON" in data.rejected[0].reason


def test_yaml_dataset(tmp_path: Path) -> None:
    """A hand-written YAML list reads with every scalar typed by the policy."""
    write(tmp_path, "subjects.csv", [SUBJECT_HEADER, *SUBJECT_ROWS])
    write(
        tmp_path,
        "records.yaml",
        [
            "- id: I-1",
            f"  subject: {FARM}",
            "  type: inspection",
            "  date: 2024-03-01",
            "  result: ok",
            "- id: I-2",
            f"  subject: {FARM}",
            "  type: inspection",
            "  date: 2021-02-30",
            "  result: ok",
        ],
    )

    data = read_dataset(tmp_path, agri_policy())

    assert ["I-1"] == [r.id for r in data.records]
    assert [(6, "date")] == [(line, field) for line, field, _ in _reasons(data)]
