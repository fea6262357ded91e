"""The `conformance` vcrpy serializer: cassettes a reviewer can read like a log.

Bodies are stored by kind (see bodies.py): `{json: <parsed>}`, `{sse: |literal}`,
`{string: ...}` or `{base64: ...}`; single-valued headers as scalars; provenance first.
Loading turns JSON back into compact JSON text, so Content-Length is recomputed to keep
it truthful. Use as `vcr.register_serializer("conformance", serializer)` (this module).
"""

from __future__ import annotations

import base64
from typing import Any

import yaml

from conformance.recording.cache import cached
from conformance.recording.bodies import Kind, classify, dump_json, header_value
from conformance.recording.compression import decode_body
from conformance.recording.provenance import KEY as PROVENANCE_KEY
from conformance.recording.provenance import current_provenance

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Literal(str):
    """A string the dumper should write as a `|` block (falls back to quoting if it can't)."""


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    pass


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if (isinstance(data, _Literal) or "\n" in data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Literal, _represent_str)

_DUMP_OPTIONS: dict[str, Any] = {
    "Dumper": _Dumper,
    "sort_keys": False,
    "allow_unicode": True,
    "default_flow_style": False,
    "width": 1 << 20,  # never fold long lines: keeps JSON strings greppable
}


# --- storing -----------------------------------------------------------------


def _flat_headers(headers: Any) -> dict[str, Any]:
    """vcrpy's {name: [value]} as {name: value} unless a header really repeats."""
    out: dict[str, Any] = {}
    for name, value in (headers or {}).items():
        if isinstance(value, (list, tuple)):
            value = value[0] if len(value) == 1 else list(value)
        out[name] = value
    return out


def encode_body(content_type: str | None, body: Any) -> Any:
    """The stored form of a body."""
    if body is None or not isinstance(body, (str, bytes)):
        return body
    kind, payload = classify(content_type, body)
    if kind is Kind.BINARY:
        return {kind.value: _Literal(base64.encodebytes(payload).decode("ascii"))}
    if kind is Kind.SSE:
        return {kind.value: _Literal(payload)}
    return {kind.value: payload}


def _decoded(headers: Any, body: Any) -> tuple[Any, Any]:
    if isinstance(body, bytes) and header_value(headers, "content-encoding"):
        return decode_body(headers, body)
    return headers, body


def _store_request(request: dict[str, Any]) -> dict[str, Any]:
    headers, body = _decoded(request.get("headers") or {}, request.get("body"))
    stored = {
        "method": request.get("method"),
        "uri": request.get("uri"),
        "headers": _flat_headers(headers),
        "body": encode_body(header_value(headers, "content-type"), body),
    }
    stored.update({k: v for k, v in request.items() if k not in stored})
    return stored


def _store_response(response: dict[str, Any]) -> dict[str, Any]:
    raw = (response.get("body") or {}).get("string")
    headers, body = _decoded(response.get("headers") or {}, raw)
    stored = {
        "status": response.get("status"),
        "headers": _flat_headers(headers),
        "body": encode_body(header_value(headers, "content-type"), body),
    }
    stored.update({k: v for k, v in response.items() if k not in stored})
    return stored


def serialize(cassette_dict: dict[str, Any]) -> str:
    """YAML text for vcrpy's cassette dict, with the current provenance first."""
    data: dict[str, Any] = {}
    provenance = current_provenance()
    if provenance is not None:
        data[PROVENANCE_KEY] = provenance
    for key, value in cassette_dict.items():
        if key == "interactions":
            value = [
                {"request": _store_request(i["request"]), "response": _store_response(i["response"])}
                for i in value
            ]
        data.setdefault(key, value)
    return yaml.dump(data, **_DUMP_OPTIONS)


# --- loading -----------------------------------------------------------------


def decode_stored_body(stored: Any) -> str | bytes | None:
    """The body bytes/text a stored body stands for (JSON re-serialized compactly)."""
    if stored is None or isinstance(stored, (str, bytes)):
        return stored
    if Kind.JSON.value in stored:
        return dump_json(stored[Kind.JSON.value])
    if Kind.SSE.value in stored:
        return stored[Kind.SSE.value]
    if Kind.BINARY.value in stored:
        return base64.b64decode(stored[Kind.BINARY.value])
    return stored.get(Kind.TEXT.value)


def _list_headers(headers: Any, body: str | bytes | None) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for name, value in (headers or {}).items():
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if name.lower() == "content-length":
            size = len(body.encode("utf-8") if isinstance(body, str) else (body or b""))
            values = [str(size)]
        out[name] = [str(v) for v in values]
    return out


def _load_request(stored: dict[str, Any]) -> dict[str, Any]:
    body = decode_stored_body(stored.get("body"))
    return {
        "method": stored["method"],
        "uri": stored["uri"],
        "body": body,
        "headers": _list_headers(stored.get("headers"), body),
    }


def _load_response(stored: dict[str, Any]) -> dict[str, Any]:
    body = decode_stored_body(stored.get("body"))
    loaded = dict(stored)
    loaded["headers"] = _list_headers(stored.get("headers"), body)
    loaded["body"] = {"string": body if body is not None else b""}
    return loaded


def deserialize(cassette_string: str) -> dict[str, Any]:
    """vcrpy's cassette dict from YAML text; provenance is dropped (see read_provenance)."""
    return cached(cassette_string, _parse)  # type: ignore[no-any-return]


def _parse(cassette_string: str) -> dict[str, Any]:
    data = yaml.load(cassette_string, Loader=_Loader)
    if not isinstance(data, dict):
        return {"interactions": []}
    data.pop(PROVENANCE_KEY, None)
    data["interactions"] = [
        {"request": _load_request(i["request"]), "response": _load_response(i["response"])}
        for i in data.get("interactions") or []
    ]
    return data
