"""Reading and writing datasets: folders of subjects and records as CSV, JSONL or YAML.

`read_dataset` reads a whole folder into typed `Subject`s and `Record`s, rejecting
bad rows with their file, line and reason; `iter_rows` streams the raw rows of one
file in constant memory; `write_dataset` streams subjects and records out.
"""

from credit_rules.io.dataset import (
    Dataset,
    dataset_files,
    iter_records,
    iter_subjects,
    read_dataset,
)
from credit_rules.io.report import FileCounts, Notice, Rejection, Report, write_rejects
from credit_rules.io.rows import MAX_LINE_BYTES, Row, iter_rows
from credit_rules.io.write import write_dataset

__all__ = [
    "MAX_LINE_BYTES",
    "Dataset",
    "FileCounts",
    "Notice",
    "Rejection",
    "Report",
    "Row",
    "dataset_files",
    "iter_records",
    "iter_rows",
    "iter_subjects",
    "read_dataset",
    "write_dataset",
    "write_rejects",
]
