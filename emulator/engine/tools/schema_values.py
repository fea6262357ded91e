"""Arguments that validate against a tool's JSON schema, filled from the request's hints.

Deterministic: the same schema and text give the same arguments. Values that no hint
provides come from a checksum of the property name, so they are stable across runs.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import jsonschema

from emulator.engine.tools.hints import Hints


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    node: Any = root
    for part in ref[2:].split("/"):
        node = node.get(part, {}) if isinstance(node, dict) else {}
    return node if isinstance(node, dict) else {}


def _stable(name: str, low: float, high: float) -> float:
    span = high - low
    return low + (zlib.crc32(name.encode()) % 1000) / 1000 * span


def _type_of(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and "properties" in schema:
        return "object"
    return kind if isinstance(kind, str) else None


def _number(schema: dict[str, Any], name: str, hints: Hints, integer: bool) -> float | int:
    low = schema.get("minimum", -90 if not integer else 0)
    high = schema.get("maximum", 90 if not integer else 10)
    value = hints.take_number()
    if value is None or not low <= value <= high:
        value = _stable(name, float(low), float(high))
    return int(round(value)) if integer else round(value, 4)


def _string(schema: dict[str, Any], name: str, hints: Hints) -> str:
    fmt = schema.get("format")
    if fmt == "date":
        return "2025-01-01"
    if fmt == "date-time":
        return "2025-01-01T00:00:00Z"
    return hints.take_string() or f"example {name}".strip()


def value_for(schema: dict[str, Any], name: str, hints: Hints, root: dict[str, Any] | None = None) -> Any:
    """A value valid for ``schema`` (the property ``name`` helps make it stable)."""
    root = schema if root is None else root
    schema = _resolve(schema, root)
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        wanted = {str(v).lower(): v for v in schema["enum"]}
        for text in hints.quoted + hints.names:
            if text.lower() in wanted:
                return wanted[text.lower()]
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        options = [o for o in schema.get(key, []) if isinstance(o, dict) and _resolve(o, root).get("type") != "null"]
        if options:
            return value_for(options[0], name, hints, root)
    kind = _type_of(schema)
    if kind == "object":
        props = schema.get("properties") or {}
        return {key: value_for(sub, key, hints, root) for key, sub in props.items() if isinstance(sub, dict)}
    if kind == "array":
        items = schema.get("items") if isinstance(schema.get("items"), dict) else {"type": "string"}
        count = max(1, int(schema.get("minItems", 1)))
        return [value_for(items, f"{name}{i}", hints, root) for i in range(count)]
    if kind == "integer":
        return _number(schema, name, hints, integer=True)
    if kind == "number":
        return _number(schema, name, hints, integer=False)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return _string(schema, name, hints)


def arguments_for(schema: dict[str, Any] | None, text: str) -> str:
    """JSON arguments for a tool with parameters ``schema``, filled from ``text``.

    The result is checked against the schema; a schema the generator cannot satisfy gets
    its best effort (the service, too, only guarantees validity under strict mode).
    """
    schema = schema or {"type": "object", "properties": {}}
    value = value_for(schema, "", Hints.of(text))
    try:
        jsonschema.validate(value, schema)
    except (jsonschema.ValidationError, jsonschema.SchemaError):
        pass
    return json.dumps(value, separators=(",", ":"))
