"""POST /responses: the Response object's shape, and every validation error."""

from __future__ import annotations

import re

import pytest
from emu_support import create, data_url, error_of, text_of

RESPONSE_KEYS = {
    "id", "object", "created_at", "status", "background", "completed_at", "content_filters", "error",
    "incomplete_details", "instructions", "max_output_tokens", "max_tool_calls", "model", "output",
    "parallel_tool_calls", "previous_response_id", "prompt_cache_key", "reasoning", "safety_identifier",
    "service_tier", "store", "temperature", "text", "tool_choice", "tools", "top_logprobs", "top_p",
    "truncation", "usage", "user", "metadata", "frequency_penalty", "presence_penalty",
    "prompt_cache_retention",
}  # fmt: skip


def test_response_shape_v1(client):
    r = create(client, input="Tell me about lighthouses", metadata={"k": "v"}, user="u1", instructions="Be brief.")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == RESPONSE_KEYS
    assert "output_text" not in body
    assert re.fullmatch(r"resp_[0-9a-f]{50}", body["id"])
    assert body["object"] == "response"
    # Integers in every real body (docs/azure-wire-details.md), never floats such as 1741369938.0.
    assert type(body["created_at"]) is int and body["created_at"] == body["completed_at"]
    assert body["frequency_penalty"] == 0.0 and body["presence_penalty"] == 0.0
    assert body["prompt_cache_retention"] is None
    assert body["text"] == {"format": {"type": "text"}, "verbosity": "medium"}
    assert body["status"] == "completed"
    assert body["error"] is None and body["incomplete_details"] is None
    assert body["model"] == "gpt-4o"
    assert body["instructions"] == "Be brief."
    assert body["metadata"] == {"k": "v"} and body["user"] == "u1"
    assert body["reasoning"] == {"effort": None, "summary": None}
    assert body["tool_choice"] == "auto" and body["tools"] == []
    assert body["truncation"] == "disabled" and body["store"] is True and body["background"] is False
    assert body["service_tier"] == "default" and body["parallel_tool_calls"] is True
    [message] = body["output"]
    assert re.fullmatch(r"msg_[0-9a-f]{50}", message["id"])
    assert message["type"] == "message" and message["role"] == "assistant" and message["status"] == "completed"
    [part] = message["content"]
    assert part["type"] == "output_text" and part["annotations"] == [] and part["logprobs"] == []
    assert "lighthouses" in part["text"]
    usage = body["usage"]
    assert usage["input_tokens_details"] == {"cached_tokens": 0}
    assert usage["output_tokens_details"] == {"reasoning_tokens": 0}
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    filters = body["content_filters"]
    assert [f["source_type"] for f in filters] == ["prompt", "completion"]
    assert all(f["blocked"] is False for f in filters)
    assert filters[0]["content_filter_results"]["jailbreak"] == {"filtered": False, "detected": False}
    assert filters[1]["content_filter_results"]["protected_material_code"] == {"filtered": False, "detected": False}
    assert all(v.get("severity", "safe") == "safe" for f in filters for v in f["content_filter_results"].values())


def test_content_filters_null_on_dated(client):
    body = create(client, v1=False, input="hi").json()
    assert body["content_filters"] is None


def test_echoes_request_fields(client):
    tools = [{"type": "function", "name": "f", "parameters": {"type": "object", "properties": {}}}]
    body = create(
        client,
        input="hi",
        temperature=0.2,
        top_p=0.5,
        tools=tools,
        tool_choice="none",
        parallel_tool_calls=False,
        truncation="auto",
        text={"format": {"type": "json_object"}},
        include=["message.output_text.logprobs"],
        max_output_tokens=500,
    ).json()
    assert body["temperature"] == 0.2 and body["top_p"] == 0.5
    assert body["tools"] == [{**tools[0], "description": None, "strict": True}] and body["tool_choice"] == "none" and body["parallel_tool_calls"] is False
    assert body["truncation"] == "auto" and body["text"] == {"format": {"type": "json_object"}, "verbosity": "medium"}
    assert body["max_output_tokens"] == 500


def test_max_output_tokens_truncates(client):
    body = create(client, input="Write a long essay about the history of sailing ships", max_output_tokens=16).json()
    assert body["status"] == "incomplete"
    assert body["incomplete_details"] == {"reason": "max_output_tokens"}
    assert body["output"][0]["status"] == "incomplete"
    assert body["usage"]["output_tokens"] == 16
    assert body["completed_at"] is None


def test_deterministic_text(client):
    a = text_of(create(client, input="Describe the moon").json())
    b = text_of(create(client, input="Describe the moon").json())
    assert a == b


