"""Requests that mint credentials: never recorded, whatever else they carry.

A token response is a secret in itself, and replaying one would be meaningless.
"""

from __future__ import annotations

from urllib.parse import urlsplit

IDENTITY_HOSTS: frozenset[str] = frozenset(
    {
        "login.microsoftonline.com",
        "login.microsoftonline.us",
        "login.chinacloudapi.cn",
        "login.windows.net",
        "169.254.169.254",  # instance metadata service
    }
)

IDENTITY_PATH_PARTS: tuple[str, ...] = (
    "/msi/token",
    "/metadata/identity/",
    "/oauth2/token",
    "/oauth2/v2.0/token",
    "/oauth2/v2.0/devicecode",
    "/oauth2/devicecode",
)


def is_identity_request(uri: str) -> bool:
    """Whether the URI is a token/identity endpoint (managed identity, Entra, IMDS)."""
    parts = urlsplit(uri)
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    return host in IDENTITY_HOSTS or any(part in path for part in IDENTITY_PATH_PARTS)
