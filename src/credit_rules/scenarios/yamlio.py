"""Reading scenario YAML with line numbers and exact numbers.

PyYAML's safe loader is changed in four ways: a mapping or list remembers the
line it starts on, so that errors can name it; a key given twice is an error
rather than silently the last one; a number with a fraction is read as a
`decimal.Decimal`, never a float; and only `true` and `false` are booleans, as in
YAML 1.2, so that the key `on:` and an enum value `no` stay text.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from credit_rules.errors import DataError


class LineMapping(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on (1-based)."""

    line: int = 0


class LineList(list[Any]):
    """A YAML list that remembers the line it starts on (1-based)."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    """A safe loader that keeps line numbers and reads numbers exactly."""


_BOOL_TAG = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineMapping:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.MarkedYAMLError(
                problem=f"the key `{key}` is given twice",
                problem_mark=key_node.start_mark,
            )
        seen.add(key)
    mapping = LineMapping(
        (str(key), value)
        for key, value in loader.construct_mapping(node, deep=True).items()
    )
    mapping.line = node.start_mark.line + 1
    return mapping


def _sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    items = LineList(loader.construct_sequence(node, deep=True))
    items.line = node.start_mark.line + 1
    return items


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise yaml.MarkedYAMLError(
            problem=f"`{text}` is not a finite number", problem_mark=node.start_mark
        )
    return value


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as error:
        raise yaml.MarkedYAMLError(
            problem=f"`{node.value}` is not a date: {error}",
            problem_mark=node.start_mark,
        ) from error


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)
_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)


def read_documents(path: Path) -> list[Any]:
    """Parse every YAML document of a file.

    Args:
        path: The file.

    Returns:
        The documents that are not empty, in order.

    Raises:
        DataError: If the file cannot be read or is not valid YAML, naming the
            line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"cannot read scenario file `{path}`: {error}") from error

    try:
        return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = error.problem or "not valid YAML"
        raise DataError(f"{where}: {problem}; fix the YAML there") from error
    except yaml.YAMLError as error:
        raise DataError(f"`{path}` is not valid YAML: {error}") from error
