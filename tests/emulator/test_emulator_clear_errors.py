"""Asked for something it does not serve, the emulator answers as Azure does: never a 500."""

from __future__ import annotations

import pytest
from emu_support import error_of


@pytest.mark.parametrize(
    "method,url,body,status,code",
    [
        ("POST", "/openai/v1/responses", {"model": "no-such-deployment", "input": "x"}, 404, "DeploymentNotFound"),
        ("POST", "/openai/responses?api-version=2023-05-15", {"model": "gpt-4o", "input": "x"}, 400, "BadRequest"),
        ("POST", "/openai/responses?api-version=2099-01-01-preview", {"model": "gpt-4o", "input": "x"}, 404, "404"),
        ("POST", "/openai/v1/responses?api-version=2025-04-01-preview", {"model": "gpt-4o", "input": "x"}, 400, "BadRequest"),
        ("GET", "/openai/v1/no/such/route", None, 404, "404"),
        ("PATCH", "/openai/v1/responses", None, 404, "404"),
    ],
)
def test_unknown_deployment_version_or_route_is_azures_error(client, method, url, body, status, code):
    reply = client.request(method, url, json=body)
    assert reply.status_code == status, reply.text
    error = error_of(reply)
    assert error["code"] == code and error["message"]
    assert reply.headers.get("apim-request-id")
