"""Matchers: what must and must not make a recorded request match, and the mismatch text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import vcr
from vcr.cassette import Cassette
from vcr.request import Request

from conformance.recording import MATCH_ON, Scrubber, describe_mismatch, register
from conformance.recording.matching import conformance_body, conformance_path, conformance_query

RECORDED = "https://RESOURCE.openai.azure.com/openai/v1/responses?api-version=preview"


def post(uri: str = RECORDED, body: Any = None, content_type: str = "application/json") -> Request:
    data = json.dumps(body).encode() if isinstance(body, (dict, list)) else body
    return Request("POST", uri, data, {"content-type": content_type})


def matches(matcher: Any, new: Request, recorded: Request) -> bool:
    try:
        matcher(new, recorded)
    except AssertionError:
        return False
    return True


def test_json_key_order_and_null_vs_absent_are_equal() -> None:
    recorded = post(body={"model": "gpt-4o", "input": "hi", "tools": None, "reasoning": {"effort": "low", "summary": None}})
    new = post(body={"reasoning": {"effort": "low"}, "input": "hi", "model": "gpt-4o", "metadata": None})
    assert matches(conformance_body, new, recorded)


@pytest.mark.parametrize(
    "new",
    [
        {"model": "gpt-4o", "input": [None]},  # nulls inside arrays are values
        {"model": "gpt-4o", "input": []},
        {"model": "gpt-4o", "input": [1], "extra": True},
        {"model": "gpt-4o", "input": [True]},  # true is not 1
    ],
)
def test_json_differences_are_detected(new: dict[str, Any]) -> None:
    assert not matches(conformance_body, post(body=new), post(body={"model": "gpt-4o", "input": [1]}))


def test_api_version_presence_and_value_matter_but_other_query_params_do_not() -> None:
    base = "https://RESOURCE.openai.azure.com/openai/v1/responses"
    recorded = post(f"{base}?api-version=preview")
    assert matches(conformance_query, post(f"{base}?api-version=preview&sdk-extra=1&api-key=REDACTED"), recorded)
    assert not matches(conformance_query, post(base), recorded)
    assert not matches(conformance_query, post(f"{base}?api-version=2025-04-01-preview"), recorded)
    assert not matches(conformance_query, post(f"{base}?api-version=preview&stream=true"), recorded)


def test_host_port_and_scheme_are_ignored_but_path_is_not() -> None:
    recorded = post()
    assert matches(conformance_path, post("http://127.0.0.1:54321/openai/v1/responses"), recorded)
    assert not matches(conformance_path, post("https://RESOURCE.openai.azure.com/openai/v1/responses/compact"), recorded)


def multipart(boundary: str, purpose: str = "assistants") -> Request:
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\n{purpose}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\n'
        f"Content-Type: application/jsonl\r\n\r\n{{}}\n\r\n--{boundary}--\r\n"
    )
    return post("https://RESOURCE.openai.azure.com/openai/v1/files", body.encode(), f"multipart/form-data; boundary={boundary}")


def test_multipart_boundary_is_ignored_but_fields_are_not() -> None:
    assert matches(conformance_body, multipart("aaaa1111"), multipart("bbbb2222"))
    with pytest.raises(AssertionError, match="purpose"):
        conformance_body(multipart("aaaa1111", "batch"), multipart("bbbb2222"))


def test_other_bodies_compare_as_bytes() -> None:
    assert matches(conformance_body, post(body=b"abc", content_type="text/plain"), post(body=b"abc", content_type="text/plain"))
    assert not matches(conformance_body, post(body=b"abc", content_type="text/plain"), post(body=b"abd"))
    assert matches(conformance_body, Request("GET", RECORDED, None, {}), Request("GET", RECORDED, b"", {}))


def test_matchers_are_registered_by_name() -> None:
    recorder = register(vcr.VCR())
    names = [m.__name__ for m in recorder._get_matchers(MATCH_ON)]
    assert names == list(MATCH_ON)  # vcrpy reports failing matchers by __name__


@pytest.fixture
def cassette(tmp_path: Path) -> Cassette:
    scrubber = Scrubber()
    recorder = register(vcr.VCR())
    cas = Cassette(
        str(tmp_path / "c.yaml"),
        match_on=recorder._get_matchers(MATCH_ON),
        before_record_request=scrubber.scrub_request,
        before_record_response=scrubber.scrub_response,
    )
    ok = {"status": {"code": 200, "message": "OK"}, "headers": {}, "body": {"string": b"{}"}}
    cas.append(Request("GET", "https://RESOURCE.openai.azure.com/openai/v1/models", None, {}), ok)
    cas.append(post(body={"model": "gpt-4o", "input": "hi", "temperature": 0.2}), ok)
    cas.append(post("https://RESOURCE.openai.azure.com/openai/v1/files", b"x", "text/plain"), ok)
    return cas


def test_describe_mismatch_names_the_differing_json_field(cassette: Cassette) -> None:
    message = describe_mismatch(post("http://127.0.0.1:1/openai/v1/responses?api-version=preview",
                                     {"model": "gpt-4.1", "input": "hi", "temperature": 0.2}), cassette)
    assert "#1 POST /openai/v1/responses" in message
    assert "conformance_body" in message
    assert "model: recorded 'gpt-4o', this request 'gpt-4.1'" in message
    assert "conformance_query" not in message


def test_describe_mismatch_names_a_missing_api_version(cassette: Cassette) -> None:
    message = describe_mismatch(post("http://127.0.0.1:1/openai/v1/responses",
                                     {"model": "gpt-4o", "input": "hi", "temperature": 0.2}), cassette)
    assert "conformance_query" in message and "api-version=preview" in message
    assert "conformance_body" not in message


def test_describe_mismatch_explains_a_repeated_request(cassette: Cassette) -> None:
    request = post(body={"model": "gpt-4o", "input": "hi", "temperature": 0.2})
    cassette.play_response(request)
    assert "already played" in describe_mismatch(request, cassette)
