"""Authentication: API keys and Entra-style bearer tokens minted by the emulator itself.

Azure OpenAI accepts ``api-key: <key>``, ``Authorization: Bearer <key>`` (the v1 spec's
second api-key scheme, learn.microsoft.com/azure/foundry/openai/how-to/responses) and ``Authorization: Bearer <Entra token>``. The
emulator plays Entra too: its managed-identity endpoint (:mod:`emulator.gateway.identity`) mints
HS256 JWTs with a per-process secret, and :meth:`Authenticator.check` verifies signature,
audience and expiry, so Entra tests exercise a real token round trip.
"""

from __future__ import annotations

import hmac
import os
import time
import uuid
from collections.abc import Mapping

import jwt

from emulator.wire import errors
COGNITIVE_SERVICES = "https://cognitiveservices.azure.com"
AI_AZURE = "https://ai.azure.com"
# learn.microsoft.com/azure/foundry/openai/how-to/responses: 2025 docs use the cognitiveservices scope, 2026 docs ai.azure.com.
DEFAULT_AUDIENCES = (COGNITIVE_SERVICES, AI_AZURE)

_ALGORITHM = "HS256"
_CACHE_MAX = 1024


def normalize_audience(resource: str) -> str:
    """``https://x/.default``, ``https://x/`` and ``https://x`` all name resource ``https://x``."""
    value = resource.strip()
    if value.endswith("/.default"):
        value = value[: -len("/.default")]
    return value.rstrip("/")


class Authenticator:
    """Checks request credentials; mints and verifies the emulator's own tokens."""

    def __init__(
        self,
        api_key: str,
        *,
        secret: bytes | None = None,
        audiences: tuple[str, ...] = DEFAULT_AUDIENCES,
        token_lifetime: int = 3600,
        tenant_id: str | None = None,
    ) -> None:
        self.api_key = api_key
        self._key_bytes = api_key.encode()
        self._secret = secret or os.urandom(32)
        self._audiences = frozenset(normalize_audience(a) for a in audiences)
        self.token_lifetime = token_lifetime
        self.tenant_id = tenant_id or str(uuid.uuid4())
        self.principal_id = str(uuid.uuid4())
        # Verified tokens -> expiry, so repeated requests with one token skip the HMAC work.
        self._verified: dict[str, float] = {}

    # --- minting -------------------------------------------------------------------------

    def mint(self, resource: str, *, lifetime: int | None = None, now: float | None = None) -> tuple[str, int]:
        """A signed token for ``resource`` (audience kept as asked) and its expiry (unix s)."""
        issued = int(now if now is not None else time.time())
        expires = issued + (self.token_lifetime if lifetime is None else lifetime)
        claims = {
            "aud": resource[: -len("/.default")] if resource.endswith("/.default") else resource,
            "iss": f"https://sts.windows.net/{self.tenant_id}/",
            "iat": issued,
            "nbf": issued,
            "exp": expires,
            "appid": self.principal_id,
            "idtyp": "app",
            "oid": self.principal_id,
            "sub": self.principal_id,
            "tid": self.tenant_id,
            "ver": "1.0",
        }
        return jwt.encode(claims, self._secret, algorithm=_ALGORITHM), expires

    # --- verifying -----------------------------------------------------------------------

    def token_valid(self, token: str) -> bool:
        """Signature, audience and expiry check for a bearer token."""
        now = time.time()
        cached = self._verified.get(token)
        if cached is not None:
            if cached > now:
                return True
            del self._verified[token]
            return False
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_ALGORITHM],
                options={"require": ["exp", "aud"], "verify_aud": False},
            )
        except jwt.PyJWTError:
            return False
        aud = claims.get("aud")
        audiences = aud if isinstance(aud, list) else [aud]
        if not any(isinstance(a, str) and normalize_audience(a) in self._audiences for a in audiences):
            return False
        if len(self._verified) >= _CACHE_MAX:
            self._verified.clear()
        self._verified[token] = float(claims["exp"])
        return True

    def check(self, headers: Mapping[str, str]) -> str:
        """Return the auth method used ("key" or "entra"), or raise a 401 :class:`ApiError`.

        ``api-key`` wins when present (the AzureOpenAI SDK sends it together with
        ``Authorization: Bearer <same key>``). A bearer value that is not the key is treated
        as a token when it is JWT-shaped, else as a wrong key.
        """
        key = headers.get("api-key")
        if key is not None:
            if hmac.compare_digest(key.encode(), self._key_bytes):
                return "key"
            raise errors.invalid_key()
        authorization = headers.get("authorization")
        if authorization is None:
            raise errors.missing_key()
        scheme, _, credential = authorization.partition(" ")
        credential = credential.strip()
        if scheme.lower() != "bearer" or not credential:
            raise errors.invalid_token()
        if hmac.compare_digest(credential.encode(), self._key_bytes):
            return "key"
        if credential.count(".") == 2:
            if self.token_valid(credential):
                return "entra"
            raise errors.invalid_token()
        raise errors.invalid_key()
