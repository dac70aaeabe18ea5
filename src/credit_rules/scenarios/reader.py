"""Turning scenario YAML documents into checked `Scenario`s.

Every subject and record is checked against the policy as the engine would check
it on ingest, so a scenario cannot pass by testing a record the engine would
refuse. Every problem is reported as `file:line: reason`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from credit_rules.dsl import ast
from credit_rules.dsl.policy import Policy
from credit_rules.engine.validation import check_record, check_subject
from credit_rules.errors import CreditRulesError, DataError
from credit_rules.records import FieldValue, Record, Subject
from credit_rules.scenarios.model import Checkpoint, Expected, ExpectedRepair, Scenario
from credit_rules.scenarios.yamlio import LineMapping, read_documents

SCENARIO_FOLDER = "scenarios"
"""The folder beside a policy's `.rules` files that holds its scenarios."""

_SCENARIO_KEYS = frozenset(
    {"name", "description", "subject", "subjects", "records", "correct", "retract"}
    | {"expect"}
)
_SUBJECT_KEYS = frozenset({"id", "kind", "attributes"})
_RECORD_KEYS = frozenset({"id", "subject", "type", "date", "entered", "fields"})
_EXPECT_KEYS = frozenset(
    {"on", "subject", "score", "tier", "lists", "effects", "supervision"}
    | {"repair_options", "next_change"}
)
_REPAIR_KEYS = frozenset(
    {"record", "rule", "repair_class", "available_from", "missing"}
    | {"score_after", "tier_after"}
)
_TEXT_TYPES = frozenset({"text", "credit_code", "record_id"})


def load_file(policy: Policy, path: str | os.PathLike[str]) -> list[Scenario]:
    """Load and check every scenario of one YAML file against a policy.

    Args:
        policy: The loaded policy whose record types the scenarios use.
        path: The file; it may hold several scenarios as YAML documents
            separated by `---`.

    Returns:
        The scenarios, in file order.

    Raises:
        DataError: For the first problem, as `file:line: reason`.
    """
    file = Path(path)
    reader = _Reader(policy, file)
    documents = read_documents(file)
    if not documents:
        raise DataError(f"{file}:1: the file holds no scenario; add one or delete it")

    scenarios: list[Scenario] = []
    for index, document in enumerate(documents, start=1):
        scenario = reader.scenario(document, index)
        if any(other.name == scenario.name for other in scenarios):
            raise reader.fail(
                scenario.line, f"a scenario named `{scenario.name}` comes earlier"
            )
        scenarios.append(scenario)
    return scenarios


def scenario_files(policy_path: str | os.PathLike[str]) -> list[Path]:
    """Return the scenario files beside a policy, sorted by name.

    Args:
        policy_path: The policy folder, or one of its `.rules` files.
    """
    root = Path(policy_path)
    folder = (root if root.is_dir() else root.parent) / SCENARIO_FOLDER
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


