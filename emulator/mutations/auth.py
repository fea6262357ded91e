"""Auth bugs: keys and Entra tokens checked too little, or too much."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import jwt

from emulator.wire import errors
from emulator.mutations.base import Mutant, Seams, register

ENTRA = ("errors.auth", "responses.create")


class LaxTokens(Mutant):
    """The emulator's token check with some of its steps left out."""

    signature = True
    audience = True
    expiry = True

    def install(self, seams: Seams) -> None:
        from emulator.gateway.auth import normalize_audience

        auth = seams.state.auth
        strict = auth.token_valid
        mutant = self

        def token_valid(token: str) -> bool:
            if strict(token):
                return True
            try:
                claims = jwt.decode(token, auth._secret, algorithms=["HS256"],
                                    options={"verify_signature": mutant.signature, "verify_exp": False,
                                             "verify_aud": False, "verify_nbf": False, "verify_iat": False})
            except jwt.PyJWTError:
                return False
            aud = claims.get("aud")
            audiences = aud if isinstance(aud, list) else [aud]
            if mutant.audience and not any(isinstance(a, str) and normalize_audience(a) in auth._audiences for a in audiences):
                return False
            exp = claims.get("exp")
            if mutant.expiry and not (isinstance(exp, (int, float)) and exp > time.time()):
                return False
            mutant.fire()  # accepted a token the real check refuses
            return True

        seams.patch(auth, "token_valid", token_valid)


@register("jwt-signature-unverified", "auth", "an Entra JWT is accepted without verifying its signature", *ENTRA)
class JwtSignatureUnverified(LaxTokens):
    signature = False


@register("jwt-audience-unchecked", "auth", "an Entra JWT for another audience is accepted", *ENTRA)
class JwtAudienceUnchecked(LaxTokens):
    audience = False


@register("jwt-anything-goes", "auth", "any JWT-shaped bearer token is accepted (no signature, audience or expiry check)",
          *ENTRA)
class JwtAnythingGoes(LaxTokens):
    signature = audience = expiry = False


@register("any-api-key-accepted", "auth", "any API key is accepted", "errors.auth", "responses.create")
class AnyApiKeyAccepted(Mutant):
    def install(self, seams: Seams) -> None:
        auth = seams.state.auth
        strict = auth.check
        mutant = self

        def check(headers: Mapping[str, str]) -> str:
            try:
                return strict(headers)
            except errors.ApiError:
                bearer = headers.get("authorization", "")
                if headers.get("api-key") or (bearer.lower().startswith("bearer ") and bearer.count(".") != 2):
                    mutant.fire()
                    return "key"
                raise

        seams.patch(auth, "check", check)


@register("bearer-key-refused", "auth", "the v1 API refuses `Authorization: Bearer <api key>` (only the api-key header works)",
          "responses.create", "errors.auth")
class BearerKeyRefused(Mutant):
    def install(self, seams: Seams) -> None:
        auth = seams.state.auth
        strict = auth.check
        mutant = self

        def check(headers: Mapping[str, str]) -> Any:
            method = strict(headers)
            if method == "key" and headers.get("api-key") is None:
                mutant.fire()
                raise errors.invalid_token()
            return method

        seams.patch(auth, "check", check)
