"""Shared pieces of the checks: the Violation record, JSON type tests and path helpers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

__all__ = [
    "ARRAY",
    "BOOL",
    "INT",
    "NULL",
    "NUMBER",
    "OBJECT",
    "STR",
    "FieldSpec",
    "Violation",
    "check_fields",
    "has_type",
    "is_int",
    "json_type",
    "join",
]


@dataclass(frozen=True)
class Violation:
    """One broken rule: where it broke, what broke, and the stable id of the rule."""

    where: str
    what: str
    rule: str

    def __str__(self) -> str:
        return f"{self.where or '$'}: {self.what} [{self.rule}]"


# JSON type names, as JSON Schema spells them.
NULL = "null"
BOOL = "boolean"
INT = "integer"
NUMBER = "number"
STR = "string"
ARRAY = "array"
OBJECT = "object"

_PY_TO_JSON: tuple[tuple[type, str], ...] = (
    (bool, BOOL),  # before int: bool is an int subclass in Python
    (int, INT),
    (float, NUMBER),
    (str, STR),
    (list, ARRAY),
    (dict, OBJECT),
)


def json_type(value: Any) -> str:
    """Name the JSON type of a decoded value, so messages say `integer`, not `int`."""
    if value is None:
        return NULL
    for py_type, name in _PY_TO_JSON:
        if isinstance(value, py_type):
            return name
    return type(value).__name__


def has_type(value: Any, allowed: frozenset[str]) -> bool:
    """True when value's JSON type is allowed; an integer also counts as a number."""
    kind = json_type(value)
    return kind in allowed or (kind == INT and NUMBER in allowed)


def is_int(value: Any) -> bool:
    """An integer that is not a bool (JSON `true` must not pass as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


def join(base: str, key: str | int) -> str:
    """Extend a JSON-path-like location: `output` + 0 -> `output[0]`, + `text` -> `output[0].text`."""
    if isinstance(key, int):
        return f"{base}[{key}]"
    return f"{base}.{key}" if base else key


@dataclass(frozen=True)
class FieldSpec:
    """The JSON types a field may take, and whether it must be present."""

    types: frozenset[str]
    required: bool = False

    @classmethod
    def of(cls, *types: str, required: bool = False) -> FieldSpec:
        return cls(frozenset(types), required)


def check_fields(
    obj: Mapping[str, Any], where: str, specs: Mapping[str, FieldSpec], *, rule: str, missing_rule: str | None = None
) -> list[Violation]:
    """Check presence and JSON type of the fields named in specs; other fields are not looked at."""
    found: list[Violation] = []
    for name, spec in specs.items():
        if name not in obj:
            if spec.required:
                found.append(Violation(join(where, name), "required field is missing", missing_rule or rule))
            continue
        if not has_type(obj[name], spec.types):
            wanted = " or ".join(sorted(spec.types))
            found.append(
                Violation(join(where, name), f"expected {wanted}, got {json_type(obj[name])}", rule)
            )
    return found
