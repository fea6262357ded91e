"""Azure's response headers, built once per response (errors included).

azure-wire-facts.md "Response headers": ``apim-request-id`` on every response,
``x-ms-region`` (display name), ``x-ms-deployment-name``, ``x-ratelimit-*``, the client's
``x-ms-client-request-id`` echoed, ``skip-error-remapping: true`` and
``azureai-fe-is-streaming: False`` on v1; ``openai-organization`` / ``openai-processing-ms`` /
``openai-version`` only on retrieve, delete and input_items (never on POST /responses).
azure-facts.md §4.15: the dated snapshot goes in ``x-ms-served-model``.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from emulator.state.profile import Defaults, Deployment, Resource
from emulator.state.ratelimit import RateCounter

OPENAI_VERSION = "2020-10-01"


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
        }
        deployment = meta.deployment
        if deployment is not None:
            headers["x-ms-deployment-name"] = deployment.name
            headers["x-ms-served-model"] = deployment.served_model
            rpm = deployment.requests_per_minute or self._defaults.requests_per_minute
            tpm = deployment.tokens_per_minute or self._defaults.tokens_per_minute
            key = f"{meta.resource.name}/{deployment.name}"
        else:
            rpm = self._defaults.requests_per_minute
            tpm = self._defaults.tokens_per_minute
            key = meta.resource.name
        used_requests, used_tokens = self._counter.consume(key, meta.tokens)
        headers["x-ratelimit-limit-requests"] = str(rpm)
        headers["x-ratelimit-remaining-requests"] = str(max(rpm - used_requests, 0))
        headers["x-ratelimit-limit-tokens"] = str(tpm)
        headers["x-ratelimit-remaining-tokens"] = str(max(tpm - used_tokens, 0))
        if meta.client_request_id is not None:
            headers["x-ms-client-request-id"] = meta.client_request_id
        if meta.openai_meta:
            headers["openai-organization"] = self.organization
            headers["openai-processing-ms"] = f"{(time.perf_counter() - meta.started) * 1000:.4f}"
            headers["openai-version"] = OPENAI_VERSION
        if meta.v1:
            headers["skip-error-remapping"] = "true"
            headers["azureai-fe-is-streaming"] = "True" if meta.streaming else "False"
        headers.update(meta.extra_headers)
        return headers