def test_reasoning_deployment(client):
    body = create(client, model="o4-mini", input="Why is the sky blue?", reasoning={"summary": "auto"}).json()
    assert body["reasoning"] == {"effort": "medium", "summary": "auto"}
    reasoning, message = body["output"]
    assert reasoning["type"] == "reasoning" and reasoning["id"].startswith("rs_")
    assert reasoning["summary"][0]["type"] == "summary_text"
    assert message["type"] == "message"
    details = body["usage"]["output_tokens_details"]
    assert details["reasoning_tokens"] > 0
    assert body["usage"]["output_tokens"] > details["reasoning_tokens"]


def test_reasoning_summary_gated_on_2025_03(client):
    r = client.post(
        "/openai/responses?api-version=2025-03-01-preview",
        json={"model": "o4-mini", "input": "hi", "reasoning": {"summary": "auto"}},
    )
    assert r.json()["output"][0]["summary"] == []


def test_store_false_is_not_retrievable(client):
    body = create(client, input="hi", store=False).json()
    assert body["store"] is False
    assert client.get(f"/openai/v1/responses/{body['id']}").status_code == 404


def test_model_and_deployment_headers(client):
    r = create(client, model="gpt-4.1", input="hi")
    assert r.json()["model"] == "gpt-4.1"
    assert r.headers["x-ms-deployment-name"] == "gpt-4.1"
    assert "x-ms-served-model" not in r.headers


def test_message_item_inputs(client):
    items = [
        {"role": "system", "content": "You are terse."},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "first"}]},
        {
            "id": "msg_" + "a" * 48,
            "type": "message",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": "ok", "annotations": [], "logprobs": []}],
        },
        {
            "role": "user",
            "content": [
                {"type": "input_text", "text": "What is in this image?"},
                {"type": "input_image", "image_url": data_url(), "detail": "low"},
            ],
        },
    ]
    r = create(client, input=items)
    assert r.status_code == 200, r.text
    assert r.json()["usage"]["input_tokens"] >= 85


# --- errors ------------------------------------------------------------------------------


def test_missing_model(client):
    r = client.post("/openai/v1/responses", json={"input": "hi"})
    assert r.status_code == 400
    assert r.json() == {"error": {"message": "Missed model deployment"}}


def test_unknown_deployment(client):
    r = create(client, model="gpt-9", input="hi")
    assert r.status_code == 404
    assert error_of(r) == {
        "code": "DeploymentNotFound",
        "message": "The API deployment for this resource does not exist. If you created the deployment within the "
        "last 5 minutes, please wait a moment and try again.",
    }
    assert "x-ms-deployment-name" not in r.headers


def test_deployment_of_other_resource_is_not_found(client):
    assert create(client, model="gpt-image-1", input="hi").status_code == 400  # exists on swc
    r = client.post("http://127.0.0.1:5002/openai/v1/responses", json={"model": "gpt-image-1", "input": "hi"})
    assert r.status_code == 404


