"""Scrubbing: no secret, host or secret-shaped value survives into the YAML text."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from vcr.request import Request
from vcr.serialize import deserialize, serialize

from conformance.recording import PLACEHOLDER_BASE, Scrubber, find_secret_shaped, serializer, set_provenance, vcr_config

KEY = "3f9a1c0e5b7d2468ace013579bdf2468"
JWT = (
    "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiJjb25mb3JtYW5jZSIsImF1ZCI6Imh0dHBzOi8vY29nbml0aXZlc2VydmljZXMifQ"
    ".c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU"
)
SIG = "Zm9vYmFyYmF6cXV4%2BsEcReT%3D"
SAS = f"sv=2023-01-03&se=2030-01-01&sr=b&sp=r&sig={SIG}"
HOST = "contoso-eastus2.openai.azure.com"
OTHER_HOST = "fabrikam.cognitiveservices.azure.com"
SUBSCRIPTION = "12345678-9abc-def0-1234-56789abcdef0"
EMULATOR = "http://127.0.0.1:54321"
LATE_TOKEN = "late-minted-opaque-token-0123456789"

LEAKS = (KEY, JWT, SIG, "sBcReT", "contoso", "fabrikam", SUBSCRIPTION, "127.0.0.1", "54321", LATE_TOKEN)


@pytest.fixture(autouse=True)
def no_provenance() -> Iterator[None]:
    previous = set_provenance(None)
    yield
    set_provenance(previous)


@pytest.fixture
def scrubber() -> Scrubber:
    return Scrubber(api_keys=[KEY], tokens=[JWT], base_urls=[EMULATOR, f"https://{HOST}"])


def leaky_request(base: str = EMULATOR) -> Request:
    body = {
        "model": "gpt-4o",
        "input": f"my key is {KEY} and my token {JWT}",
        "tools": [{"type": "mcp", "server_url": f"https://{HOST}/mcp?{SAS}", "headers": {"Authorization": f"Bearer {LATE_TOKEN}"}}],
        "metadata": {"arm": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg", "other": f"https://{OTHER_HOST}/x"},
    }
    return Request(
        "POST",
        f"{base}/openai/v1/responses?api-version=preview&api-key={KEY}&token={JWT}&include[]=file_search_call.results",
        json.dumps(body).encode(),
        {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "api-key": KEY,
            "Authorization": f"Bearer {JWT}",
            "Cookie": "session=abc",
            "x-ms-client-request-id": "11111111-2222-3333-4444-555555555555",
            "User-Agent": "OpenAI/Python 3.57.0",
            "X-Stainless-Os": "Linux",
            "openai-beta": "responses=v1",
        },
    )


def leaky_json_response() -> dict[str, Any]:
    error = {
        "error": {
            "message": f"Incorrect API key provided: {KEY}. Token {JWT} rejected by {HOST}; see {EMULATOR}/docs",
            "sas": f"https://store.blob.core.windows.net/c/f.jsonl?{SAS}",
        }
    }
    return {
        "status": {"code": 401, "message": "Unauthorized"},
        "headers": {
            "Content-Type": ["application/json"],
            "Set-Cookie": ["ARRAffinity=abc", "other=def"],
            "openai-organization": ["org-secret"],
            "x-ms-client-request-id": ["11111111-2222-3333-4444-555555555555"],
            "x-request-id": ["req_123"],
            "apim-request-id": ["apim-1"],
            "x-ratelimit-remaining-tokens": ["999"],
            "www-authenticate": [f"Bearer authorization_uri=https://login.microsoftonline.com/{SUBSCRIPTION}"],
        },
        "body": {"string": json.dumps(error).encode()},
    }


def leaky_sse_response() -> dict[str, Any]:
    events = (
        f'event: response.output_text.delta\ndata: {{"delta":"see https://{HOST}/openai and {EMULATOR}/v1"}}\n\n'
        f'event: error\ndata: {{"message":"bad key {KEY} / Bearer {LATE_TOKEN} / sig={SIG}"}}\n\n'
    )
    return {
        "status": {"code": 200, "message": "OK"},
        "headers": {"content-type": ["text/event-stream"], "x-ms-region": ["East US 2"]},
        "body": {"string": events.encode()},
    }


def record(scrubber: Scrubber, pairs: list[tuple[Request, dict[str, Any]]]) -> str:
    """Scrub like vcrpy's hooks do, then serialize with vcrpy's own save path."""
    requests, responses = [], []
    for request, response in pairs:
        scrubbed = scrubber.scrub_request(copy.deepcopy(request))
        assert scrubbed is not None
        requests.append(scrubbed)
        responses.append(scrubber.scrub_response(copy.deepcopy(response)))
    return serialize({"requests": requests, "responses": responses}, serializer)


def assert_clean(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, leak
    assert find_secret_shaped(text) == []


def test_nothing_secret_survives_serialization(scrubber: Scrubber) -> None:
    scrubber.add_token(LATE_TOKEN)  # minted while the test ran
    text = record(scrubber, [(leaky_request(), leaky_json_response()), (leaky_request(f"https://{HOST}"), leaky_sse_response())])
    assert_clean(text)
    for interaction in yaml.safe_load(text)["interactions"]:
        assert set(interaction["request"]["headers"]) == {"content-type", "accept", "openai-beta"}
        assert set(interaction["response"]["headers"]) <= {"content-type", "x-request-id", "apim-request-id",
                                                          "x-ratelimit-remaining-tokens", "x-ms-region"}
    for value in ("session=abc", "ARRAffinity", "org-secret", "11111111-2222", "OpenAI/Python", "Linux"):
        assert value not in text, value
    # What a reviewer needs is still there.
    for kept in ("api-version=preview", "include[]=file_search_call.results", "api-key=REDACTED", "token=REDACTED",
                 "openai-beta: responses=v1", "x-request-id: req_123", "apim-request-id: apim-1",
                 "x-ratelimit-remaining-tokens: '999'", "x-ms-region: East US 2", "<API_KEY>", "<TOKEN>",
                 "sig=REDACTED", "/subscriptions/00000000-0000-0000-0000-000000000000", "RESOURCE.cognitiveservices.azure.com",
                 f"{PLACEHOLDER_BASE}/openai/v1/responses?", f"{PLACEHOLDER_BASE}/docs", "sse: |"):
        assert kept in text, kept


def test_secret_shapes_are_caught_without_being_told(scrubber: Scrubber) -> None:
    unknown = Scrubber()
    text = record(unknown, [(leaky_request(f"https://{HOST}"), leaky_json_response())])
    for leak in (JWT, SIG, "contoso", "fabrikam", SUBSCRIPTION, KEY):
        assert leak not in text, leak
    assert find_secret_shaped(text) == []


def test_scrubbing_is_idempotent_and_deterministic(scrubber: Scrubber) -> None:
    pairs = [(leaky_request(), leaky_json_response()), (leaky_request(), leaky_sse_response())]
    first = record(scrubber, pairs)
    assert record(scrubber, pairs) == first
    # vcrpy runs the hooks again on every interaction it loads
    requests, responses = deserialize(first, serializer)[:2]
    assert record(scrubber, list(zip(requests, responses))) == first


def test_identity_requests_are_not_recorded(scrubber: Scrubber) -> None:
    for uri in (
        "http://127.0.0.1:54321/msi/token?resource=https://cognitiveservices.azure.com&api-version=2019-08-01",
        "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01",
        "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
    ):
        assert scrubber.scrub_request(Request("POST", uri, b"", {})) is None


def test_multipart_boundary_is_made_stable(scrubber: Scrubber) -> None:
    def upload(boundary: str) -> Request:
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n{{\"key\": \"{KEY}\"}}\r\n--{boundary}--\r\n")
        return Request("POST", f"{EMULATOR}/openai/v1/files", body.encode(),
                       {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    one = scrubber.scrub_request(upload("a1b2c3"))
    two = scrubber.scrub_request(upload("ffee99"))
    assert one is not None and two is not None
    assert one.body == two.body and one.headers == two.headers
    assert KEY.encode() not in one.body


def test_short_secrets_are_ignored_to_protect_bodies() -> None:
    scrubber = Scrubber(api_keys=["test"])
    assert scrubber.scrub_text("a test body") == "a test body"


def test_vcr_config_survives_deepcopy_and_sees_late_tokens(scrubber: Scrubber) -> None:
    config = copy.deepcopy(vcr_config(scrubber))  # pytest-recording deep-copies vcr_config
    scrubber.add_token(LATE_TOKEN)
    request = config["before_record_request"](leaky_request())
    assert LATE_TOKEN.encode() not in request.body
    assert config["serializer"] == "conformance"
    assert config["path_transformer"]("cassettes/x/test_a[emulator]") == "cassettes/x/test_a[emulator].yaml"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("https://my-res.openai.azure.com/openai", "https://RESOURCE.openai.azure.com/openai"),
        ("host: proj-a.services.ai.azure.com", "host: RESOURCE.services.ai.azure.com"),
        ("eastus2.api.cognitive.microsoft.com/sts", "RESOURCE.api.cognitive.microsoft.com/sts"),
        ("x.cognitiveservices.azure.com", "RESOURCE.cognitiveservices.azure.com"),
        ('{"Authorization": "Bearer abc.def-ghi"}', '{"Authorization": "Bearer <TOKEN>"}'),
        (f"/subscriptions/{SUBSCRIPTION.upper()}/x", "/subscriptions/00000000-0000-0000-0000-000000000000/x"),
        (f"?sv=1&sig={SIG}&se=2", "?sv=1&sig=REDACTED&se=2"),
        (JWT, "<TOKEN>"),
        ("learn.microsoft.com and api.openai.com stay", "learn.microsoft.com and api.openai.com stay"),
    ],
)
def test_secret_shaped_patterns(text: str, expected: str) -> None:
    assert Scrubber().scrub_text(text) == expected


def test_untyped_secrets_and_hosts() -> None:
    scrubber = Scrubber(secrets=[KEY], hosts=[EMULATOR])
    scrubber.add_secret(JWT)
    scrubber.add_host(HOST)
    assert scrubber.scrub_text(f"{KEY} {JWT} {EMULATOR}/v1 {HOST}") == (
        f"<SECRET> <TOKEN> {PLACEHOLDER_BASE}/v1 RESOURCE.openai.azure.com"
    )


def test_committed_cassettes_are_fixed_points_of_the_scrubber() -> None:
    """Replay skips the scrubbing hooks for interactions loaded from cassettes
    (`mark_loaded`); that is only sound while scrubbing a committed cassette changes nothing."""
    import copy
    from pathlib import Path

    from vcr import filters
    from vcr.request import Request

    from conformance.client import auth
    from conformance.recording import serializer

    scrubber = Scrubber(secrets=[auth.FAKE_KEY, auth.FAKE_TOKEN], hosts=[])
    paths = sorted((Path(__file__).resolve().parents[2] / "cassettes").glob("*/*.yaml"))
    assert paths
    for path in paths:
        for interaction in serializer.deserialize(path.read_text())["interactions"]:
            request = Request._from_dict(copy.deepcopy(interaction["request"]))
            seen = (request.method, request.uri, request.body, dict(request.headers))
            again = scrubber.scrub_request(copy.deepcopy(request))
            assert again is not None and (again.method, again.uri, again.body, dict(again.headers)) == seen, path
            response = copy.deepcopy(interaction["response"])
            if isinstance(response["body"]["string"], str):
                response["body"]["string"] = response["body"]["string"].encode("utf-8")
            assert scrubber.scrub_response(filters.decode_response(copy.deepcopy(response))) == response, path
