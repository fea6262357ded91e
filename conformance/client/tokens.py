"""Forged Entra tokens: the right header and claims with a signature the issuer never made.

A service that reads a JWT's claims without verifying its signature accepts anyone who can
copy a token's payload. A made-up token with wrong claims does not show that bug (its audience
or expiry already fail), so the suite takes a real token and only spoils the signature.
"""

from __future__ import annotations

import base64


_HEADER = b'{"alg":"HS256","typ":"JWT"}'


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def with_bad_signature(token: str) -> str:
    """``token`` with every signature byte inverted, header and claims untouched.

    A token that is not a JWT (the replay placeholder) comes back as a JWT-shaped string
    whose signature is not valid for anything, so replayed requests still look like live ones.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return f"{_b64(_HEADER)}.{_b64(token.encode())}.{_b64(b'forged')}"
    header, claims, signature = parts
    try:
        raw = _unb64(signature)
    except ValueError:
        raw = signature.encode()
    forged = bytes(b ^ 0xFF for b in raw) or b"forged"
    return f"{header}.{claims}.{_b64(forged)}"
