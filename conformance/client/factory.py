"""The client matrix: one SDK client per (api flavour, auth), sync or async.

| api   | auth  | client                                                                 |
|-------|-------|------------------------------------------------------------------------|
| dated | key   | AzureOpenAI(api_key, api_version, azure_endpoint)                      |
| dated | entra | AzureOpenAI(azure_ad_token_provider, api_version, azure_endpoint)      |
| v1    | key   | OpenAI(api_key, base_url=.../openai/v1/, default_query)               |
| v1    | entra | OpenAI(api_key=<token provider>) on SDKs >= 1.106, else                |
|       |       | AzureOpenAI(base_url, azure_ad_token_provider, api_version=<query>)    |

A Foundry project endpoint is a v1 target whose endpoint carries `/api/projects/<p>`, so the
same v1 clients serve it. `provider = "openai"` or `"compatible"`: OpenAI(api_key, base_url=
<endpoint>), the endpoint being the server's base URL with its version prefix.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Optional, Union

import openai

from conformance.model.sdk import SDK_VERSION, version_tuple
from conformance.model.targets import Target

#: openai 1.106.0 (2025-09-04): "client: support callable api_key".
CALLABLE_KEY_SDK = (1, 106, 0)

AnyClient = Union[openai.OpenAI, openai.AzureOpenAI, openai.AsyncOpenAI, openai.AsyncAzureOpenAI]


class SdkCannotExpress(Exception):
    """The installed `openai` SDK cannot build the request this target needs (verdict by: sdk)."""


@dataclass(frozen=True)
class Connection:
    """Where and how to reach a target right now (resolved endpoint and credentials)."""

    endpoint: str
    api_key: Optional[str] = None
    token_provider: Optional[Callable[[], Any]] = None
    max_retries: int = 2
    timeout: float = 60.0


@functools.lru_cache(maxsize=1)
def shared_ssl_context() -> ssl.SSLContext:
    """One TLS context for every client of the run.

    Each SDK client would otherwise load the CA bundle anew (about 0.1 s apiece), which
    dominated the offline suite's per-test cost.
    """
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def build_client(
    target: Target,
    connection: Connection,
    *,
    asynchronous: bool = False,
    default_headers: Optional[dict[str, str]] = None,
    api_version: Optional[str] = None,
) -> AnyClient:
    """The SDK client a user of this target would write, as the client matrix says.

    `api_version` overrides the target's dated version (or v1 query), for error-contract tests.
    """
    http_cls = openai.DefaultAsyncHttpxClient if asynchronous else openai.DefaultHttpxClient
    common: dict[str, Any] = {
        "max_retries": connection.max_retries,
        "timeout": connection.timeout,
        "default_headers": default_headers,
        "http_client": http_cls(verify=shared_ssl_context(), timeout=connection.timeout),
    }
    if target.provider != "azure":
        # Any Responses server: the plain OpenAI client on the server's own base URL, Bearer key,
        # no api-version (api.openai.com, vLLM, Ollama, ... serve one API).
        cls = openai.AsyncOpenAI if asynchronous else openai.OpenAI
        return cls(api_key=connection.api_key, base_url=connection.endpoint.rstrip("/") + "/", **common)
    if target.is_v1:
        return _v1_client(target, connection, asynchronous, common, api_version)
    azure_cls = openai.AsyncAzureOpenAI if asynchronous else openai.AzureOpenAI
    auth: dict[str, Any] = (
        {"api_key": connection.api_key}
        if target.auth == "key"
        else {"azure_ad_token_provider": connection.token_provider}
    )
    return azure_cls(
        azure_endpoint=connection.endpoint,
        api_version=api_version or target.api,
        **auth,
        **common,
    )


def _v1_client(
    target: Target,
    connection: Connection,
    asynchronous: bool,
    common: dict[str, Any],
    api_version: Optional[str],
) -> AnyClient:
    base_url = f"{connection.endpoint}/openai/v1/"
    query = api_version or target.api_version_query
    if target.auth == "key":
        cls = openai.AsyncOpenAI if asynchronous else openai.OpenAI
        return cls(
            api_key=connection.api_key,
            base_url=base_url,
            default_query={"api-version": query} if query else None,
            **common,
        )
    if version_tuple(SDK_VERSION) >= CALLABLE_KEY_SDK:
        cls = openai.AsyncOpenAI if asynchronous else openai.OpenAI
        return cls(
            api_key=connection.token_provider,
            base_url=base_url,
            default_query={"api-version": query} if query else None,
            **common,
        )
    if not query:
        raise SdkCannotExpress(
            f"openai {SDK_VERSION} cannot call v1 with Entra ID and no api-version query: "
            "OpenAI(api_key=<token provider>) needs openai >= 1.106.0, and AzureOpenAI always "
            "sends an api-version"
        )
    azure_cls = openai.AsyncAzureOpenAI if asynchronous else openai.AzureOpenAI
    return azure_cls(
        base_url=base_url,
        azure_ad_token_provider=connection.token_provider,
        api_version=query,
        **common,
    )
