"""The managed-identity token endpoint (App Service protocol, api-version 2019-08-01).

azure-identity's ``ManagedIdentityCredential`` (sync via MSAL, async via its own client) uses
this protocol when ``IDENTITY_ENDPOINT`` and ``IDENTITY_HEADER`` are set: it sends
``GET <endpoint>?api-version=2019-08-01&resource=<aud>`` with header ``X-IDENTITY-HEADER``
and reads ``access_token``, ``expires_on`` (unix seconds, a string in App Service's answer),
``resource`` and ``token_type``. Pointing those variables at the emulator lets Entra auth run
unchanged against it.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from emulator.gateway.auth import Authenticator

API_VERSIONS = ("2019-08-01",)


def _fail(status: int, message: str) -> tuple[int, dict[str, Any]]:
    # App Service answers errors with {"statusCode", "message"}; MSAL turns a body without
    # access_token into an error result, azure-identity into ClientAuthenticationError.
    return status, {"statusCode": status, "message": message}


def issue_token(
    auth: Authenticator, identity_header: str, query: Mapping[str, str], headers: Mapping[str, str]
) -> tuple[int, dict[str, Any]]:
    """Status and JSON body for one token request."""
    sent = headers.get("x-identity-header")
    if sent is None or not hmac.compare_digest(sent.encode(), identity_header.encode()):
        return _fail(401, "Missing or invalid X-IDENTITY-HEADER.")
    version = query.get("api-version")
    if version not in API_VERSIONS:
        return _fail(400, f"Unsupported api-version {version!r}; use 2019-08-01.")
    resource = query.get("resource")
    if not resource:
        return _fail(400, "Required query parameter 'resource' is missing.")
    token, expires_on = auth.mint(resource)
    body: dict[str, Any] = {
        "access_token": token,
        "expires_on": str(expires_on),
        "resource": resource,
        "token_type": "Bearer",
        "client_id": query.get("client_id") or auth.principal_id,
    }
    return 200, body
