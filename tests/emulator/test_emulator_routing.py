"""Paths, api-versions and the order of gateway checks (404 -> 401 -> 400)."""

from __future__ import annotations

import pytest
from emu_support import DATED, error_of

NOT_FOUND = {"code": "404", "message": "Resource not found"}
TOO_OLD = {
    "code": "BadRequest",
    "message": "Azure OpenAI Responses API is enabled only for api-version 2025-03-01-preview and later",
}
V1_UNSUPPORTED = {"code": "BadRequest", "message": "API version not supported"}
BODY = {"model": "gpt-4o", "input": "hi"}


@pytest.mark.parametrize("version", ["2025-03-01-preview", "2025-04-01-preview"])
def test_dated_versions_serve_responses(client, version):
    r = client.post(f"/openai/responses?api-version={version}", json=BODY)
    assert r.status_code == 200
    assert r.json()["object"] == "response"


@pytest.mark.parametrize("query", ["", "?api-version=v1", "?api-version=preview"])
def test_v1_accepts_absent_v1_and_preview(client, query):
    assert client.post(f"/openai/v1/responses{query}", json=BODY).status_code == 200


def test_dated_path_without_api_version_is_404(client):
    r = client.post("/openai/responses", json=BODY)
    assert r.status_code == 404
    assert error_of(r) == NOT_FOUND


@pytest.mark.parametrize("version", ["2024-10-21", "2025-01-01-preview", "2025-02-01-preview"])
def test_dated_path_with_older_version_is_400(client, version):
    r = client.post(f"/openai/responses?api-version={version}", json=BODY)
    assert r.status_code == 400
    assert error_of(r) == TOO_OLD


@pytest.mark.parametrize("version", ["garbage", "2099-01-01", "v1", "preview"])
def test_dated_path_with_unknown_version_is_404(client, version):
    r = client.get(f"/openai/responses/resp_x?api-version={version}")
    assert r.status_code == 404
    assert error_of(r) == NOT_FOUND


@pytest.mark.parametrize("version", ["2025-04-01-preview", "2024-10-21", "latest", "garbage"])
def test_v1_path_with_other_version_is_400(client, version):
    r = client.post(f"/openai/v1/responses?api-version={version}", json=BODY)
    assert r.status_code == 400
    assert error_of(r) == V1_UNSUPPORTED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/openai/v1/nothing"),
        ("POST", "/openai/v1/chat/completions"),
        ("PUT", "/openai/v1/responses"),
        ("GET", "/openai/v1/responses"),
        ("POST", "/openai/v1/responses/"),
        ("POST", "/openai/v1/responses/resp_x/cancel/now"),
        ("GET", f"/openai/deployments/gpt-4o/responses?api-version={DATED}"),
    ],
)
def test_unknown_routes_are_azure_404(anon, method, path):
    r = anon.request(method, path)
    assert r.status_code == 404
    assert error_of(r) == NOT_FOUND
    assert r.headers["content-type"] == "application/json"
    assert r.headers["apim-request-id"]


def test_route_404_comes_before_auth(anon):
    assert anon.post("/openai/responses", json=BODY).status_code == 404
    assert anon.post("/openai/responses?api-version=nope", json=BODY).status_code == 404


def test_auth_comes_before_version_400(anon):
    assert anon.post("/openai/responses?api-version=2024-10-21", json=BODY).status_code == 401
    assert anon.post("/openai/v1/responses?api-version=2024-10-21", json=BODY).status_code == 401


@pytest.mark.parametrize("url", ["/openai/v1/models", "/openai/models?api-version=2024-10-21", f"/openai/models?api-version={DATED}"])
def test_models_lists_deployments(client, url):
    r = client.get(url)
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == ["gpt-4o", "gpt-4.1", "o4-mini", "gpt-5-mini", "gpt-5.6-sol", "o3-pro", "gpt-image-1"]
    assert all(m["object"] == "model" and isinstance(m["created"], int) and m["owned_by"] for m in body["data"])


def test_models_on_second_resource(state, client):
    r = client.get("http://127.0.0.1:5002/openai/v1/models")
    assert [m["id"] for m in r.json()["data"]] == ["gpt-4o", "gpt-4.1", "o4-mini"]
    assert r.headers["x-ms-region"] == "East US 2"


def test_info_endpoint_needs_no_auth(state, anon):
    state.info.update({"api_key": "x"})
    r = anon.get("/emulator/info")
    assert r.status_code == 200
    assert r.json() == {"api_key": "x"}
