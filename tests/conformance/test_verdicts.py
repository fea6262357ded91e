"""Verdicts from outcomes: one test per documented refusal, the subject rule (a refusal
counts only for the features it is about), and the refusals that must not count."""

import json
import os
import subprocess
import sys
from pathlib import Path

from conformance.model.sdk import http_module
import openai

httpx = http_module()
import forkserver
import pytest
import yaml

from conformance import expect
from conformance.client.factory import SdkCannotExpress
from conformance.outcome import verdicts_doc
from conformance.model.features import FEATURES
from conformance.outcome.verdicts import UNSUPPORTED_RULES, Verdict, classify_refusal, combine, from_exception

ROOT = Path(__file__).resolve().parents[2]
URL = "https://RESOURCE.openai.azure.com/openai/v1/responses"


def api_error(status: int, error: dict, body: dict | None = None, method: str = "POST", url: str = URL) -> openai.APIStatusError:
    """The SDK's error for `error`, as the answer to a request that sent `body`."""
    request = httpx.Request(method, url, json=body) if body is not None else httpx.Request(method, url)
    response = httpx.Response(status, json={"error": error}, request=request, headers={"apim-request-id": "abc"})
    cls = {400: openai.BadRequestError, 404: openai.NotFoundError, 429: openai.RateLimitError}.get(status, openai.APIStatusError)
    if cls is openai.APIStatusError:
        return openai.APIStatusError(error.get("message", ""), response=response, body={"error": error})
    return cls(error.get("message", ""), response=response, body={"error": error})


def _example(rule) -> dict:
    return json.loads(rule.example)["error"]


def _unsupported_parameter(name, code="unsupported_parameter", param="same"):
    return {"message": f"Unsupported parameter: '{name}' is not supported with this model.",
            "type": "invalid_request_error", "param": name if param == "same" else param, "code": code}


def test_every_rule_cites_a_public_source_not_a_file_of_notes():
    for rule in UNSUPPORTED_RULES:
        assert rule.source.startswith("https://"), rule
        assert "azure-facts" not in rule.source and "§" not in rule.source, rule


@pytest.mark.parametrize("index", range(len(UNSUPPORTED_RULES)), ids=[r.source.rsplit("/", 2)[-2] for r in UNSUPPORTED_RULES])
def test_each_rule_is_the_first_match_for_its_own_real_body(index):
    rule, error = UNSUPPORTED_RULES[index], _example(UNSUPPORTED_RULES[index])
    assert classify_refusal(rule.status, error.get("code"), error["message"]) is rule


TARGET_RULES = [r for r in UNSUPPORTED_RULES if r.scope == "target"]


@pytest.mark.parametrize("feature_id", [*FEATURES, None])
@pytest.mark.parametrize("rule", TARGET_RULES, ids=[r.source.rsplit("/", 1)[-1] for r in TARGET_RULES])
def test_a_refusal_of_the_target_itself_counts_for_every_feature(rule, feature_id):
    verdict, evidence = from_exception(api_error(400, _example(rule), {"model": "gpt-4o", "input": "hi"}), feature_id)
    assert verdict is Verdict.UNSUPPORTED and evidence.by == "service"
    assert rule.source in evidence.detail and evidence.request_id == "abc"


