"""Watching SSE bodies as the SDK reads them: every event, whatever the test looks at.

Two readers need this. A suite that streams reads events its own way (``list(stream)``,
``events[-1].response``); when the service ends the stream with an ``error`` event, the test
then breaks on something unrelated, and the tap lets :mod:`conformance.results` see that a
transient error event came first, so the verdict follows the event's code (azure-facts.md
§4.1) and not the symptom. And the report's wire-shape fingerprint (conformance.shapes)
records which event types came back.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from .sdk import http_module

httpx = http_module()
OnEvent = Callable[[dict[str, Any]], None]


class _Scanner:
    """Splits the byte stream into SSE frames and reports each decoded ``data`` object."""

    def __init__(self, on_event: OnEvent) -> None:
        self._buffer = b""
        self._on_event = on_event

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk.replace(b"\r\n", b"\n")
        *frames, self._buffer = self._buffer.split(b"\n\n")
        for frame in frames:
            for line in frame.split(b"\n"):
                if line.startswith(b"data:"):
                    try:
                        data = json.loads(line[5:])
                    except ValueError:
                        continue
                    if isinstance(data, dict):
                        self._on_event(data)


class _SyncTee(httpx.SyncByteStream):  # type: ignore[misc,name-defined]
    def __init__(self, inner: Any, scanner: _Scanner) -> None:
        self._inner, self._scanner = inner, scanner

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._scanner.feed(chunk)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _AsyncTee(httpx.AsyncByteStream):  # type: ignore[misc,name-defined]
    def __init__(self, inner: Any, scanner: _Scanner) -> None:
        self._inner, self._scanner = inner, scanner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._scanner.feed(chunk)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


def tap_sse(response: Any, on_event: OnEvent, *, asynchronous: bool = False) -> None:
    """If ``response`` is an event stream, report each event's data to ``on_event`` as read."""
    if "event-stream" not in response.headers.get("content-type", ""):
        return
    tee = _AsyncTee if asynchronous else _SyncTee
    response.stream = tee(response.stream, _Scanner(on_event))


def errors_only(on_error: OnEvent) -> OnEvent:
    """An `on_event` that passes on only ``error`` events."""
    return lambda data: on_error(data) if data.get("type") == "error" else None


# --- created ids: a stream names its response in its first event ------------------------------

#: Events that carry the response object the moment the service has made it (before any output).
CREATION_EVENTS = ("response.created", "response.queued")


def created_ids(on_id: Callable[[dict[str, Any]], None]) -> OnEvent:
    """An `on_event` passing on the response of each creation event, so a stream that breaks
    after its first frame still names what it created (conformance.tracking journals it)."""

    def watch(data: dict[str, Any]) -> None:
        response = data.get("response")
        if data.get("type") in CREATION_EVENTS and isinstance(response, dict) and isinstance(response.get("id"), str):
            on_id(response)

    return watch


def fan_out(*readers: OnEvent) -> OnEvent:
    """One `on_event` feeding several readers, in order."""

    def each(data: dict[str, Any]) -> None:
        for reader in readers:
            reader(data)

    return each

