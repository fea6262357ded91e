"""Structured outputs: strict-mode schema rules, and a deterministic instance of a schema.

Strict rules follow learn.microsoft.com/azure/foundry/openai/how-to/structured-outputs: every property
``required``, ``additionalProperties: false`` on every object, at most 100 properties and 5
levels of nesting, no ``anyOf`` at the root, ``$defs`` and recursion allowed, and a list of
keywords strict mode rejects. (OpenAI has since accepted some of those keywords, e.g.
``pattern`` and ``minimum``; the notes describe Azure, so the emulator follows them.)
The refusal wording is OpenAI's (``Invalid schema for response_format '<name>': In
context=(...), ...``), which Azure relays from the backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from emulator.engine import extraction
from emulator.wire import errors
MAX_PROPERTIES = 100
MAX_DEPTH = 5
UNSUPPORTED_KEYWORDS = (
    "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "patternProperties", "unevaluatedProperties",
    "propertyNames", "minProperties", "maxProperties", "minItems", "maxItems", "uniqueItems",
    "contains", "minContains", "maxContains", "if", "then", "else", "not", "dependentRequired",
    "dependentSchemas",
)  # fmt: skip
_MAX_RECURSION = 3


def _context(path: tuple[str, ...]) -> str:
    return repr(path)


def _problems(node: Any, path: tuple[str, ...], depth: int) -> Iterator[str]:
    if not isinstance(node, dict):
        return
    where = f"In context={_context(path)}, "
    for keyword in UNSUPPORTED_KEYWORDS:
        if keyword in node:
            yield f"{where}'{keyword}' is not permitted."
    kinds = node.get("type")
    is_object = kinds == "object" or (isinstance(kinds, list) and "object" in kinds) or "properties" in node
    if is_object:
        props = node.get("properties") or {}
        if depth > MAX_DEPTH:
            yield f"{where}object nesting depth exceeds the limit of {MAX_DEPTH}."
        if len(props) > MAX_PROPERTIES:
            yield f"{where}objects may have at most {MAX_PROPERTIES} properties, got {len(props)}."
        if node.get("additionalProperties") is not False:
            yield f"{where}'additionalProperties' is required to be supplied and to be false."
        required = node.get("required")
        missing = [k for k in props if not isinstance(required, list) or k not in required]
        if missing:
            yield (
                f"{where}'required' is required to be supplied and to be an array including every key in "
                f"properties. Missing '{missing[0]}'."
            )
        for key, sub in props.items():
            yield from _problems(sub, (*path, "properties", key), depth + 1)
    if "items" in node:
        yield from _problems(node["items"], (*path, "items"), depth)
    for combinator in ("anyOf", "allOf", "oneOf"):
        for i, sub in enumerate(node.get(combinator) or ()):
            yield from _problems(sub, (*path, combinator, str(i)), depth)
    for defs in ("$defs", "definitions"):
        for key, sub in (node.get(defs) or {}).items():
            yield from _problems(sub, (*path, defs, key), depth)


def check_strict(name: str, schema: dict[str, Any]) -> None:
    """Raise the 400 strict mode gives for ``schema``; return if the schema is acceptable."""
    if "anyOf" in schema and "type" not in schema:
        raise errors.invalid_json_schema(name, "schema must not be of type 'anyOf' at the root.")
    if schema.get("type") != "object":
        got = schema.get("type", "None")
        raise errors.invalid_json_schema(name, f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{got}\"'.")
    for problem in _problems(schema, (), 1):
        raise errors.invalid_json_schema(name, problem)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Z][a-z]+|[a-z]{4,}", text)


class _Builder:
    """Builds one instance; string values come from the prompt's words so they read as data."""

    def __init__(self, root: dict[str, Any], prompt: str, latest: str = "") -> None:
        self.root = root
        self.latest = latest
        """The user's own sentence: field values are read from it first (extraction.py)."""
        words = _words(prompt) or ["value"]
        self.words = words
        self.next_word = 0

    def _word(self) -> str:
        word = self.words[self.next_word % len(self.words)]
        self.next_word += 1
        return word

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.root
        for part in ref.lstrip("#/").split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node if isinstance(node, dict) else {}

    def build(self, node: Any, key: str = "", depth: int = 0) -> Any:
        """``depth`` counts ``$ref`` expansions: past the limit arrays come out empty and
        unions take their null branch, so recursive schemas end."""
        if not isinstance(node, dict):
            return None
        if "$ref" in node:
            return self.build(self._resolve(node["$ref"]), key, depth + 1)
        if "const" in node:
            return node["const"]
        if node.get("enum"):
            return node["enum"][0]
        for combinator in ("anyOf", "oneOf"):
            if node.get(combinator):
                branches = node[combinator]
                if depth > _MAX_RECURSION:
                    branches = [b for b in branches if b.get("type") == "null"] or branches
                return self.build(branches[0], key, depth)
        kind = node.get("type", "object")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object":
            props = node.get("properties") or {}
            return {k: self.build(sub, k, depth) for k, sub in props.items()}
        if kind == "array":
            if depth > _MAX_RECURSION:
                return []
            found = extraction.field_value(key, self.latest)
            if (isinstance(found, list) and len(found) >= node.get("minItems", 0)
                    and (node.get("items") or {}).get("type", "string") == "string"):
                return found[: node.get("maxItems", len(found))]
            return [self.build(node.get("items", {}), key, depth) for _ in range(2)]
        if kind == "string":
            found = extraction.field_value(key, self.latest)
            return found if isinstance(found, str) else self._word()
        if kind == "integer":
            return len(key) or 1
        if kind == "number":
            return float(len(key) or 1) + 0.5
        if kind == "boolean":
            return True
        return None


def instance(schema: dict[str, Any], prompt: str = "", latest: str = "") -> Any:
    """A deterministic value that validates against ``schema``: fields read from ``latest`` (the
    user's message) where their names say what they hold, other strings drawn from ``prompt``."""
    return _Builder(schema, prompt, latest).build(schema)
