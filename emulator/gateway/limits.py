"""A cap on request body size, enforced before a handler reads the body.

Without it one huge request (the model "reads" every word) holds the event loop for
seconds, and every other client waits: the emulator must never hang. Larger bodies get a
413 in Azure's gateway error shape (the wording is modelled, not verified against Azure).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024

#: WebSocket mode's connection lifetime: 60 minutes, then ``websocket_connection_limit_reached``
#: (Open Responses specification 2026-04-24, "WebSocket Reconnects"; OpenAI's WebSocket mode guide).
WEBSOCKET_CONNECTION_SECONDS = 60 * 60

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOO_LARGE = {
    "error": {
        "code": "RequestEntityTooLarge",
        "message": "The request body is too large. Reduce the size of the request and try again.",
    }
}


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _reply_413(send: Send) -> None:
    body = json.dumps(TOO_LARGE).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """ASGI middleware: 413 for a declared or actual body over `get_limit()` bytes.

    Reads the body before the app does (bounded by the limit) and hands it on whole, so the
    handlers never see a partial body and no exception has to cross the app.
    """

    def __init__(self, app: ASGIApp, get_limit: Callable[[], int]) -> None:
        self.app = app
        self.get_limit = get_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.get_limit()
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _reply_413(send)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message, receive), send)
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                await _reply_413(send)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], None, receive), send)


def _replay(messages: list[Message], last: Message | None, receive: Receive) -> Receive:
    """A receive that returns the buffered messages first, then defers to the real one."""
    pending = list(messages) + ([last] if last is not None else [])

    async def replayed() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed
