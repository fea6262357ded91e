"""Credentials for a target: API keys from the environment, Entra tokens from azure-identity.

Three sources, one per way the suite runs:
- replay: a fixed fake key and token, no identity traffic at all;
- the embedded emulator: its key, and Entra through azure-identity's managed-identity path
  (App Service protocol) to the emulator's own token endpoint;
- real Azure: the key from the variable the target names, Entra by DefaultAzureCredential.
Every key and token handed out is reported to `on_secret`, so cassette scrubbing knows it.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Optional

from conformance.model.targets import Target

#: What replayed requests carry. Distinctive, so a test can prove it never reaches a cassette.
FAKE_KEY = "replay0000000000000000000000key0"
FAKE_TOKEN = "replay-entra-token"

#: A scope every Entra identity can get a token for and no Azure OpenAI resource accepts (Azure
#: Resource Manager): a genuinely signed token for the wrong audience, which only a service that
#: checks `aud` refuses (a made-up one fails its signature check first).
OTHER_AUDIENCE_SCOPE = "https://management.azure.com/.default"

SecretSink = Callable[[str], None]
SyncTokenProvider = Callable[[], str]
AsyncTokenProvider = Callable[[], Awaitable[str]]


class CredentialError(Exception):
    """A credential the run needs is missing; the message names the fix."""


@dataclass(frozen=True)
class EmulatorIdentity:
    """The emulator's managed-identity endpoint (App Service protocol)."""

    endpoint: str
    header: str


def _ignore(_: str) -> None:
    return None


def api_key(target: Target, environ: Optional[dict[str, str]] = None) -> str:
    """The key a real target's environment variable holds."""
    env = os.environ if environ is None else environ
    value = env.get(target.key_env, "").strip()
    if not value:
        if target.provider == "openai":
            raise CredentialError(
                f"resource {target.resource!r} (provider 'openai') needs an OpenAI API key: export "
                f"{target.key_env}=sk-... (platform.openai.com, API keys; the targets file's key_env names the variable)"
            )
        raise CredentialError(
            f"resource {target.resource!r} uses key auth but the environment variable {target.key_env} "
            f"is not set: export {target.key_env}=<the resource's key> "
            "(the targets file's key_env names the variable)"
        )
    return value


#: What a compatible server without a key (key_env unset) is sent: the SDK needs some key.
NO_KEY = "no-key"


def key_for(target: Target, environ: Optional[dict[str, str]] = None) -> str:
    """The key for a real target; a compatible server named without `key_env` takes none."""
    if target.provider == "compatible" and not target.key_env:
        return NO_KEY
    return api_key(target, environ)


#: What azure-identity's EnvironmentCredential reads for a service principal.
SERVICE_PRINCIPAL_ENV = ("AZURE_CLIENT_ID", "AZURE_TENANT_ID")
SP_CREDENTIAL_ENV = ("AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH")


def _credential_hint(exc: Exception) -> CredentialError:
    """The fix for a token that could not be had: depends on which credential was configured."""
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if all(os.environ.get(v) for v in SERVICE_PRINCIPAL_ENV) and any(os.environ.get(v) for v in SP_CREDENTIAL_ENV):
        # `az login` would not help: the service principal is the credential in use.
        authority = os.environ.get("AZURE_AUTHORITY_HOST") or "https://login.microsoftonline.com"
        return CredentialError(
            f"the service principal set in the environment (AZURE_CLIENT_ID={os.environ['AZURE_CLIENT_ID']}) "
            f"got no Entra token: check that {authority} is reachable from here (proxy, firewall, "
            "AZURE_AUTHORITY_HOST) and that AZURE_TENANT_ID and the secret or certificate are right. "
            f"azure-identity said: {first_line}"
        )
    return CredentialError(
        "no Microsoft Entra credential is available: run `az login` (or set AZURE_CLIENT_ID, "
        f"AZURE_TENANT_ID and AZURE_CLIENT_SECRET for a service principal). azure-identity said: {first_line}"
    )


def entra_provider(
    target: Target,
    *,
    identity: Optional[EmulatorIdentity],
    on_secret: SecretSink = _ignore,
    scope: Optional[str] = None,
) -> SyncTokenProvider:
    """A sync bearer-token provider for `target` (its `entra_scope`, or `scope`), through azure-identity."""
    from azure.core.exceptions import ClientAuthenticationError
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential, get_bearer_token_provider

    credential = ManagedIdentityCredential() if identity else DefaultAzureCredential()
    inner = get_bearer_token_provider(credential, scope or target.entra_scope)

    def provider() -> str:
        try:
            token = inner()
        except ClientAuthenticationError as exc:
            raise _credential_hint(exc) from None
        on_secret(token)
        return token

    return provider


def async_entra_provider(
    target: Target,
    *,
    identity: Optional[EmulatorIdentity],
    on_secret: SecretSink = _ignore,
    scope: Optional[str] = None,
) -> AsyncTokenProvider:
    """The async twin of `entra_provider`, on azure.identity.aio."""
    from azure.core.exceptions import ClientAuthenticationError
    from azure.identity.aio import DefaultAzureCredential, ManagedIdentityCredential, get_bearer_token_provider

    credential = ManagedIdentityCredential() if identity else DefaultAzureCredential()
    inner = get_bearer_token_provider(credential, scope or target.entra_scope)

    async def provider() -> str:
        try:
            token = await inner()
        except ClientAuthenticationError as exc:
            raise _credential_hint(exc) from None
        on_secret(token)
        return token

    return provider


def fake_provider() -> SyncTokenProvider:
    return lambda: FAKE_TOKEN


def async_fake_provider() -> AsyncTokenProvider:
    async def provider() -> str:
        return FAKE_TOKEN

    return provider
