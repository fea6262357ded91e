"""Recognising what an HTTP body is (JSON, SSE, multipart, text, binary).

One place for these rules so the serializer (how a body is stored) and the matchers
(how a body is compared) never disagree about what counts as JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from enum import Enum
from functools import lru_cache
from typing import Any


class Kind(str, Enum):
    JSON = "json"
    SSE = "sse"
    TEXT = "string"
    BINARY = "base64"


_MISSING = object()


def header_value(headers: Mapping[str, Any] | None, name: str) -> str | None:
    """First value of a header, case-insensitively; vcrpy stores values as lists or strings."""
    if not headers:
        return None
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            if isinstance(value, (list, tuple)):
                value = value[0] if value else None
            if isinstance(value, bytes):
                value = value.decode("latin-1")
            return None if value is None else str(value)
    return None


def parse_json(text: str | bytes) -> Any:
    """The parsed JSON document, or _MISSING if the text is not JSON."""
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return _MISSING


def is_missing(value: Any) -> bool:
    return value is _MISSING


def dump_json(value: Any) -> str:
    """Compact JSON: what a cassette's parsed body is turned back into on replay."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def classify(content_type: str | None, body: str | bytes) -> tuple[Kind, Any]:
    """Return (kind, payload): parsed JSON, text, or the original bytes for binary.

    JSON is recognised by a JSON content type, or (with no/unknown content type) by
    parsing as an object or array: a text/plain body that happens to be `123` stays text.
    """
    if isinstance(body, bytes):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Kind.BINARY, body
    else:
        text = body
    ctype = (content_type or "").lower()
    if "json" in ctype or (
        not ctype.startswith(("text/", "multipart/")) and text.lstrip()[:1] in ("{", "[")
    ):
        parsed = parse_json(text)
        if not is_missing(parsed) and ("json" in ctype or isinstance(parsed, (dict, list))):
            return Kind.JSON, parsed
    if ctype.startswith("text/event-stream"):
        return Kind.SSE, text
    return Kind.TEXT, text


@lru_cache(maxsize=512)
def json_of(body: bytes) -> Any:
    """Parsed JSON object/array of a request body, or _MISSING (cached: matching re-reads)."""
    if body.lstrip()[:1] not in (b"{", b"["):
        return _MISSING
    return parse_json(body)


_BOUNDARY = re.compile(r'boundary="?([^";,]+)"?', re.IGNORECASE)
_NAME = re.compile(rb';\s*name="([^"]*)"', re.IGNORECASE)
_FILENAME = re.compile(rb';\s*filename="([^"]*)"', re.IGNORECASE)
_PART_TYPE = re.compile(rb"^content-type:\s*(.+?)\s*$", re.IGNORECASE | re.MULTILINE)

MultipartField = tuple[str, str, str, bytes]


def multipart_boundary(content_type: str | None, body: bytes) -> bytes | None:
    """The boundary from the content type, or from the body's first line if it has none."""
    if content_type and content_type.lower().startswith("multipart/"):
        match = _BOUNDARY.search(content_type)
        if match:
            return match.group(1).encode("latin-1")
    if body.startswith(b"--"):
        first = body.split(b"\r\n", 1)[0]
        if len(first) > 2 and b" " not in first:
            return first[2:]
    return None


def multipart_fields(content_type: str | None, body: bytes) -> list[MultipartField] | None:
    """Sorted (name, filename, part content type, value) of a multipart body, or None.

    Sorting and dropping the boundary make two encodings of the same form compare equal.
    """
    boundary = multipart_boundary(content_type, body)
    if boundary is None:
        return None
    fields: list[MultipartField] = []
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):  # closing delimiter
            break
        head, sep, value = part.partition(b"\r\n\r\n")
        if not sep:
            return None
        if value.endswith(b"\r\n"):
            value = value[:-2]
        name, filename, ptype = _NAME.search(head), _FILENAME.search(head), _PART_TYPE.search(head)
        fields.append(
            (
                name.group(1).decode("utf-8", "replace") if name else "",
                filename.group(1).decode("utf-8", "replace") if filename else "",
                ptype.group(1).decode("latin-1").lower() if ptype else "",
                value,
            )
        )
    return sorted(fields)
