"""Verdicts from outcomes: one test per documented refusal, and the ones that must not count."""

from conformance.sdk import http_module
import openai

httpx = http_module()
import pytest

from conformance.clients import SdkCannotExpress
from conformance import verdicts_doc
from conformance.verdicts import UNSUPPORTED_RULES, Verdict, classify_refusal, combine, from_exception


def api_error(status: int, error: dict) -> openai.APIStatusError:
    request = httpx.Request("POST", "https://RESOURCE.openai.azure.com/openai/responses")
    response = httpx.Response(status, json={"error": error}, request=request, headers={"apim-request-id": "abc"})
    cls = {400: openai.BadRequestError, 404: openai.NotFoundError, 429: openai.RateLimitError}.get(status, openai.APIStatusError)
    if cls is openai.APIStatusError:
        return openai.APIStatusError(error.get("message", ""), response=response, body={"error": error})
    return cls(error.get("message", ""), response=response, body={"error": error})


REFUSALS = [
    {"message": "Unsupported parameter: 'temperature' is not supported with this model.", "type": "invalid_request_error", "param": "temperature", "code": "unsupported_parameter"},
    {"message": "Unsupported value: 'temperature' does not support 0.0 with this model.", "type": "invalid_request_error", "param": "temperature", "code": "unsupported_value"},
    {"code": "BadRequest", "message": "API version not supported"},
    {"code": "BadRequest", "message": "Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview and later"},
    {"message": "Tool type 'web_search_preview' is not supported.", "type": "invalid_request_error", "param": "tools[0].type", "code": None},
    {"message": "background is not supported on this api-version.", "type": "invalid_request_error", "param": "background", "code": None},
]


def test_every_rule_has_a_refusal_here():
    assert len(REFUSALS) == len(UNSUPPORTED_RULES)


@pytest.mark.parametrize("index", range(len(UNSUPPORTED_RULES)), ids=[r.pattern[:30] for r in UNSUPPORTED_RULES])
def test_each_rule_is_the_first_match_for_its_own_example(index):
    rule = UNSUPPORTED_RULES[index]
    assert classify_refusal(rule.status, None, rule.example) is rule


@pytest.mark.parametrize("index", range(len(UNSUPPORTED_RULES)), ids=[r.pattern[:30] for r in UNSUPPORTED_RULES])
def test_each_wire_refusal_is_decided_by_its_own_rule(index):
    error = REFUSALS[index]
    rule = classify_refusal(400, error.get("code"), error["message"])
    assert rule is UNSUPPORTED_RULES[index]
    assert from_exception(api_error(400, error))[1].detail == rule.source


@pytest.mark.parametrize("status", [401, 403, 404, 422])
def test_a_documented_message_with_another_status_is_not_unsupported(status):
    verdict, _ = from_exception(api_error(status, {"code": "unsupported_parameter", "message": "Unsupported parameter"}))
    assert verdict is Verdict.FAILED


def test_docs_verdicts_md_is_generated_from_the_rules():
    text = verdicts_doc.DOC.read_text(encoding="utf-8")
    assert verdicts_doc.updated(text) == text, "docs/verdicts.md is stale: run python -m conformance.verdicts_doc"
    for rule in UNSUPPORTED_RULES:
        assert rule.example.replace("|", "\\|") in text


def test_a_connection_error_and_a_credential_error_are_inconclusive():
    from conformance.auth import CredentialError

    request = httpx.Request("POST", "https://RESOURCE.openai.azure.com/")
    assert from_exception(openai.APIConnectionError(request=request))[0] is Verdict.INCONCLUSIVE
    verdict, evidence = from_exception(CredentialError("no key in AZURE_OPENAI_API_KEY"))
    assert verdict is Verdict.INCONCLUSIVE and evidence.detail.startswith("setup:")


@pytest.mark.parametrize("error", REFUSALS, ids=[r.pattern[:30] for r in UNSUPPORTED_RULES])
def test_a_documented_refusal_is_unsupported_by_the_service(error):
    verdict, evidence = from_exception(api_error(400, error))
    assert verdict is Verdict.UNSUPPORTED
    assert evidence.by == "service" and evidence.status == 400 and evidence.request_id == "abc"


@pytest.mark.parametrize("status", [429, 500, 503])
def test_throttling_and_server_errors_are_inconclusive(status):
    verdict, evidence = from_exception(api_error(status, {"code": "x", "message": "busy"}))
    assert verdict is Verdict.INCONCLUSIVE and evidence.status == status


def test_a_timeout_is_inconclusive():
    request = httpx.Request("POST", "https://RESOURCE.openai.azure.com/")
    assert from_exception(openai.APITimeoutError(request))[0] is Verdict.INCONCLUSIVE


def test_any_other_refusal_is_a_failure():
    verdict, evidence = from_exception(api_error(400, {"message": "Invalid value for 'input'.", "code": "invalid_value"}))
    assert verdict is Verdict.FAILED and evidence.code == "invalid_value"


def test_a_broken_assertion_is_a_failure():
    verdict, evidence = from_exception(AssertionError("output_text is empty"))
    assert verdict is Verdict.FAILED and "output_text is empty" in evidence.detail


def test_an_sdk_that_cannot_express_the_request_is_unsupported_by_the_sdk():
    verdict, evidence = from_exception(SdkCannotExpress("openai 1.68.2 cannot ..."))
    assert verdict is Verdict.UNSUPPORTED and evidence.by == "sdk"


def test_the_worst_verdict_of_a_cell_wins():
    assert combine([Verdict.SUPPORTED, Verdict.FAILED]) is Verdict.FAILED
    assert combine([Verdict.SUPPORTED, Verdict.INCONCLUSIVE]) is Verdict.INCONCLUSIVE
    assert combine([Verdict.SUPPORTED, Verdict.SKIPPED]) is Verdict.SUPPORTED
    assert combine([Verdict.SKIPPED]) is Verdict.SKIPPED


# The emulator's tool refusals (emulator/errors.py tool_not_supported) must come out
# `unsupported` by the tool-type row even without a code, on dated versions and by region.
TOOL_REFUSALS = [
    "Tool type 'mcp' is not supported for api-version 2025-04-01-preview; it is available on the v1 API only.",
    "Tool type 'image_generation' is not supported for api-version 2025-03-01-preview; it is available on the v1 API only.",
    "Tool type 'code_interpreter' is not supported in region swedencentral.",
]


@pytest.mark.parametrize("message", TOOL_REFUSALS)
@pytest.mark.parametrize("code", [None, "unsupported_value"])
def test_a_tool_refused_on_this_api_version_or_region_is_unsupported(message, code):
    error = {"message": message, "type": "invalid_request_error", "param": "tools[0].type", "code": code}
    verdict, evidence = from_exception(api_error(400, error))
    assert verdict is Verdict.UNSUPPORTED and evidence.by == "service"
