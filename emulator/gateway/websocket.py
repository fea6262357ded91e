"""WebSocket mode on ``/openai/v1/responses`` (OpenAI API reference, "WebSocket events").

The client opens a socket (auth in the handshake, as for HTTP) and sends ``response.create``
events: the same top-level fields as ``POST /responses``, without ``stream`` (implicit) and
without ``background`` (not supported over a socket), plus an optional ``stream_id`` lane. The
server answers each with the same events the SSE stream carries, one JSON text frame each,
echoing ``stream_id`` when given. Requests on one connection run in order. A bad request is an
``error`` event (``status`` plus the HTTP error object) and the connection stays open; a
refused handshake (auth, api-version) gets the HTTP error reply instead of an upgrade.

Each connection remembers its most recent response, stored or not, so a ``store: false`` turn
can be continued with ``previous_response_id`` on the same socket (and only there). A
continuation that fails forgets the response it named, and a connection past its lifetime
refuses the turn with ``websocket_connection_limit_reached`` and closes (Open Responses
specification 2026-04-24, "WebSocket Continuation" and "WebSocket Reconnects").
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse
from starlette.websockets import WebSocket, WebSocketDisconnect

from emulator.wire import errors
from emulator.wire import versions
from emulator.api.call import Call
from emulator.wire.errors import ApiError
from emulator.wire.headers import ReplyMeta
from emulator.wire.request import decode_body
from emulator.api.responses import prepare
from emulator.gateway.process import EmulatorState
from emulator.api.stream import events
from emulator.state.store import Record

log = logging.getLogger("emulator")

CLIENT_EVENTS = ("response.create",)
WS_ONLY_FIELDS = ("type", "stream_id")


def error_event(exc: ApiError) -> dict[str, Any]:
    """An HTTP error as WebSocket mode's ``error`` event (the SDK's ``ResponseWsError``)."""
    detail = dict(exc.body.get("error") or {})
    detail.setdefault("type", "invalid_request_error" if exc.status < 500 else "server_error")
    detail.setdefault("message", "The request could not be processed.")
    return {"type": "error", "status": exc.status, "error": detail}


def _create_body(message: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The create body inside a client event, and its lane; refuses what a socket cannot do."""
    kind = message.get("type")
    if kind is None:
        raise errors.missing_parameter("type")
    if kind not in CLIENT_EVENTS:
        raise errors.invalid_value("type", kind, CLIENT_EVENTS)
    lane = message.get("stream_id")
    if lane is not None and not isinstance(lane, str):
        raise errors.invalid_type("stream_id", "a string", "a non-string")
    body = {k: v for k, v in message.items() if k not in WS_ONLY_FIELDS}
    if body.get("background"):
        raise errors.invalid_request("background is not supported in WebSocket mode.", "background", "unsupported_parameter")
    for name in ("stream", "stream_options"):
        if name in body:
            raise errors.invalid_request(f"{name} is implicit in WebSocket mode and must not be sent.", name, "unknown_parameter")
    return body, lane


@dataclass
class Connection:
    """What one socket remembers between turns."""

    call: Call
    opened: float = field(default_factory=time.monotonic)
    latest: Record | None = None
    """The most recent response on this connection, stored or not."""

    def recall(self, response_id: str) -> Record | None:
        """A ``previous_response_id``: this connection's last response, else the store's."""
        if self.latest is not None and self.latest.id == response_id:
            return self.latest
        return self.call.store.get(response_id)

    def forget(self, response_id: object) -> None:
        """A failed continuation evicts the response it continued."""
        if self.latest is not None and self.latest.id == response_id:
            self.latest = None

    def expired(self) -> bool:
        return time.monotonic() - self.opened >= self.call.state.websocket_seconds


async def _answer(conn: Connection, raw: str) -> list[dict[str, Any]]:
    """The frames answering one client message (events, or one error event)."""
    lane: str | None = None
    body: dict[str, Any] = {}
    try:
        body, lane = _create_body(decode_body(raw.encode("utf-8")))
        req, _, run = await prepare(conn.call, body, conn.recall)
        if req.store:
            conn.call.store.put(run.record)
        conn.latest = run.record
        frames = events(run.response)
    except ApiError as exc:
        conn.forget(body.get("previous_response_id"))
        frames = [error_event(exc)]
    except Exception:
        log.exception("emulator bug while answering a WebSocket event")
        frames = [error_event(errors.server_error())]
    if lane is not None:
        frames = [{**frame, "stream_id": lane} for frame in frames]
    return frames


def _frame(event: dict[str, Any]) -> str:
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False)


def websocket_endpoint(state: EmulatorState):  # type: ignore[no-untyped-def]
    """The ASGI WebSocket handler for ``/openai/v1/responses``."""
    known = state.profile.api_versions

    async def endpoint(websocket: WebSocket) -> None:
        meta = ReplyMeta(state.resource_for(websocket.scope), v1=True)
        try:
            api, pending = versions.resolve("v1", websocket.query_params.get("api-version"), known, responses=True)
            state.auth.check(websocket.headers)
            if pending is not None:
                raise pending
        except ApiError as exc:
            headers = state.headers.build(meta)
            headers.update(exc.headers)
            await websocket.send_denial_response(JSONResponse(exc.body, status_code=exc.status, headers=headers))
            return
        await websocket.accept()
        conn = Connection(Call(websocket, state, meta.resource, api, meta))  # type: ignore[arg-type]
        try:
            while True:
                raw = await websocket.receive_text()
                if conn.expired():
                    limit = errors.websocket_connection_limit_reached(state.websocket_seconds)
                    await websocket.send_text(_frame(error_event(limit)))
                    await websocket.close()
                    return
                for frame in await _answer(conn, raw):
                    await websocket.send_text(_frame(frame))
        except WebSocketDisconnect:
            return

    return endpoint