#: (feature, error, request body): a refusal naming the feature's own subject.
OWN_SUBJECT = [
    ("reasoning.effort", _unsupported_parameter("reasoning.effort"), {"reasoning": {"effort": "high"}}),
    ("reasoning.effort", _unsupported_parameter("reasoning.effort", code=None), {"reasoning": {"effort": "high"}}),
    ("reasoning.summary", _unsupported_parameter("reasoning.summary", param=None), {"reasoning": {"summary": "auto"}}),
    ("text.format.json_schema", {"message": "Unsupported value: 'text.format.schema' does not support this keyword.",
                                 "param": "text.format.schema", "code": "unsupported_value"}, {"text": {"format": {}}}),
    ("background", _unsupported_parameter("background"), {"background": True}),
    ("background.cancel", _unsupported_parameter("background"), {"background": True}),
    ("tools.mcp", {"message": "x", "param": "tools[0].type", "code": "unsupported_value"}, {"tools": [{"type": "mcp"}]}),
    ("tools.web_search", {"message": "x", "param": "tools[1].type", "code": "unsupported_value"},
     {"tools": [{"type": "function"}, {"type": "web_search_preview"}]}),
    ("tools.code_interpreter", {"message": "x", "param": "tools[0]", "code": "unsupported_parameter"},
     {"tools": [{"type": "code_interpreter"}]}),
    ("reasoning.encrypted_content",
     {"message": "Unsupported value: 'include' does not support 'reasoning.encrypted_content' with this API version.",
      "param": "include", "code": "unsupported_value"}, {"include": ["reasoning.encrypted_content"]}),
    ("input.image.url", {"message": "x", "param": "input[1].content[0].image_url", "code": "unsupported_value"},
     {"input": [{"role": "user", "content": "hi"}, {"role": "user", "content": [{"type": "input_image"}]}]}),
]


@pytest.mark.parametrize("feature_id,error,body", OWN_SUBJECT, ids=[f"{f}-{e['param']}-{e['code']}" for f, e, _ in OWN_SUBJECT])
def test_a_refusal_of_the_features_own_subject_is_unsupported(feature_id, error, body):
    verdict, evidence = from_exception(api_error(400, error, body), feature_id)
    assert verdict is Verdict.UNSUPPORTED, evidence.detail
    assert evidence.by == "service" and f"a subject of {feature_id}" in evidence.detail


def test_a_refusal_with_nothing_named_names_the_route_it_answered():
    error = {"message": "x", "param": None, "code": "unsupported_value"}
    refused = api_error(400, error, {}, url="https://RESOURCE.openai.azure.com/openai/v1/responses/resp_1/cancel")
    assert from_exception(refused, "background.cancel")[0] is Verdict.UNSUPPORTED
    verdict, evidence = from_exception(refused, "background")
    assert verdict is Verdict.FAILED and "route:POST /responses/{id}/cancel" in evidence.detail


@pytest.mark.parametrize("feature_id", FEATURES)
@pytest.mark.parametrize("code", ["unsupported_parameter", "unsupported_value", None])
def test_a_refused_max_output_tokens_is_failed_for_every_feature(feature_id, code):
    """Every test sends parameters its feature is not about: refusing one is a broken service."""
    body = {"model": "gpt-4o", "input": "hi", "max_output_tokens": 64}
    verdict, evidence = from_exception(api_error(400, _unsupported_parameter("max_output_tokens", code), body), feature_id)
    assert verdict is Verdict.FAILED
    assert f"refused max_output_tokens, which is not what {feature_id} is about" in evidence.detail
    assert evidence.by is None


#: (feature, error, request body): a documented refusal, but of something else.
OTHER_SUBJECT = [
    ("tools.function", _unsupported_parameter("max_output_tokens"), {"max_output_tokens": 64}),
    ("tools.function", _unsupported_parameter("max_output_tokens", param=None), {"max_output_tokens": 64}),
    ("tools.mcp", {"message": "x", "param": "tools[0].type", "code": "unsupported_value"},
     {"tools": [{"type": "function"}, {"type": "mcp"}]}),
    ("reasoning.effort", _unsupported_parameter("reasoning"), {"reasoning": {"effort": "high"}}),
    ("background", _unsupported_parameter("backgrounds"), {"background": True}),
    ("reasoning.encrypted_content", {"message": "Unsupported value: 'include' does not support 'message.output_text.logprobs'.",
                                     "param": "include", "code": "unsupported_value"},
     {"include": ["reasoning.encrypted_content", "message.output_text.logprobs"]}),
    ("tools.function", {"message": "x", "param": None, "code": "unsupported_parameter"}, {"tools": []}),
]


