"""Azure response headers on every API reply, errors included."""

from __future__ import annotations

import uuid

import pytest
from emu_support import API_KEY, create

COMMON = (
    "apim-request-id",
    "x-request-id",
    "x-ms-region",
    "x-ratelimit-limit-requests",
    "x-ratelimit-remaining-requests",
    "x-ratelimit-limit-tokens",
    "x-ratelimit-remaining-tokens",
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
    assert "server" not in r.headers


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
