"""What an import did with each row: counts per file, rejections and notices.

Nothing is dropped silently: every row read is either accepted or rejected, and
`FileCounts` keeps `read == accepted + rejected` for each file. Rejections can be
written as they happen to a rejects file, a CSV with the columns `file`, `line`,
`field`, `reason` and `raw`, so that a long import keeps them out of memory.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

import attrs

__all__ = [
    "REJECT_COLUMNS",
    "FileCounts",
    "Notice",
    "Rejection",
    "Report",
    "write_rejects",
]

REJECT_COLUMNS = ("file", "line", "field", "reason", "raw")
"""The columns of a rejects file."""


@attrs.frozen
class Rejection:
    """A row that was not imported, and why.

    Attributes:
        file: The file it was read from.
        line: The line it starts on.
        field: The field at fault, or None when the whole row is.
        reason: What is wrong, as a lowercase sentence that offers a fix.
        raw: The start of the line as read, to find it by.
    """

    file: str
    line: int
    field: str | None
    reason: str
    raw: str = ""


@attrs.frozen
class Notice:
    """Something worth knowing about a row that was imported all the same.

    For example a legacy credit code, or a file separated by semicolons.
    """

    file: str
    line: int
    field: str | None
    reason: str


@attrs.define
class FileCounts:
    """How many rows of one file were read, accepted and rejected."""

    file: str
    accepted: int = 0
    rejected: int = 0

    @property
    def read(self) -> int:
        """Rows read: always the accepted plus the rejected."""
        return self.accepted + self.rejected

    def summary(self) -> str:
        """One line such as `records.csv: read 10 = accepted 9 + rejected 1`."""
        return (
            f"{self.file}: read {self.read} = accepted {self.accepted} "
            f"+ rejected {self.rejected}"
        )


class Report:
    """Collects the outcome of an import as rows are read.

    Args:
        rejects: A file to write rejections to as they happen, or None.
        keep: Whether to keep rejections and notices in memory as well; a long
            import into an archive may keep only the counts.
        on_reject: Called with each rejection as it happens, e.g. to show it.
    """

    def __init__(
        self,
        rejects: str | os.PathLike[str] | None = None,
        *,
        keep: bool = True,
        on_reject: Callable[[Rejection], None] | None = None,
    ) -> None:
        self.on_reject = on_reject
        self.counts: dict[str, FileCounts] = {}
        self.rejected: list[Rejection] = []
        self.notices: list[Notice] = []
        self.keep = keep
        self._out: TextIO | None = None
        self._writer: csv.DictWriter[str] | None = None
        if rejects is not None:
            # Held open across rows and closed by `close`, so no `with` here.
            self._out = Path(rejects).open("w", encoding="utf-8", newline="")  # noqa: SIM115
            self._writer = csv.DictWriter(self._out, REJECT_COLUMNS)
            self._writer.writeheader()

    def __enter__(self) -> Report:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def file(self, name: str) -> FileCounts:
        """The counts of one file, made on first use."""
        return self.counts.setdefault(name, FileCounts(name))

    def accept(self, file: str) -> None:
        """Count one accepted row of `file`."""
        self.file(file).accepted += 1

    def reject(self, rejection: Rejection) -> None:
        """Count one rejected row, keep it and write it to the rejects file."""
        self.file(rejection.file).rejected += 1
        if self.keep:
            self.rejected.append(rejection)
        if self._writer is not None:
            self._writer.writerow(attrs.asdict(rejection))
        if self.on_reject is not None:
            self.on_reject(rejection)

    def notice(self, notice: Notice) -> None:
        """Keep a notice about an accepted row."""
        if self.keep:
            self.notices.append(notice)

    def undo_accept(self, file: str) -> None:
        """Take back an acceptance, when a later check turns the row down."""
        self.file(file).accepted -= 1

    @property
    def total_rejected(self) -> int:
        """Rejected rows over every file."""
        return sum(c.rejected for c in self.counts.values())

    def close(self) -> None:
        """Close the rejects file, if any."""
        if self._out is not None:
            self._out.close()
            self._out = None
            self._writer = None


def write_rejects(path: str | os.PathLike[str], rejections: Iterable[Rejection]) -> int:
    """Write rejections to a CSV file and return how many were written."""
    written = 0
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, REJECT_COLUMNS)
        writer.writeheader()
        for rejection in rejections:
            writer.writerow(attrs.asdict(rejection))
            written += 1
    return written
