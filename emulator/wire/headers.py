"""Azure's response headers, built once per response (errors included), by operation.

As real Azure OpenAI recordings show them (docs/azure-wire-details.md "Headers by operation"):
``apim-request-id``, ``x-ms-region``, ``strict-transport-security`` and
``x-content-type-options`` on every response; ``x-ms-deployment-name``, the client's
``x-ms-client-request-id`` echo and ``x-ratelimit-*`` only on POST /responses once a
deployment is resolved (a stream carries only the ``-requests`` counters); on v1 also
``x-ratelimit-key``, ``x-ratelimit-renewalperiod-*``, ``x-ratelimit-reset-*``,
``x-ms-is-spilled-over``, ``skip-error-remapping`` and ``azureai-fe-is-streaming``;
``openai-organization`` / ``openai-processing-ms`` / ``openai-version`` only on retrieve,
delete, input_items, files and vector stores. ``x-ms-served-model`` is in no public recording,
so it is not sent. Rate-limit header names: https://learn.microsoft.com/azure/ai-foundry/openai/how-to/quota
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from emulator.state.profile import Defaults, Deployment, Resource
from emulator.state.ratelimit import RateCounter

OPENAI_VERSION = "2020-10-01"
RENEWAL_PERIOD_SECONDS = "60"
SECURITY_HEADERS = {
    "strict-transport-security": "max-age=31536000; includeSubDomains; preload",
    "x-content-type-options": "nosniff",
}


@dataclass(slots=True)
class ReplyMeta:
    """What the handler learned that the headers need; filled in as the request proceeds."""

    resource: Resource
    v1: bool = False
    deployment: Deployment | None = None
    openai_meta: bool = False
    """Add openai-organization / openai-processing-ms / openai-version."""
    tokens: int = 0
    """Tokens this request used, for the token rate counter."""
    client_request_id: str | None = None
    streaming: bool = False
    """The reply is an SSE stream (``azureai-fe-is-streaming: True`` on v1)."""
    started: float = field(default_factory=time.perf_counter)
    create: bool = False
    """The operation is POST /responses (the only one with rate-limit and deployment headers)."""
    extra_headers: dict[str, str] = field(default_factory=dict)
    """Operation-specific headers (e.g. ``openai-poll-after-ms`` on file batches)."""


class HeaderBuilder:
    """Builds the header dict for one reply; holds the per-process values."""

    def __init__(self, defaults: Defaults, organization: str | None = None) -> None:
        self._defaults = defaults
        self._counter = RateCounter()
        self.organization = organization or uuid.uuid4().hex

    def build(self, meta: ReplyMeta) -> dict[str, str]:
        request_id = str(uuid.uuid4())
        headers = {
            "apim-request-id": request_id,
            "x-request-id": str(uuid.uuid4()),
            "x-ms-middleware-request-id": request_id,
            "x-ms-region": meta.resource.region_display,
            **SECURITY_HEADERS,
        }
        if meta.create and meta.deployment is not None:
            headers.update(self._create_headers(meta, meta.deployment))
        if meta.openai_meta:
            headers["openai-organization"] = self.organization
            headers["openai-processing-ms"] = f"{(time.perf_counter() - meta.started) * 1000:.4f}"
            headers["openai-version"] = OPENAI_VERSION
        if meta.v1:
            headers["skip-error-remapping"] = "true"
            headers["azureai-fe-is-streaming"] = "True" if meta.streaming else "False"
        headers.update(meta.extra_headers)
        return headers

    def _create_headers(self, meta: ReplyMeta, deployment: Deployment) -> dict[str, str]:
        """Deployment and rate-limit headers of POST /responses."""
        rpm = deployment.requests_per_minute or self._defaults.requests_per_minute
        tpm = deployment.tokens_per_minute or self._defaults.tokens_per_minute
        key = f"{meta.resource.name}/{deployment.name}"
        used_requests, used_tokens = self._counter.consume(key, meta.tokens)
        reset = str(60 - int(time.time()) % 60)
        headers = {"x-ms-deployment-name": deployment.name}
        if meta.client_request_id is not None:
            headers["x-ms-client-request-id"] = meta.client_request_id
        headers["x-ratelimit-limit-requests"] = str(rpm)
        headers["x-ratelimit-remaining-requests"] = str(max(rpm - used_requests, 0))
        if meta.v1:
            headers["x-ratelimit-renewalperiod-requests"] = RENEWAL_PERIOD_SECONDS
            headers["x-ratelimit-reset-requests"] = reset
        if not meta.streaming:  # token counters are unknown when a stream's headers go out
            headers["x-ratelimit-limit-tokens"] = str(tpm)
            headers["x-ratelimit-remaining-tokens"] = str(max(tpm - used_tokens, 0))
            if meta.v1:
                headers["x-ratelimit-renewalperiod-tokens"] = RENEWAL_PERIOD_SECONDS
                headers["x-ratelimit-reset-tokens"] = reset
        if meta.v1:
            headers["x-ratelimit-key"] = deployment.name
            headers["x-ms-is-spilled-over"] = "false"
        return headers
