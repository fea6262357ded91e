"""What an API handler receives: the request plus everything the gateway already resolved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from starlette.requests import Request
from starlette.responses import Response

from emulator.wire.headers import ReplyMeta
from emulator.state.profile import Resource
from emulator.state.store import ResponseStore
from emulator.wire.versions import Api

if TYPE_CHECKING:  # only named in annotations: the process state sits above the handlers
    from emulator.gateway.process import EmulatorState

Reply = Union[tuple[int, Any], Response]
"""A handler's result: (status, JSON body), or a ready Starlette response (e.g. SSE)."""


@dataclass(slots=True)
class Call:
    """One authenticated API call on one resource."""

    request: Request
    state: EmulatorState
    resource: Resource
    api: Api
    meta: ReplyMeta

    @property
    def conversations_served(self) -> bool:
        """Whether this call came through a Foundry project path (which serves conversations)."""
        return "project" in self.request.path_params

    @property
    def store(self) -> ResponseStore:
        return self.state.stores[self.resource.name]
