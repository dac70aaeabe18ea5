"""A validator for the small part of JSON Schema that `docs/schema/` uses.

It knows `type` (one or a list), `required`, `properties`, `items`, `enum` and
`pattern`; a schema using anything else is refused, so that no keyword is
silently ignored.
"""

from __future__ import annotations

import re
from typing import Any

KNOWN = {
    "$schema",
    "$id",
    "title",
    "description",
    "type",
    "required",
    "properties",
    "items",
    "enum",
    "pattern",
}

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "integer": (int,),
    "number": (int, float),
}


def validate(instance: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """Return every way `instance` fails `schema`, as `path: problem` lines."""
    unknown = set(schema) - KNOWN
    if unknown:
        raise ValueError(
            f"{where}: the schema uses unsupported keywords {sorted(unknown)}"
        )
    problems: list[str] = []
    if "type" in schema:
        names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is(instance, name) for name in names):
            return [f"{where}: expected {names}, got {type(instance).__name__}"]
    if "enum" in schema and instance not in schema["enum"]:
        problems.append(f"{where}: {instance!r} is not one of {schema['enum']}")
    pattern = schema.get("pattern")
    text = isinstance(instance, str)
    if pattern is not None and text and re.search(pattern, instance) is None:
        problems.append(f"{where}: {instance!r} does not match {pattern}")
    if isinstance(instance, dict):
        for key in schema.get("required", []):
            if key not in instance:
                problems.append(f"{where}: missing `{key}`")
        for key, sub in schema.get("properties", {}).items():
            if key in instance:
                problems.extend(validate(instance[key], sub, f"{where}.{key}"))
    if isinstance(instance, list) and "items" in schema:
        for number, item in enumerate(instance):
            problems.extend(validate(item, schema["items"], f"{where}[{number}]"))
    return problems


def _is(instance: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(instance, bool):
        return False
    return isinstance(instance, _TYPES[name])
