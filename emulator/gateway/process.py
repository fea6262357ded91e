"""The emulator's process state: profile, credentials, stores, and which port is which resource."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from emulator.gateway.auth import Authenticator
from emulator.engine.background import Jobs
from emulator.engine.context import DEFAULT_CONTEXT_TOKENS
from emulator.gateway.faults import Injector
from emulator.state.filedata import FileData
from emulator.state.outbound import Outbound
from emulator.engine.tools.code_interpreter import Containers
from emulator.wire.headers import HeaderBuilder
from emulator.gateway.limits import DEFAULT_MAX_BODY_BYTES, WEBSOCKET_CONNECTION_SECONDS
from emulator.state.profile import FaultSpec, Profile, Resource, load_profile
from emulator.state.store import DEFAULT_MAX_RESPONSES, DEFAULT_RETENTION_SECONDS, ResponseStore
from emulator.engine.prompt_cache import PromptCache

API_KEY_ENV = "EMULATOR_API_KEY"


def resolve_api_key(explicit: str | None) -> tuple[str, bool]:
    """The API key to use and whether it was generated: ``explicit``, env, else random."""
    if explicit:
        return explicit, False
    from_env = os.environ.get(API_KEY_ENV)
    if from_env:
        return from_env, False
    return secrets.token_hex(16), True


@dataclass
class EmulatorState:
    """Everything the request handlers share. One per emulator process (or test)."""

    profile: Profile
    auth: Authenticator
    identity_header: str
    seed: int = 0
    max_responses: int = DEFAULT_MAX_RESPONSES
    retention_seconds: float = DEFAULT_RETENTION_SECONDS
    headers: HeaderBuilder = field(init=False)
    stores: dict[str, ResponseStore] = field(init=False)
    ports: dict[int, Resource] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    """The ``/emulator/info`` document (also written to the ready file)."""
    context_tokens: int = DEFAULT_CONTEXT_TOKENS
    """A conversation longer than this refuses its next turn (context.py)."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    """Larger request bodies get a 413 (limits.py)."""
    outbound: Outbound = field(default_factory=Outbound)
    """Stand-ins on loopback for public hosts (emulator.state.outbound)."""
    websocket_seconds: float = WEBSOCKET_CONNECTION_SECONDS
    """A WebSocket connection older than this refuses its next turn (websocket.py)."""
    file_data: dict[str, FileData] = field(init=False)
    prompt_caches: dict[str, PromptCache] = field(init=False)
    """Per resource: uploaded files and vector stores (file search)."""
    containers: dict[str, Containers] = field(init=False)
    """Per resource: code interpreter containers (tools/code_interpreter.py)."""
    streamer: Callable[..., Any] | None = None
    """Hook for SSE: given (call, run) returns a streaming Starlette response. None: 400."""
    background_ms: int | None = None
    """Running time of every background response (overrides the profile), in ms."""
    fault_spec: FaultSpec | None = None
    """Fault injection settings (overrides the profile's ``[faults]``)."""
    jobs: Jobs = field(init=False)
    faults: Injector = field(init=False)
    conversations: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """Per (resource, Foundry project): conversations by id (emulator/conversations.py)."""
    mutation: Any = None
    """The active mutant (emulator.mutations), or None: the faithful emulator."""

    def __post_init__(self) -> None:
        self.headers = HeaderBuilder(self.profile.defaults)
        self.jobs = Jobs(self.max_responses)
        self.faults = Injector(self.fault_spec or self.profile.faults)
        self.stores = {r.name: ResponseStore(self.max_responses, self.retention_seconds) for r in self.profile.resources}
        self.file_data = {r.name: FileData() for r in self.profile.resources}
        self.containers = {r.name: Containers() for r in self.profile.resources}
        self.prompt_caches = {r.name: PromptCache() for r in self.profile.resources}

    @classmethod
    def create(
        cls,
        profile: Profile | str | None = None,
        *,
        api_key: str | None = None,
        seed: int = 0,
        max_responses: int = DEFAULT_MAX_RESPONSES,
        retention_seconds: float = DEFAULT_RETENTION_SECONDS,
        identity_header: str | None = None,
        background_ms: int | None = None,
        fault_spec: FaultSpec | None = None,
    ) -> EmulatorState:
        """State with a loaded profile; ``api_key`` as :func:`resolve_api_key` decides."""
        if not isinstance(profile, Profile):
            profile = load_profile(profile)
        key, _ = resolve_api_key(api_key)
        return cls(
            profile=profile,
            auth=Authenticator(key),
            identity_header=identity_header or secrets.token_urlsafe(24),
            seed=seed,
            max_responses=max_responses,
            retention_seconds=retention_seconds,
            background_ms=background_ms,
            fault_spec=fault_spec,
        )

    def bind_ports(self, ports: Mapping[int, str]) -> None:
        """Declare which local port serves which resource (by name)."""
        for port, name in ports.items():
            resource = self.profile.resource(name)
            if resource is None:
                raise KeyError(f"unknown resource {name!r}")
            self.ports[port] = resource

    def resource_for(self, scope: Mapping[str, Any]) -> Resource:
        """The resource a request reached, from the local port it arrived on.

        Unknown ports (an app mounted elsewhere, a test client) get the first resource.
        """
        server = scope.get("server")
        if server:
            resource = self.ports.get(server[1])
            if resource is not None:
                return resource
        return self.profile.resources[0]