@pytest.mark.parametrize("feature_id,error,body", OTHER_SUBJECT, ids=[f"{f}-{e['param']}" for f, e, _ in OTHER_SUBJECT])
def test_the_same_refusal_of_something_else_is_failed(feature_id, error, body):
    verdict, evidence = from_exception(api_error(400, error, body), feature_id)
    assert verdict is Verdict.FAILED and evidence.by is None
    assert f"not what {feature_id} is about" in evidence.detail


def test_without_a_feature_only_refusals_of_the_target_count():
    verdict, evidence = from_exception(api_error(400, _unsupported_parameter("background"), {"background": True}))
    assert verdict is Verdict.FAILED and "no feature" in evidence.detail


@pytest.mark.parametrize("error", [
    {"message": "background is not supported on this api-version.", "type": "invalid_request_error", "param": "background", "code": None},
    {"message": "Tool type 'mcp' is not supported.", "type": "invalid_request_error", "param": "tools[0].type", "code": None},
    {"message": "Missed model deployment"},
], ids=["own-wording-background", "own-wording-tool", "nothing-named"])
def test_a_refusal_in_no_documented_shape_is_failed_even_for_its_subject(error):
    """Wording the project wrote itself decides nothing; with code null only the real words do."""
    body = {"background": True, "tools": [{"type": "mcp"}]}
    for feature_id in ("background", "tools.mcp"):
        assert from_exception(api_error(400, error, body), feature_id)[0] is Verdict.FAILED


def test_not_a_documented_refusal_reraises_only_a_refusal_of_the_feature():
    own = api_error(400, _unsupported_parameter("background"), {"background": True, "store": False})
    with pytest.raises(openai.BadRequestError):
        expect.not_a_documented_refusal(own, "background")
    expect.not_a_documented_refusal(api_error(400, _unsupported_parameter("store"), {"store": False}), "background")
    expect.not_a_documented_refusal(api_error(400, {"message": "Background mode requires store=true.", "param": "store", "code": None}), "background")


def _emulator_refusals():
    """The emulator's own refusals: (feature refused, body, the request that gets it)."""
    from emulator.api import background  # noqa: F401  (its refusal is below)
    from emulator.wire import errors

    return [
        ("tools.mcp", errors.tool_not_supported("mcp", 0, "for api-version 2025-04-01-preview"), {"tools": [{"type": "mcp"}]}),
        ("tools.code_interpreter", errors.tool_not_supported("code_interpreter", 1, "in region swedencentral"),
         {"tools": [{"type": "function"}, {"type": "code_interpreter"}]}),
        ("reasoning.encrypted_content", errors.encrypted_reasoning_unsupported(), {"include": ["reasoning.encrypted_content"]}),
        ("reasoning.effort", errors.unsupported_parameter("reasoning.effort"), {"reasoning": {"effort": "low"}}),
    ]


@pytest.mark.parametrize("index", range(4), ids=["mcp", "code_interpreter", "include", "reasoning.effort"])
def test_the_emulators_subject_refusals_are_judged_by_param_and_code_not_wording(index):
    feature_id, refusal, body = _emulator_refusals()[index]
    error = refusal.body["error"]
    assert from_exception(api_error(refusal.status, error, body), feature_id)[0] is Verdict.UNSUPPORTED
    assert from_exception(api_error(refusal.status, {**error, "message": "reworded"}, body), feature_id)[0] is Verdict.UNSUPPORTED
    assert from_exception(api_error(refusal.status, error, body), "responses.create")[0] is Verdict.FAILED


def test_the_emulators_target_refusals_use_the_real_wording():
    from emulator.wire import errors
    for refusal in (errors.responses_api_version_too_old(), errors.v1_api_version_not_supported()):
        assert from_exception(api_error(refusal.status, refusal.body["error"], {}), "responses.create")[0] is Verdict.UNSUPPORTED


@pytest.mark.parametrize("status", [401, 403, 404, 422])
def test_a_documented_message_with_another_status_is_not_unsupported(status):
    verdict, _ = from_exception(api_error(status, {"code": "unsupported_parameter", "message": "Unsupported parameter"}))
    assert verdict is Verdict.FAILED


