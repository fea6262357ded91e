"""The `conformance` serializer: readable YAML that gives back what the SDK reads."""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from vcr.request import Request
from vcr.serialize import deserialize, serialize

from conformance.recording import read_provenance, serializer, set_provenance
from conformance.recording.compression import UnsupportedEncodingError

URI = "https://RESOURCE.openai.azure.com/openai/v1/responses?api-version=preview"


@pytest.fixture(autouse=True)
def no_provenance() -> Iterator[None]:
    previous = set_provenance(None)
    yield
    set_provenance(previous)


def response(body: bytes, content_type: str | None, **headers: str) -> dict[str, Any]:
    all_headers = {k.replace("_", "-"): [v] for k, v in headers.items()}
    if content_type:
        all_headers["content-type"] = [content_type]
    return {"status": {"code": 200, "message": "OK"}, "headers": all_headers, "body": {"string": body}}


def request(body: bytes | None = b'{"model":"gpt-4o","input":"hi"}') -> Request:
    return Request("POST", URI, body, {"content-type": "application/json"})


def roundtrip(resp: dict[str, Any], req: Request | None = None) -> tuple[str, Request, dict[str, Any]]:
    """vcrpy's own save/load path around our serializer."""
    text = serialize({"requests": [req or request()], "responses": [resp]}, serializer)
    requests, responses = deserialize(text, serializer)[:2]
    return text, requests[0], responses[0]


def stored(text: str) -> dict[str, Any]:
    return yaml.safe_load(text)["interactions"][0]


def test_json_bodies_are_parsed_yaml_and_content_length_is_recomputed() -> None:
    original = json.dumps({"id": "resp_1", "output": [{"text": "a\nb"}], "n": 1.5, "x": None}, indent=2)
    text, req, resp = roundtrip(response(original.encode(), "application/json", content_length=str(len(original))))
    data = stored(text)
    assert data["response"]["body"] == {"json": json.loads(original)}
    assert data["request"]["body"] == {"json": {"model": "gpt-4o", "input": "hi"}}
    body = resp["body"]["string"]
    assert json.loads(body) == json.loads(original)
    assert resp["headers"]["content-length"] == [str(len(body))]
    assert json.loads(req.body) == {"model": "gpt-4o", "input": "hi"}


def test_json_is_recognised_by_parsing_without_a_content_type() -> None:
    text, _, resp = roundtrip(response(b'{"error": {"code": "x"}}', None))
    assert stored(text)["response"]["body"] == {"json": {"error": {"code": "x"}}}
    assert json.loads(resp["body"]["string"]) == {"error": {"code": "x"}}


def test_sse_is_a_literal_block_and_exact() -> None:
    sse = 'event: response.created\ndata: {"type":"response.created"}\n\nevent: done\ndata: [DONE]\n\n'
    text, _, resp = roundtrip(response(sse.encode(), "text/event-stream; charset=utf-8"))
    assert "sse: |" in text
    assert "  event: response.created\n" in text
    assert resp["body"]["string"] == sse.encode()


def test_multiline_text_is_a_literal_block_and_exact() -> None:
    body = "line one\nline two ü\n"
    text, _, resp = roundtrip(response(body.encode(), "text/plain"))
    assert stored(text)["response"]["body"] == {"string": body}
    assert "string: |" in text
    assert resp["body"]["string"] == body.encode()


def test_text_that_parses_as_json_scalar_stays_text() -> None:
    text, _, resp = roundtrip(response(b" 123\n", "text/plain"))
    assert stored(text)["response"]["body"] == {"string": " 123\n"}
    assert resp["body"]["string"] == b" 123\n"


def test_binary_is_base64_and_exact() -> None:
    blob = bytes(range(256)) * 4 + os.urandom(64)
    text, _, resp = roundtrip(response(blob, "image/png"))
    assert "base64" in stored(text)["response"]["body"]
    assert resp["body"]["string"] == blob


@pytest.mark.parametrize("encode,name", [(gzip.compress, "gzip"), (zlib.compress, "deflate")])
def test_compressed_bodies_are_stored_decoded(encode: Any, name: str) -> None:
    payload = json.dumps({"ok": True, "text": "compressed"}).encode()
    text, _, resp = roundtrip(response(encode(payload), "application/json", content_encoding=name))
    assert stored(text)["response"]["body"] == {"json": {"ok": True, "text": "compressed"}}
    assert "content-encoding" not in text
    assert resp["body"]["string"] == b'{"ok":true,"text":"compressed"}'


def test_unknown_encoding_is_refused_rather_than_stored() -> None:
    with pytest.raises(UnsupportedEncodingError):
        roundtrip(response(b"\x28\xb5\x2f\xfd-not-really", "application/json", content_encoding="snappy"))


def test_headers_are_flat_unless_repeated_and_come_back_as_lists() -> None:
    resp = response(b"{}", "application/json")
    resp["headers"]["x-ratelimit-remaining-requests"] = ["9"]
    resp["headers"]["x-multi"] = ["a", "b"]
    text, req, loaded = roundtrip(resp)
    headers = stored(text)["response"]["headers"]
    assert headers["content-type"] == "application/json"
    assert headers["x-multi"] == ["a", "b"]
    assert loaded["headers"]["x-ratelimit-remaining-requests"] == ["9"]
    assert loaded["headers"]["x-multi"] == ["a", "b"]
    assert req.headers["content-type"] == "application/json"


def test_empty_bodies() -> None:
    text, req, resp = roundtrip(response(b"", None), Request("GET", URI, None, {}))
    assert req.body is None
    assert resp["body"]["string"] == b""


def test_provenance_is_written_first_and_read_back(tmp_path: Path) -> None:
    provenance = {"recorded_against": "emulator 0.1.0", "recorded_at": "2025-01-01T00:00:00+00:00",
                  "target": "emulator-key", "sdk": "openai 3.57.0", "suite": "0.1.0"}
    set_provenance(provenance)
    text, _, _ = roundtrip(response(b"{}", "application/json"))
    assert text.startswith("provenance:\n")
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_provenance(path) == provenance
    assert "provenance" not in serializer.deserialize(text)
    set_provenance(None)
    text, _, _ = roundtrip(response(b"{}", "application/json"))
    assert "provenance" not in text
    path.write_text(text, encoding="utf-8")
    assert read_provenance(path) is None


def test_key_order_is_stable() -> None:
    body = b'{"z":1,"a":{"y":2,"b":3}}'
    first, _, _ = roundtrip(response(body, "application/json"))
    second, _, _ = roundtrip(response(body, "application/json"))
    assert first == second
    assert first.index("z: 1") < first.index("a:")
    assert list(stored(first)["response"]) == ["status", "headers", "body"]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=12,
)


@settings(max_examples=50, deadline=None)
@given(value=_json)
def test_any_json_round_trips(value: Any) -> None:
    _, _, resp = roundtrip(response(json.dumps(value).encode(), "application/json"))
    assert json.loads(resp["body"]["string"]) == value


@settings(max_examples=50, deadline=None)
@given(text=st.text())
def test_any_text_round_trips_exactly(text: str) -> None:
    for content_type in ("text/event-stream", "text/plain"):
        _, _, resp = roundtrip(response(text.encode(), content_type))
        assert resp["body"]["string"] == text.encode()