class _Reader:
    """Builds the scenarios of one file, checking every item as it goes."""

    def __init__(self, policy: Policy, path: Path) -> None:
        self.policy = policy
        self.path = path

    def fail(self, line: int, reason: str) -> DataError:
        """Return the error for a problem at a line of the file."""
        return DataError(f"{self.path}:{line}: {reason}")

    # ---- one scenario -------------------------------------------------------------

    def scenario(self, document: Any, index: int) -> Scenario:
        """Build and check one scenario document."""
        doc = self.mapping(document, f"scenario {index}", 1, _SCENARIO_KEYS)
        name = self.text(doc, "name", f"scenario {index}")
        what = f"scenario `{name}`"

        subjects = self.subjects(doc, what)

        entries = self.items(doc, "records", "a record", _RECORD_KEYS)
        records = {record.id: record for record in self.records(entries, subjects)}
        first_versions = tuple(records.values())
        self.correct(doc, records)
        lines = {str(entry["id"]): entry.line for entry in entries}
        for record in records.values():
            self.check(check_record, record, lines[record.id])

        return Scenario(
            name=name,
            description=str(doc.get("description") or ""),
            file=str(self.path),
            line=doc.line,
            subjects=subjects,
            records=tuple(records.values()),
            first_versions=first_versions,
            entered={
                str(e["id"]): self.date(e, "entered", "a record")
                for e in entries
                if "entered" in e
            },
            retractions=self.retractions(doc, records),
            checkpoints=self.checkpoints(doc, what, subjects),
        )

    def subjects(self, doc: LineMapping, what: str) -> dict[str, Subject]:
        """Read `subject:` (one) or `subjects:` (a list)."""
        if ("subject" in doc) == ("subjects" in doc):
            raise self.fail(doc.line, f"{what} needs one of `subject:` or `subjects:`")
        if "subject" in doc:
            entries = [
                self.mapping(doc["subject"], "the subject", doc.line, _SUBJECT_KEYS)
            ]
        else:
            entries = self.items(doc, "subjects", "a subject", _SUBJECT_KEYS)

        declared = self.policy.subject.fields if self.policy.subject else ()
        subjects: dict[str, Subject] = {}
        for entry in entries:
            subject_id = self.text(entry, "id", "a subject")
            if subject_id in subjects:
                raise self.fail(entry.line, f"subject `{subject_id}` is given twice")
            attributes = self.fields(entry, "attributes", declared)
            subject = Subject(
                subject_id, self.text(entry, "kind", "a subject"), attributes
            )
            self.check(check_subject, subject, entry.line)
            subjects[subject_id] = subject
        return subjects

    def records(
        self, entries: list[LineMapping], subjects: Mapping[str, Subject]
    ) -> list[Record]:
        """Build the records; a record's subject defaults to the only subject."""
        records: list[Record] = []
        for entry in entries:
            record_id = self.text(entry, "id", "a record")
            what = f"record `{record_id}`"
            if any(record.id == record_id for record in records):
                raise self.fail(entry.line, f"{what} is given twice; ids are unique")
            type_name = self.text(entry, "type", what)
            decl = self.policy.records.get(type_name)
            records.append(
                Record(
                    record_id,
                    self.subject_of(entry, what, subjects),
                    type_name,
                    self.date(entry, "date", what),
                    self.fields(entry, "fields", decl.fields if decl else ()),
                )
            )
        return records

    def correct(self, doc: LineMapping, records: dict[str, Record]) -> None:
        """Apply `correct:` items, each replacing some fields of a record."""
        for entry in self.items(
            doc, "correct", "a correction", frozenset({"id", "fields"})
        ):
            record_id = self.text(entry, "id", "a correction")
            record = records.get(record_id)
            if record is None:
                raise self.fail(
                    entry.line, f"the correction names unknown record `{record_id}`"
                )
            decl = self.policy.records.get(record.type)
            fields = self.fields(entry, "fields", decl.fields if decl else ())
            records[record_id] = attrs.evolve(
                record, fields={**record.field_map, **fields}
            )

    def retractions(
        self, doc: LineMapping, records: Mapping[str, Record]
    ) -> dict[str, dt.date]:
        """Read `retract:` items `{id, on}`."""
        retractions: dict[str, dt.date] = {}
        for entry in self.items(
            doc, "retract", "a retraction", frozenset({"id", "on"})
        ):
            record_id = self.text(entry, "id", "a retraction")
            if record_id not in records:
                raise self.fail(
                    entry.line, f"the retraction names unknown record `{record_id}`"
                )
            retractions[record_id] = self.date(
                entry, "on", f"the retraction of `{record_id}`"
            )
        return retractions

    def checkpoints(
        self, doc: LineMapping, what: str, subjects: Mapping[str, Subject]
    ) -> tuple[Checkpoint, ...]:
        """Read `expect:`; a scenario without checkpoints tests nothing."""
        entries = self.items(doc, "expect", "a checkpoint", _EXPECT_KEYS)
        if not entries:
            raise self.fail(doc.line, f"{what} has no `expect:` checkpoints; add one")
        return tuple(self.checkpoint(entry, subjects) for entry in entries)

    def checkpoint(
        self, entry: LineMapping, subjects: Mapping[str, Subject]
    ) -> Checkpoint:
        """Read one checkpoint; it must expect something."""
        on = self.date(entry, "on", "a checkpoint")
        subject = self.subject_of(entry, f"the checkpoint on {on}", subjects)
        if not set(entry) - {"on", "subject"}:
            raise self.fail(
                entry.line,
                f"the checkpoint on {on} expects nothing; add `score:` or `tier:`",
            )
        expected = Expected(
            score=self.number(entry, "score"),
            tier=self.optional_text(entry, "tier"),
            lists=self.names(entry, "lists"),
            effects=self.names(entry, "effects"),
            supervision=self.optional_text(entry, "supervision"),
            check_supervision="supervision" in entry,
            repair_options=self.repairs(entry),
            next_change=self.optional_date(entry, "next_change"),
            check_next_change="next_change" in entry,
        )
        return Checkpoint(on, subject, expected, entry.line)

    def repairs(self, entry: LineMapping) -> tuple[ExpectedRepair, ...] | None:
        """Read a checkpoint's `repair_options`, if it has them."""
        if "repair_options" not in entry:
            return None
        return tuple(
            ExpectedRepair(
                record=self.text(option, "record", "a repair option"),
                rule=self.optional_text(option, "rule"),
                repair_class=self.optional_text(option, "repair_class"),
                available_from=self.optional_date(option, "available_from"),
                missing=self.names(option, "missing"),
                score_after=self.number(option, "score_after"),
                tier_after=self.optional_text(option, "tier_after"),
            )
            for option in self.items(
                entry, "repair_options", "a repair option", _REPAIR_KEYS
            )
        )

    # ---- values ------------------------------------------------------------------

    def mapping(
        self, value: Any, what: str, line: int, keys: frozenset[str] | None
    ) -> LineMapping:
        """Check that `value` is a mapping with only known keys (any, if None)."""
        if not isinstance(value, LineMapping):
            raise self.fail(line, f"{what} must be a mapping, not {_shown(value)}")
        unknown = sorted(
            str(key) for key in value if keys is not None and key not in keys
        )
        if keys is not None and unknown:
            known = ", ".join(f"`{key}`" for key in sorted(keys))
            raise self.fail(
                value.line,
                f"{what} has unknown key `{unknown[0]}`; expected one of {known}",
            )
        return value

    def items(
        self, parent: LineMapping, key: str, what: str, keys: frozenset[str]
    ) -> list[LineMapping]:
        """Return the mappings of the list `parent[key]` (absent means empty)."""
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(parent.line, f"`{key}` must be a list, not {_shown(value)}")
        line = getattr(value, "line", parent.line)
        return [self.mapping(item, what, line, keys) for item in value]

    def fields(
        self, entry: LineMapping, key: str, declared: Iterable[ast.FieldDecl]
    ) -> dict[str, FieldValue]:
        """Read a mapping of field values as the Python values of their types."""
        values = self.mapping(
            entry.get(key) or LineMapping(), f"`{key}`", entry.line, None
        )
        types = {field.name: field.type for field in declared}
        return {
            str(name): _typed(types.get(str(name)), value)
            for name, value in values.items()
        }

    def required(self, entry: LineMapping, key: str, what: str) -> Any:
        """Return `entry[key]`, or raise naming the missing key."""
        if entry.get(key) is None:
            raise self.fail(entry.line, f"{what} has no `{key}`; add it")
        return entry[key]

    def text(self, entry: LineMapping, key: str, what: str) -> str:
        """Return a required name or text."""
        value = self.required(entry, key, what)
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.fail(
                entry.line, f"`{key}` of {what} must be text, not {_shown(value)}"
            )
        return str(value)

    def optional_text(self, entry: LineMapping, key: str) -> str | None:
        """Return an optional name or text."""
        return None if entry.get(key) is None else self.text(entry, key, "the item")

    def date(self, entry: LineMapping, key: str, what: str) -> dt.date:
        """Return a required date, written `YYYY-MM-DD`."""
        value = self.required(entry, key, what)
        if type(value) is not dt.date:
            raise self.fail(
                entry.line,
                f"`{key}` of {what} must be a date written YYYY-MM-DD, not {_shown(value)}",
            )
        return value

    def optional_date(self, entry: LineMapping, key: str) -> dt.date | None:
        """Return an optional date."""
        return None if entry.get(key) is None else self.date(entry, key, "the item")

    def number(self, entry: LineMapping, key: str) -> Decimal | None:
        """Return an optional exact number."""
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise self.fail(
                entry.line, f"`{key}` must be a number, not {_shown(value)}"
            )
        return Decimal(value)

    def names(self, entry: LineMapping, key: str) -> tuple[str, ...] | None:
        """Return an optional list of names; `[]` expects none."""
        if key not in entry:
            return None
        value = entry[key] if entry[key] is not None else []
        if not isinstance(value, list):
            raise self.fail(
                entry.line,
                f"`{key}` must be a list such as [a, b], not {_shown(value)}",
            )
        return tuple(str(item) for item in value)

    def subject_of(
        self, entry: LineMapping, what: str, subjects: Mapping[str, Subject]
    ) -> str:
        """Return the subject an item names, or the only subject."""
        if entry.get("subject") is None:
            if len(subjects) != 1:
                raise self.fail(
                    entry.line,
                    f"{what} must name its `subject`, since there are several",
                )
            return next(iter(subjects))
        subject = str(entry["subject"])
        if subject not in subjects:
            raise self.fail(entry.line, f"{what} names unknown subject `{subject}`")
        return subject

    def check(self, checker: Any, item: Subject | Record, line: int) -> None:
        """Run an engine check on a subject or record, naming the line on failure."""
        try:
            checker(self.policy, item, legacy_codes="accept")
        except CreditRulesError as error:
            raise self.fail(line, str(error)) from error


def _typed(type_name: str | None, value: Any) -> FieldValue:
    """Convert a YAML scalar to the value of its declared type where they differ."""
    if type_name == "number" and type(value) is int:
        return Decimal(value)
    if type_name in _TEXT_TYPES and type(value) is int:
        return str(value)
    result: FieldValue = value
    return result


def _shown(value: Any) -> str:
    """Describe a YAML value for a message."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"`{value}`"
