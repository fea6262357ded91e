"""vcrpy matchers that let a cassette replay under any SDK version and any target.

Host, port and scheme are ignored (the scrubber replaced them anyway); the query is
compared on allow-listed parameters only, so SDK-specific extras don't matter while
`api-version` present vs absent does; bodies are compared by meaning (jsondiff.py for
JSON, fields for multipart). Headers are not matched. vcrpy calls a matcher with the
request being made first and the recorded one second; failures raise AssertionError
with a short explanation, which vcrpy and `describe_mismatch` show to the user.
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import parse_qsl

from vcr.request import Request

from conformance.recording.allowlists import keeps_query_param
from conformance.recording.bodies import header_value, is_missing, json_of, multipart_fields
from conformance.recording.jsondiff import json_differences, json_equal

Matcher = Callable[[Request, Request], None]

MAX_BYTES_SHOWN = 80


def _path(request: Request) -> str:
    return request.path or "/"


def conformance_path(r1: Request, r2: Request) -> None:
    """The path, exactly; host, port and scheme are ignored."""
    if _path(r1) != _path(r2):
        raise AssertionError(f"path {_path(r1)!r} != recorded {_path(r2)!r}")


def allowed_query(request: Request) -> list[tuple[str, str]]:
    """Sorted allow-listed (name, value) pairs; blank values count."""
    pairs = parse_qsl(request.parsed_uri.query, keep_blank_values=True)
    return sorted((k, v) for k, v in pairs if keeps_query_param(k))


def conformance_query(r1: Request, r2: Request) -> None:
    """Allow-listed query parameters (e.g. `api-version`), in any order."""
    q1, q2 = allowed_query(r1), allowed_query(r2)
    if q1 != q2:
        only_new = ", ".join(f"{k}={v}" for k, v in q1 if (k, v) not in q2) or "none"
        only_old = ", ".join(f"{k}={v}" for k, v in q2 if (k, v) not in q1) or "none"
        raise AssertionError(f"query: this request has {only_new} where the recording has {only_old}")


def _body_bytes(request: Request) -> bytes:
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if hasattr(body, "read"):
        return body.read()
    return b"".join(part if isinstance(part, bytes) else str(part).encode() for part in body)


def _preview(body: bytes) -> str:
    text = repr(body[:MAX_BYTES_SHOWN])
    return text + ("…" if len(body) > MAX_BYTES_SHOWN else "")


def conformance_body(r1: Request, r2: Request) -> None:
    """JSON by meaning (key order ignored, null == absent), multipart by fields, else bytes."""
    b1, b2 = _body_bytes(r1), _body_bytes(r2)
    if b1 == b2:
        return
    j1, j2 = json_of(b1), json_of(b2)
    if not is_missing(j1) and not is_missing(j2):
        if not json_equal(j2, j1):
            raise AssertionError("JSON body differs:\n" + "\n".join(json_differences(j2, j1)))
        return
    f1 = multipart_fields(header_value(r1.headers, "content-type"), b1)
    f2 = multipart_fields(header_value(r2.headers, "content-type"), b2)
    if f1 is not None and f2 is not None:
        if f1 != f2:
            names = sorted({f[0] for f in set(f1) ^ set(f2)})
            raise AssertionError(f"multipart fields differ: {', '.join(names) or '(repeated fields)'}")
        return
    raise AssertionError(f"body {_preview(b1)} != recorded {_preview(b2)}")


MATCHERS: dict[str, Matcher] = {
    "conformance_path": conformance_path,
    "conformance_query": conformance_query,
    "conformance_body": conformance_body,
}

MATCH_ON: tuple[str, ...] = ("method", "conformance_path", "conformance_query", "conformance_body")


def register_matchers(vcr: Any) -> None:
    """Register the matchers by name on a `vcr.VCR`."""
    for name, matcher in MATCHERS.items():
        vcr.register_matcher(name, matcher)
