"""Azure response headers by operation, as real recordings show them (docs/azure-wire-details.md)."""

from __future__ import annotations

import uuid

import pytest
from emu_support import API_KEY, create

COMMON = (
    "apim-request-id",
    "x-request-id",
    "x-ms-region",
    "strict-transport-security",
    "x-content-type-options",
)
RATE_LIMIT = (
    "x-ratelimit-limit-requests",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-tokens",
)
V1_CREATE = (
    "x-ratelimit-key",
    "x-ratelimit-renewalperiod-requests",
    "x-ratelimit-renewalperiod-tokens",
    "x-ratelimit-reset-requests",
    "x-ratelimit-reset-tokens",
    "x-ms-is-spilled-over",
)


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("POST", "/openai/v1/responses", {"api-key": API_KEY}, 200),
        ("POST", "/openai/v1/responses", {"api-key": "bad"}, 401),
        ("POST", "/openai/responses?api-version=2024-10-21", {"api-key": API_KEY}, 400),
        ("GET", "/openai/v1/responses/resp_x", {"api-key": API_KEY}, 404),
        ("GET", "/nowhere", {}, 404),
    ],
)
def test_common_headers_everywhere(anon, method, path, headers, status):
    r = anon.request(method, path, json={"model": "gpt-4o", "input": "hi"}, headers=headers)
    assert r.status_code == status
    for name in COMMON:
        assert r.headers[name], name
    uuid.UUID(r.headers["apim-request-id"])
    assert r.headers["apim-request-id"] != r.headers["x-request-id"]
    assert r.headers["x-ms-region"] == "Sweden Central"
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "server" not in r.headers
    assert "x-ms-served-model" not in r.headers  # in no public recording


def test_rate_limit_and_deployment_headers_only_on_create(client):
    made = create(client, input="hi")
    for name in (*RATE_LIMIT, *V1_CREATE, "x-ms-deployment-name"):
        assert made.headers[name], name
    assert made.headers["x-ratelimit-key"] == "gpt-4o"
    assert made.headers["x-ratelimit-renewalperiod-requests"] == "60"
    assert made.headers["x-ms-is-spilled-over"] == "false"
    got = client.get(f"/openai/v1/responses/{made.json()['id']}", headers={"x-ms-client-request-id": "abc"})
    assert got.status_code == 200
    for name in (*RATE_LIMIT, *V1_CREATE, "x-ms-deployment-name", "x-ms-client-request-id"):
        assert name not in got.headers, name
    assert "x-ratelimit-limit-requests" not in client.get("/openai/v1/models").headers


def test_dated_create_has_no_v1_rate_limit_extras(client):
    dated = create(client, v1=False, input="hi")
    assert dated.headers["x-ratelimit-remaining-tokens"]
    for name in V1_CREATE:
        assert name not in dated.headers, name


def test_stream_carries_only_the_requests_counters(client):
    r = create(client, input="hi", stream=True)
    assert r.headers["x-ratelimit-remaining-requests"]
    assert "x-ratelimit-limit-tokens" not in r.headers
    assert "x-ratelimit-remaining-tokens" not in r.headers


def test_missed_model_deployment_has_no_deployment_extras(client):
    r = client.post("/openai/v1/responses", json={"input": "hi"}, headers={"x-ms-client-request-id": "abc"})
    assert r.status_code == 400
    assert r.json() == {"error": {"message": "Missed model deployment"}}
    for name in (*RATE_LIMIT, "x-ms-deployment-name", "x-ms-client-request-id"):
        assert name not in r.headers, name


def test_v1_only_headers(client):
    v1 = create(client, input="hi")
    assert v1.headers["skip-error-remapping"] == "true"
    assert v1.headers["azureai-fe-is-streaming"] == "False"
    dated = create(client, v1=False, input="hi")
    assert "skip-error-remapping" not in dated.headers
    assert "azureai-fe-is-streaming" not in dated.headers


def test_client_request_id_echoed(client):
    r = client.post(
        "/openai/v1/responses", json={"model": "gpt-4o", "input": "hi"}, headers={"x-ms-client-request-id": "abc-123"}
    )
    assert r.headers["x-ms-client-request-id"] == "abc-123"
    assert "x-ms-client-request-id" not in create(client, input="hi").headers


def test_rate_limit_counters_move(client):
    a = create(client, input="hi").headers
    b = create(client, input="hi").headers
    assert int(b["x-ratelimit-remaining-requests"]) == int(a["x-ratelimit-remaining-requests"]) - 1
    assert int(b["x-ratelimit-remaining-tokens"]) < int(a["x-ratelimit-remaining-tokens"])
    assert int(a["x-ratelimit-limit-tokens"]) >= int(a["x-ratelimit-remaining-tokens"])


def test_region_per_resource(client):
    r = client.post("http://127.0.0.1:5002/openai/v1/responses", json={"model": "o4-mini", "input": "hi"})
    assert r.headers["x-ms-region"] == "East US 2"
    assert r.headers["x-ms-deployment-name"] == "o4-mini"
