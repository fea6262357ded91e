"""What the content-filter expectations decide: no filtering is `unsupported`, a wrong shape `failed`."""

from __future__ import annotations

from typing import Any

import openai
import pytest

from conformance import expect
from conformance.model.sdk import http_module
from conformance.outcome.verdicts import NotOffered, Verdict, from_exception

try:  # tests/conformance may become a package
    from .streams import message_item, response_body, usage
except ImportError:
    from streams import message_item, response_body, usage  # type: ignore[no-redef]

httpx = http_module()
URL = "https://RESOURCE.openai.azure.com/openai/v1/responses"
FILTERED_400 = {"error": {"message": "The response was filtered due to the prompt triggering Azure OpenAI's content "
                                     "management policy.", "type": "invalid_request_error", "param": "prompt",
                          "code": "content_filter"}}


def _error(status: int, body: dict[str, Any]) -> openai.APIStatusError:
    response = httpx.Response(status, json=body, request=httpx.Request("POST", URL))
    cls = {400: openai.BadRequestError, 429: openai.RateLimitError}.get(status, openai.APIStatusError)
    return cls("refused", response=response, body=body["error"])


def _raises(exc: BaseException):
    def call() -> Any:
        raise exc
    return call


def _verdict(call) -> Verdict:
    try:
        call()
    except Exception as exc:  # noqa: BLE001 (the verdict is the point)
        return from_exception(exc, "content_filter.prompt")[0]
    return Verdict.SUPPORTED


def test_the_documented_refusal_passes():
    assert _verdict(lambda: expect.prompt_filtered(_raises(_error(400, FILTERED_400)))) is Verdict.SUPPORTED


def test_a_prompt_answered_normally_is_unsupported_by_the_service():
    answer = response_body("completed", [message_item("Sure.")])
    with pytest.raises(NotOffered) as caught:
        expect.prompt_filtered(lambda: answer)
    verdict, evidence = from_exception(caught.value, "content_filter.prompt")
    assert verdict is Verdict.UNSUPPORTED and evidence.by == "service" and "does not filter" in evidence.detail


@pytest.mark.parametrize("body", [
    {"error": {**FILTERED_400["error"], "code": "ResponsibleAIPolicyViolation"}},
    {"error": {**FILTERED_400["error"], "param": None}},
])  # fmt: skip
def test_a_filter_refusal_in_the_wrong_shape_fails(body):
    assert _verdict(lambda: expect.prompt_filtered(_raises(_error(400, body)))) is Verdict.FAILED


def test_throttling_instead_of_the_refusal_is_inconclusive():
    throttled = _error(429, {"error": {"code": "429", "message": "Rate limit"}})
    assert _verdict(lambda: expect.prompt_filtered(_raises(throttled))) is Verdict.INCONCLUSIVE


def test_an_output_answered_normally_is_unsupported_and_a_wrong_reason_fails():
    completed = response_body("completed", [message_item("Is this the real life?")])
    assert _verdict(lambda: expect.output_filtered(completed, dated=False)) is Verdict.UNSUPPORTED
    cut = response_body("incomplete", [message_item("Is", status="incomplete")],
                        incomplete_details={"reason": "max_output_tokens"}, usage=usage(1, 1))
    assert _verdict(lambda: expect.output_filtered(cut, dated=False)) is Verdict.FAILED
    filtered = response_body("incomplete", [message_item("", status="incomplete")],
                             incomplete_details={"reason": "content_filter"}, usage=usage(0, 0))
    assert _verdict(lambda: expect.output_filtered(filtered, dated=True)) is Verdict.SUPPORTED
