"""Encrypted reasoning content: opaque to clients, verifiable by the emulator that issued it.

learn.microsoft.com/azure/foundry/openai/how-to/reasoning: with ``store=false`` and ``include=["reasoning.encrypted_content"]`` the
reasoning item carries ``encrypted_content``, and the client passes the item back in the next
input. The emulator signs (HMAC-SHA256, a per-process key) rather than encrypts: what matters
for the contract is that a blob round-trips and a tampered one is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from typing import Any

_KEY = os.urandom(32)
PREFIX = "gAAAAA"
"""Real blobs are Fernet tokens, which start like this."""


def seal(payload: dict[str, Any]) -> str:
    data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    mac = hmac.new(_KEY, data, hashlib.sha256).digest()
    return PREFIX + base64.urlsafe_b64encode(mac + data).decode()


def unseal(token: object) -> dict[str, Any] | None:
    """The payload of a blob this process sealed, or None when it does not verify."""
    if not isinstance(token, str) or not token.startswith(PREFIX):
        return None
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX):].encode())
    except (ValueError, TypeError):
        return None
    mac, data = raw[:32], raw[32:]
    if not hmac.compare_digest(mac, hmac.new(_KEY, data, hashlib.sha256).digest()):
        return None
    try:
        payload = json.loads(data)
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None
