"""Secrets recognised by where they sit in a JSON body, not by their shape.

An opaque MCP header value or a `"password"` field has no recognisable shape, but its key
says what it is. Values of credential-named keys, and every value of an MCP tool's
`headers` object, become REDACTED. Bodies that are not JSON, or hold no such key, are
returned byte for byte, so recorded bodies stay as sent.
"""

from __future__ import annotations

import json
from typing import Any

from conformance.recording.allowlists import REDACTED

# Key names (lower case, without `-` and `_`) whose values are credentials.
SECRET_KEYS: frozenset[str] = frozenset(
    {
        "apikey",
        "xapikey",
        "authorization",
        "proxyauthorization",
        "accesstoken",
        "refreshtoken",
        "idtoken",
        "bearertoken",
        "sastoken",
        "clientsecret",
        "password",
        "secret",
        "connectionstring",
        "accountkey",
        "sharedaccesskey",
        "ocpapimsubscriptionkey",
        "cookie",
        "setcookie",
        "subscriptionid",
        "xmsclientrequestid",
    }
)
SECRET_SUFFIXES: tuple[str, ...] = ("apikey", "secret", "password", "accesstoken")


def is_secret_key(name: str) -> bool:
    """Whether a JSON key names a credential (`api-key`, `client_secret`, `X-Api-Key`, ...)."""
    norm = name.lower().replace("-", "").replace("_", "")
    return norm in SECRET_KEYS or norm.endswith(SECRET_SUFFIXES)


def _redact(value: Any, *, in_tool: bool = False) -> tuple[Any, bool]:
    if isinstance(value, list):
        changed = False
        out = []
        for item in value:
            new, hit = _redact(item, in_tool=in_tool)
            out.append(new)
            changed |= hit
        return out, changed
    if not isinstance(value, dict):
        return value, False
    is_tool = in_tool or value.get("type") == "mcp"
    changed = False
    out_dict: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, (str, int, float)) and not isinstance(item, bool) and is_secret_key(key) and item != REDACTED:
            out_dict[key], changed = REDACTED, True
        elif key == "headers" and is_tool and isinstance(item, dict):
            out_dict[key] = {name: REDACTED for name in item}
            changed |= any(v != REDACTED for v in item.values())
        else:
            out_dict[key], hit = _redact(item, in_tool=is_tool or key == "tools")
            changed |= hit
    return out_dict, changed


def redact_json(data: bytes) -> bytes:
    """The body with credential-named values redacted; unchanged bytes if nothing was found."""
    head = data.lstrip()[:1]
    if head not in (b"{", b"["):
        return data
    try:
        parsed = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return data
    redacted, changed = _redact(parsed)
    if not changed:
        return data
    return json.dumps(redacted, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
