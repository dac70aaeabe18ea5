"""Raw rows of a dataset file, one at a time, with the line each came from.

`iter_rows` reads CSV, JSONL or YAML and yields `Row`s whose cells are text, or
whose `problem` says why the line could not be read as a row at all. It never
stops at a bad line: an undecodable byte, a line over the size limit, a row with
the wrong number of cells, a file cut off inside a quoted cell each become one
row with a problem, and reading goes on. CSV and JSONL are read line by line, so
a file of any length runs in constant memory; YAML, meant for small hand-written
cases, is read whole.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO

import attrs
import yaml

from credit_rules.errors import DataError

__all__ = ["MAX_LINE_BYTES", "Row", "iter_rows"]

MAX_LINE_BYTES = 1 << 20
"""The longest line read, in bytes (1 MiB); a longer line is refused, not read."""

RAW_SHOWN = 200
"""How many characters of a bad line a rejection keeps."""

_BOM = "\ufeff"
_OTHER_DELIMITERS = {";": "`;`", "\t": "tabs", "|": "`|`"}


@attrs.frozen
class Row:
    """One row of a dataset file.

    Attributes:
        file: The file's name, as given.
        line: The line the row starts on, from 1.
        cells: Column name to cell text; None marks an empty cell.
        problem: Why the line is not a usable row, or None.
        raw: The line as read, cut to `RAW_SHOWN` characters.
        notice: Something worth saying about a usable row, or None.
    """

    file: str
    line: int
    cells: dict[str, str | None] = attrs.field(factory=dict)
    problem: str | None = None
    raw: str = ""
    notice: str | None = None


def iter_rows(path: str | os.PathLike[str]) -> Iterator[Row]:
    """Yield the rows of a `.csv`, `.jsonl` or `.yaml` file.

    Args:
        path: The file; its suffix says the format. UTF-8, with or without BOM.

    Yields:
        The rows in file order, bad lines included with their problem.

    Raises:
        DataError: If the file cannot be opened, its format is unknown, or it is
            YAML that does not parse.

    Example:
        >>> for row in iter_rows("examples/huaian/records.csv"):  # doctest: +SKIP
        ...     print(row.line, row.cells["id"])
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".yaml", ".yml"):
        raise DataError(f"`{file}` is not .csv, .jsonl or .yaml; rename or convert it")
    try:
        stream = file.open("rb")
    except OSError as error:
        raise DataError(f"cannot open `{file}`: {error.strerror}") from error

    with stream:
        if suffix == ".csv":
            yield from _csv_rows(str(file), stream)
        elif suffix == ".jsonl":
            yield from _jsonl_rows(str(file), stream)
        else:
            yield from _yaml_rows(str(file), _read_all(file, stream))


