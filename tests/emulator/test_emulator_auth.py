"""API keys, bearer keys, emulator-minted tokens and the managed-identity endpoint."""

from __future__ import annotations

import pytest
from emu_support import API_KEY, error_of

from emulator.gateway.auth import Authenticator, normalize_audience

BODY = {"model": "gpt-4o", "input": "hi"}
BAD_KEY = {
    "code": "401",
    "message": "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid "
    "key for an active subscription and use a correct regional API endpoint for your resource.",
}
BAD_TOKEN = {
    "code": "401",
    "message": "Unauthorized. Access token is missing, invalid, audience is incorrect "
    "(https://cognitiveservices.azure.com), or have expired.",
}


def token_for(anon, resource: str) -> str:
    r = anon.get(
        "/msi/token",
        params={"api-version": "2019-08-01", "resource": resource},
        headers={"X-IDENTITY-HEADER": "id-secret"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["resource"] == resource
    assert isinstance(body["expires_on"], str) and body["expires_on"].isdigit()
    return body["access_token"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "headers",
    [
        {"api-key": API_KEY},
        {"Authorization": f"Bearer {API_KEY}"},
        {"api-key": API_KEY, "Authorization": f"Bearer {API_KEY}"},  # what AzureOpenAI sends
    ],
)
def test_key_auth_forms(anon, headers):
    assert anon.post("/openai/v1/responses", json=BODY, headers=headers).status_code == 200


@pytest.mark.parametrize("headers", [{"api-key": "wrong"}, {"Authorization": "Bearer wrong"}])
def test_wrong_key_is_401(anon, headers):
    r = anon.post("/openai/v1/responses", json=BODY, headers=headers)
    assert r.status_code == 401
    assert error_of(r) == BAD_KEY
    assert r.headers["apim-request-id"]


def test_missing_credentials_is_401(anon):
    r = anon.get("/openai/v1/models")
    assert r.status_code == 401
    assert error_of(r)["code"] == "401"


@pytest.mark.parametrize(
    "resource",
    [
        "https://cognitiveservices.azure.com",
        "https://cognitiveservices.azure.com/",
        "https://cognitiveservices.azure.com/.default",
        "https://ai.azure.com",
        "https://ai.azure.com/.default",
    ],
)
def test_minted_token_is_accepted(anon, resource):
    token = token_for(anon, resource)
    r = anon.post("/openai/v1/responses", json=BODY, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    # cached verification path
    assert anon.get("/openai/v1/models", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_wrong_audience_is_401(anon):
    token = token_for(anon, "https://management.azure.com")
    r = anon.post("/openai/v1/responses", json=BODY, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert error_of(r) == BAD_TOKEN


def test_expired_token_is_401(state, anon):
    token, _ = state.auth.mint("https://cognitiveservices.azure.com", lifetime=-10)
    r = anon.get("/openai/v1/models", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert error_of(r) == BAD_TOKEN


def test_foreign_signature_is_401(anon):
    other = Authenticator("other-key")
    token, _ = other.mint("https://cognitiveservices.azure.com")
    r = anon.get("/openai/v1/models", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert error_of(r) == BAD_TOKEN


def test_non_bearer_scheme_is_401(anon):
    r = anon.get("/openai/v1/models", headers={"Authorization": f"Basic {API_KEY}"})
    assert r.status_code == 401


def test_cached_token_expires():
    auth = Authenticator("k")
    token, _ = auth.mint("https://ai.azure.com", lifetime=60, now=0)  # long expired
    assert not auth.token_valid(token)
    fresh, _ = auth.mint("https://ai.azure.com")
    assert auth.token_valid(fresh) and auth.token_valid(fresh)
    auth._verified[fresh] = 0.0  # simulate expiry after caching
    assert not auth.token_valid(fresh)


def test_normalize_audience():
    assert normalize_audience("https://ai.azure.com/.default") == "https://ai.azure.com"
    assert normalize_audience("https://ai.azure.com/") == "https://ai.azure.com"


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [
        ({"api-version": "2019-08-01", "resource": "https://ai.azure.com"}, {}, 401),
        ({"api-version": "2019-08-01", "resource": "https://ai.azure.com"}, {"X-IDENTITY-HEADER": "nope"}, 401),
        ({"resource": "https://ai.azure.com"}, {"X-IDENTITY-HEADER": "id-secret"}, 400),
        ({"api-version": "2019-08-01"}, {"X-IDENTITY-HEADER": "id-secret"}, 400),
    ],
)
def test_identity_endpoint_errors(anon, params, headers, status):
    r = anon.get("/msi/token", params=params, headers=headers)
    assert r.status_code == status
    assert r.json()["statusCode"] == status
    assert "access_token" not in r.json()