def test_docs_verdicts_md_is_generated_from_the_rules():
    text = verdicts_doc.DOC.read_text(encoding="utf-8")
    assert verdicts_doc.updated(text) == text, "docs/verdicts.md is stale: run python -m conformance.outcome.verdicts_doc"
    for rule in UNSUPPORTED_RULES:
        assert rule.source in text
    for feature in FEATURES.values():
        assert f"| `{feature.id}` |" in text


def test_a_connection_error_and_a_credential_error_are_inconclusive():
    from conformance.client.auth import CredentialError

    request = httpx.Request("POST", "https://RESOURCE.openai.azure.com/")
    assert from_exception(openai.APIConnectionError(request=request))[0] is Verdict.INCONCLUSIVE
    verdict, evidence = from_exception(CredentialError("no key in AZURE_OPENAI_API_KEY"))
    assert verdict is Verdict.INCONCLUSIVE and evidence.detail.startswith("setup:")


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


# --- end to end: an edited copy of a committed cassette, replayed through the whole plugin

NODE = "suites/test_tools_function.py::test_tool_choice_forces_the_named_function[v1-key-gpt-4o.swedencentral]"


def _refusing_cassettes(tmp_path: Path, param: str) -> Path:
    """A copy of NODE's committed cassette whose first answer is a documented 400 refusal of
    `param` (edited here, at run time: cassettes are never hand-written in the repository)."""
    module, name = NODE.split("::")
    source = ROOT / "cassettes" / Path(module).stem / f"{name.replace('.swedencentral]', '@swedencentral]')}.yaml"
    copy = tmp_path / "cassettes" / Path(module).stem / source.name
    copy.parent.mkdir(parents=True)
    cassette = yaml.safe_load(source.read_text(encoding="utf-8"))
    first = cassette["interactions"][0]
    assert first["request"]["uri"].endswith("/openai/v1/responses"), first["request"]["uri"]
    first["response"]["status"] = {"code": 400, "message": "Bad Request"}
    first["response"]["body"] = {"json": {"error": {
        "message": f"Unsupported parameter: '{param}' is not supported with this model.",
        "type": "invalid_request_error", "param": param, "code": "unsupported_parameter"}}}
    copy.write_text(yaml.safe_dump(cassette, sort_keys=False), encoding="utf-8")
    return copy.parent.parent


def _replay(cassettes: Path, report: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONFORMANCE_") and k != "PYTEST_ADDOPTS"}
    env.update(PYTHONPATH=str(ROOT), CONFORMANCE_CASSETTES=str(cassettes))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--rootdir={ROOT}",
               "-c", str(ROOT / "pyproject.toml"), "--report-dir", str(report), NODE]
    return forkserver.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _row(proc: subprocess.Popen, report: Path) -> tuple[int, str, dict, str]:
    out, _ = proc.communicate(timeout=300)
    rows = [r for r in json.loads((report / "compat.json").read_text())["rows"] if r["feature"] == "tools.function"]
    assert len(rows) == 1, out[-3000:]
    return proc.returncode, rows[0]["verdict"], rows[0]["evidence"], out


def test_a_cassette_edited_to_refuse_max_output_tokens_replays_as_failed(tmp_path):
    other = _replay(_refusing_cassettes(tmp_path / "other", "max_output_tokens"), tmp_path / "other" / "report")
    # the same edit refusing the feature's own subject: the control that shows the edit is read
    own = _replay(_refusing_cassettes(tmp_path / "own", "tools[0].type"), tmp_path / "own" / "report")
    code, verdict, evidence, out = _row(other, tmp_path / "other" / "report")
    assert (code, verdict) == (1, "failed"), evidence
    why = "refused max_output_tokens, which is not what tools.function is about"
    assert why in evidence["detail"] and f"failed: {why}" in out, out[-3000:]
    code, verdict, evidence, _ = _row(own, tmp_path / "own" / "report")
    assert (code, verdict) == (0, "unsupported"), evidence
    assert "tool:function" in evidence["detail"]
