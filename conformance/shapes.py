"""Wire shapes: a normalised fingerprint of what came back, so drift shows even when verdicts hold.

A body becomes the set of its JSON paths with types (`output[].content[].text: string`,
array indices folded to `[]`); a stream becomes the set of its SSE event types. Two runs'
sets differ exactly where the service added or dropped a field or an event.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from .sdk import http_module


def _type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def json_paths(value: Any, prefix: str = "") -> set[str]:
    """Every path in `value` with the type found there; lists fold their items into `[]`."""
    found = {f"{prefix or '$'}: {_type(value)}"}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= json_paths(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for item in value:
            found |= json_paths(item, f"{prefix}[]")
    return found


@dataclass
class ShapeLog:
    """The shape a test saw: body paths and SSE event types, accumulated over its requests."""

    fields: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    bodies: list[Any] = field(default_factory=list)

    def observe_body(self, body: Any) -> None:
        if body is not None:
            self.fields |= json_paths(body)
            self.bodies.append(body)

    def observe_event(self, event_type: str) -> None:
        self.events.add(event_type)


class _SseScanner:
    """Feeds SSE bytes through and reports each event's `type` (from `data:` JSON or `event:`)."""

    def __init__(self, on_event: Callable[[str], None]) -> None:
        self.on_event = on_event
        self.buffer = b""

    def feed(self, chunk: bytes) -> None:
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip()
            if line.startswith("event:"):
                self.on_event(line[6:].strip())
            elif line.startswith("data:"):
                try:
                    data = json.loads(line[5:].strip())
                except ValueError:
                    continue
                if isinstance(data, dict) and isinstance(data.get("type"), str):
                    self.on_event(data["type"])


def tap_sse(response: Any, on_event: Callable[[str], None]) -> None:
    """Wrap a streaming response's body so its event types are seen as the SDK reads them."""
    httpx = http_module()
    inner = response.stream
    scanner = _SseScanner(on_event)

    class Tap(httpx.SyncByteStream, httpx.AsyncByteStream):  # type: ignore[misc,name-defined]
        """Both protocols, like httpx.ByteStream: the client iterates the one it speaks."""

        def __iter__(self) -> Iterator[bytes]:
            for chunk in inner:
                scanner.feed(chunk)
                yield chunk

        async def __aiter__(self) -> AsyncIterator[bytes]:
            async for chunk in inner:
                scanner.feed(chunk)
                yield chunk

        def close(self) -> None:
            getattr(inner, "close", lambda: None)()

        async def aclose(self) -> None:
            closer = getattr(inner, "aclose", None)
            if closer is not None:
                await closer()

    response.stream = Tap()