def test_image_deployment_cannot_serve_responses(client):
    r = create(client, model="gpt-image-1", input="hi")
    assert error_of(r)["code"] == "OperationNotSupported"


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b'{"model": "gpt-4o", "input": "x", "temperature": NaN}'])
def test_malformed_json(client, raw):
    r = client.post("/openai/v1/responses", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    err = error_of(r)
    assert err["type"] == "invalid_request_error" and err["param"] is None and err["code"] is None
    assert "could not parse the JSON body" in err["message"]


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"text"', b"3", b"null"])
def test_body_not_an_object(client, raw):
    r = client.post("/openai/v1/responses", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    err = error_of(r)
    assert err["type"] == "invalid_request_error" and err["code"] == "invalid_type"


def test_unknown_parameter(client):
    r = create(client, input="hi", foo=1)
    assert r.status_code == 400
    assert error_of(r) == {
        "message": "Unknown parameter: 'foo'.",
        "type": "invalid_request_error",
        "param": "foo",
        "code": "unknown_parameter",
    }


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({"input": 5}, "input", "invalid_type"),
        ({}, "input", "missing_required_parameter"),
        ({"input": "hi", "model": 5}, "model", "invalid_type"),
        ({"input": [5]}, "input[0]", "invalid_type"),
        ({"input": [{"content": "x"}]}, "input[0].role", "missing_required_parameter"),
        ({"input": [{"role": "robot", "content": "x"}]}, "input[0].role", "invalid_value"),
        ({"input": [{"role": "user"}]}, "input[0].content", "missing_required_parameter"),
        ({"input": [{"role": "user", "content": 3}]}, "input[0].content", "invalid_type"),
        ({"input": [{"role": "user", "content": [{"type": "bogus"}]}]}, "input[0].content[0].type", "invalid_value"),
        ({"input": [{"role": "user", "content": [{"type": "input_text"}]}]}, "input[0].content[0].text", "missing_required_parameter"),
        ({"input": [{"role": "user", "content": [{"type": "input_image"}]}]}, "input[0].content[0].image_url", "missing_required_parameter"),
        ({"input": [{"type": "nope"}]}, "input[0].type", "invalid_value"),
        ({"input": [{"role": "user", "content": "x", "id": 5}]}, "input[0].id", "invalid_type"),
        ({"input": [{"role": "user", "content": "x", "status": "done"}]}, "input[0].status", "invalid_value"),
        ({"input": [{"type": "function_call_output", "output": "x"}]}, "input[0].call_id", "missing_required_parameter"),
        ({"input": "hi", "max_output_tokens": "10"}, "max_output_tokens", "invalid_type"),
        ({"input": "hi", "max_output_tokens": 20.5}, "max_output_tokens", "invalid_type"),
        ({"input": "hi", "max_output_tokens": True}, "max_output_tokens", "invalid_type"),
        ({"input": "hi", "max_output_tokens": 15}, "max_output_tokens", "integer_below_min_value"),
        ({"input": "hi", "temperature": 3}, "temperature", "decimal_above_max_value"),
        ({"input": "hi", "temperature": "hot"}, "temperature", "invalid_type"),
        ({"input": "hi", "top_p": -1}, "top_p", "decimal_below_min_value"),
        ({"input": "hi", "store": "yes"}, "store", "invalid_type"),
        ({"input": "hi", "instructions": 1}, "instructions", "invalid_type"),
        ({"input": "hi", "metadata": []}, "metadata", "invalid_type"),
        ({"input": "hi", "metadata": {"a": 1}}, "metadata.a", "invalid_type"),
        ({"input": "hi", "metadata": {str(i): "v" for i in range(17)}}, "metadata", "object_above_max_properties"),
        ({"input": "hi", "tools": {}}, "tools", "invalid_type"),
        ({"input": "hi", "tools": [{}]}, "tools[0].type", "missing_required_parameter"),
        ({"input": "hi", "tool_choice": "sometimes"}, "tool_choice", "invalid_value"),
        ({"input": "hi", "truncation": "maybe"}, "truncation", "invalid_value"),
        ({"input": "hi", "include": ["nope"]}, "include[0]", "invalid_value"),
        ({"input": "hi", "text": {"format": {"type": "xml"}}}, "text.format.type", "invalid_value"),
        ({"input": "hi", "text": {"format": {"type": "json_schema", "name": "x"}}}, "text.format.schema", "missing_required_parameter"),
        ({"input": "hi", "reasoning": {"effort": "huge"}}, "reasoning.effort", "invalid_value"),
        ({"input": "hi", "reasoning": {"effort": "low"}}, "reasoning.effort", "unsupported_parameter"),
        ({"input": "hi", "background": True, "store": False}, "store", None),
        ({"input": "hi", "previous_response_id": 7}, "previous_response_id", "invalid_type"),
    ],
)  # fmt: skip
def test_validation_errors(client, body, param, code):
    body.setdefault("model", "gpt-4o")
    r = client.post("/openai/v1/responses", json=body)
    assert r.status_code == 400, r.text
    err = error_of(r)
    assert err["type"] == "invalid_request_error"
    assert (err["param"], err["code"]) == (param, code)
    assert err["message"]


def test_wrong_type_message_wording(client):
    err = error_of(create(client, input="hi", max_output_tokens="10"))
    assert err["message"] == "Invalid type for 'max_output_tokens': expected an integer, but got a string instead."
    err = error_of(create(client, input="hi", max_output_tokens=5))
    assert err["message"] == (
        "Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 5 instead."
    )


@pytest.mark.parametrize("param", ["temperature", "top_p"])
def test_reasoning_model_rejects_sampling_params(client, param):
    r = create(client, model="o4-mini", input="hi", **{param: 1})
    assert r.status_code == 400
    assert error_of(r) == {
        "message": f"Unsupported parameter: '{param}' is not supported with this model.",
        "type": "invalid_request_error",
        "param": param,
        "code": "unsupported_parameter",
    }


def test_previous_response_not_found(client):
    r = create(client, input="hi", previous_response_id="resp_" + "0" * 48)
    assert r.status_code == 400
    assert error_of(r) == {
        "message": f"Previous response with id 'resp_{'0' * 48}' not found.",
        "type": "invalid_request_error",
        "param": "previous_response_id",
        "code": "previous_response_not_found",
    }


def test_null_optional_fields_are_defaults(client):
    r = create(client, input="hi", instructions=None, temperature=None, max_output_tokens=None, metadata=None)
    assert r.status_code == 200
    body = r.json()
    assert body["temperature"] == 1.0 and body["metadata"] == {} and body["max_output_tokens"] is None


def test_unexpected_exception_is_azure_500_and_logged(client, monkeypatch, caplog):
    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr("emulator.api.responses.execute", boom)
    with caplog.at_level("ERROR", logger="emulator"):
        r = create(client, input="hi")
    assert r.status_code == 500
    err = error_of(r)
    assert err["type"] == "server_error" and "Sorry about that" in err["message"]
    assert r.headers["apim-request-id"] and r.headers["x-ms-deployment-name"] == "gpt-4o"
    assert "kaboom" in caplog.text