class _Lines:
    """Decoded lines of a binary stream, remembering which lines were bad.

    A line that is not UTF-8 is passed on decoded with replacement characters so
    that the CSV reader keeps its place, and its number is kept with the reason;
    likewise a line longer than `MAX_LINE_BYTES`, whose bytes are skipped.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.number = 0
        self.bad: dict[int, str] = {}
        self.ended_without_newline = False
        self.last = ""

    def __iter__(self) -> Iterator[str]:
        while True:
            data = self.stream.readline(MAX_LINE_BYTES + 1)
            if not data:
                return
            self.number += 1
            if len(data) > MAX_LINE_BYTES and not data.endswith(b"\n"):
                self.bad[self.number] = self._skip_rest(len(data))
                yield "\n"
                continue
            self.ended_without_newline = not data.endswith(b"\n")
            self.last = self._decode(data)
            yield self.last

    def _skip_rest(self, size: int) -> str:
        while True:
            chunk = self.stream.readline(MAX_LINE_BYTES)
            size += len(chunk)
            if not chunk or chunk.endswith(b"\n"):
                break
        mib = MAX_LINE_BYTES >> 20
        return (
            f"line {self.number} is {size:,} bytes long, over the limit of {mib} MiB; "
            "a supervision record is never that large, check the export"
        )

    def _decode(self, data: bytes) -> str:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            byte = data[error.start]
            self.bad[self.number] = (
                f"line {self.number} is not UTF-8 (byte 0x{byte:02X} at column "
                f"{error.start + 1}), perhaps GBK; save the file as UTF-8"
            )
            text = data.decode("utf-8", errors="replace")
        if self.number == 1:
            text = text.removeprefix(_BOM)
        return text

    def problem_between(self, first: int, last: int) -> str | None:
        """The first problem of the lines `first` to `last`, if any."""
        for number in range(first, last + 1):
            if number in self.bad:
                return self.bad[number]
        return None


def _csv_rows(file: str, stream: IO[bytes]) -> Iterator[Row]:
    lines = _Lines(stream)
    header_text, header_line = _first_line(lines)
    if header_text is None:
        return
    delimiter = _delimiter(header_text)
    header = next(csv.reader([header_text], delimiter=delimiter))
    _check_header(file, header)
    notice = None
    if delimiter != ",":
        notice = f"`{file}` is separated by {_OTHER_DELIMITERS[delimiter]}, not commas; read it so"

    csv.field_size_limit(MAX_LINE_BYTES)
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=True)
    end = header_line
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            end = lines.number
            reason = _csv_problem(str(error), start, lines)
            yield Row(file, start, problem=reason, raw=lines.last[:RAW_SHOWN])
            continue
        end = lines.number
        problem = lines.problem_between(start, end)
        if not cells and problem is None:
            continue
        raw = delimiter.join(cells)[:RAW_SHOWN]
        problem = problem or _width_problem(header, cells, start, end, lines)
        if problem is not None:
            yield Row(file, start, problem=problem, raw=raw)
            continue
        yield Row(
            file,
            start,
            dict(zip(header, _cells(cells), strict=True)),
            raw=raw,
            notice=notice,
        )
        notice = None


def _first_line(lines: _Lines) -> tuple[str | None, int]:
    """The header line and its number, skipping blank lines; None if there is none."""
    for text in lines:
        if lines.bad.get(lines.number):
            raise DataError(f"the header cannot be read: {lines.bad[lines.number]}")
        if text.strip():
            return text.rstrip("\r\n"), lines.number
    return None, lines.number


def _delimiter(header: str) -> str:
    """Comma, unless the header has no comma and another separator splits it."""
    if "," in header:
        return ","
    for candidate in _OTHER_DELIMITERS:
        if candidate in header:
            return candidate
    return ","


def _check_header(file: str, header: list[str]) -> None:
    names = [name.strip() for name in header]
    if "id" not in names:
        raise DataError(
            f"`{file}` has no `id` column in its header line; the first line must "
            "name the columns, e.g. `id,subject,type,date,...`"
        )
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        shown = ", ".join(f"`{n}`" for n in duplicated)
        raise DataError(f"`{file}` names the column {shown} more than once; keep one")
    header[:] = names


def _cells(cells: list[str]) -> list[str | None]:
    return [cell if cell.strip() else None for cell in cells]


def _width_problem(
    header: list[str], cells: list[str], start: int, end: int, lines: _Lines
) -> str | None:
    if len(cells) == len(header):
        return None
    where = f"line {start}" if start == end else f"lines {start}-{end}"
    count = f"{len(cells)} cell" + ("" if len(cells) == 1 else "s")
    problem = f"{where} has {count} where the header has {len(header)}"
    if len(cells) == 1 and any(d in cells[0] for d in _OTHER_DELIMITERS):
        return problem + "; the row seems separated by another character than commas"
    if len(cells) < len(header) and lines.ended_without_newline and end == lines.number:
        return (
            problem + "; the file ends in the middle of this row, it may be truncated"
        )
    return problem + "; check for a missing or extra comma"


def _csv_problem(message: str, start: int, lines: _Lines) -> str:
    bad = lines.problem_between(start, lines.number)
    if bad is not None:
        return bad
    if "unexpected end of data" in message:
        return (
            f"line {start} opens a quoted cell that the file never closes; the file "
            "may be truncated"
        )
    return f"line {start} is not well-formed CSV ({message}); check its quotes"


def _jsonl_rows(file: str, stream: IO[bytes]) -> Iterator[Row]:
    lines = _Lines(stream)
    for text in lines:
        number = lines.number
        if number in lines.bad:
            yield Row(file, number, problem=lines.bad[number], raw=text[:RAW_SHOWN])
            continue
        if not text.strip():
            continue
        yield _json_row(file, number, text, truncated=lines.ended_without_newline)


def _json_row(file: str, number: int, text: str, *, truncated: bool) -> Row:
    raw = text.strip()[:RAW_SHOWN]
    try:
        value = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except (json.JSONDecodeError, RecursionError) as error:
        hint = "; the file may be truncated" if truncated else ""
        message = getattr(error, "msg", "too deeply nested")
        return Row(
            file,
            number,
            problem=f"line {number} is not JSON ({message}){hint}",
            raw=raw,
        )
    if not isinstance(value, dict):
        return Row(file, number, problem=f"line {number} is not a JSON object", raw=raw)
    return _typed_row(file, number, value, raw)


def _typed_row(file: str, number: int, value: dict[str, object], raw: str) -> Row:
    """A row of JSON or YAML values, turned into text cells."""
    cells: dict[str, str | None] = {}
    for key, item in value.items():
        text = cell_text(item)
        if isinstance(text, _Nested):
            return Row(
                file,
                number,
                problem=f"line {number}: `{key}` holds a {text.kind}; every field is "
                "one value",
                raw=raw,
            )
        cells[str(key)] = text
    return Row(file, number, cells, raw=raw)


@attrs.frozen
class _Nested:
    kind: str


def cell_text(value: object) -> str | _Nested | None:
    """Write a JSON or YAML value as the text a CSV cell would hold."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return _Nested("list")
    if isinstance(value, dict):
        return _Nested("mapping")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _read_all(file: Path, stream: IO[bytes]) -> str:
    data = stream.read()
    try:
        return data.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as error:
        raise DataError(
            f"`{file}` is not UTF-8 (byte 0x{data[error.start]:02X} at offset "
            f"{error.start}); save it as UTF-8"
        ) from error


def _yaml_rows(file: str, text: str) -> Iterator[Row]:
    """The items of a YAML list of mappings; every scalar is read as text.

    The base loader keeps `2021-02-30`, `yes` and `1.10` as written, so that
    YAML cells are typed by the policy exactly as CSV cells are.
    """
    loader = yaml.BaseLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        raise DataError(f"`{file}` is not YAML: {error}".replace("\n", " ")) from error
    finally:
        loader.dispose()
    if root is None:
        return
    if not isinstance(root, yaml.SequenceNode):
        raise DataError(f"`{file}` must be a YAML list of mappings, one per row")

    for node in root.value:
        number = node.start_mark.line + 1
        raw = text.splitlines()[node.start_mark.line][:RAW_SHOWN]
        value = loader.construct_document(node)
        if not isinstance(value, dict):
            yield Row(file, number, problem=f"line {number} is not a mapping", raw=raw)
            continue
        nulls = {k: None if v in ("~", "null") else v for k, v in value.items()}
        yield _typed_row(file, number, nulls, raw)
