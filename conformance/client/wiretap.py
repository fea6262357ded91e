"""Watching every exchange as the SDK reads it, and checking what only the wire shows.

Three readers need this. The wire checks: every reply a test's clients receive is checked
here, whatever the test looks at, so no suite can forget a rule: the content type of a
stream=true reply, each raw SSE ``data`` line (a ``[DONE]`` frame is one the SDK would
swallow), the whole stream once it has been read to its end (``check_stream``), every
Response object in a JSON body (``check_response``), and both against the request that
asked for them (``check_against_request``: ``max_output_tokens``). Violations go to the
test's observer (conformance.pytest_plugin.results.HttpLog), which turns the test's verdict ``failed``.

A suite that streams reads events its own way; when the service ends the stream with an
``error`` event, the test then breaks on something unrelated, and the tap lets
:mod:`conformance.pytest_plugin.results` see that a transient error event came first, so the verdict
follows the event's code (learn.microsoft.com/azure/foundry/openai/how-to/responses) and not the symptom. And the report's
wire-shape fingerprint (conformance.client.shapes) records which event types came back.

A stream read only part-way (a reader that leaves to resume later) or cut by a dropped
connection is not checked as a whole: its end was never seen.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Optional, Protocol
from urllib.parse import parse_qs

from conformance.checks import Violation, check_against_request, check_response, check_sse_content_type, check_sse_data, check_stream
from conformance.checks.timestamps import check_integer_timestamps, check_stream_timestamps
from conformance.model.sdk import http_module

httpx = http_module()
OnEvent = Callable[[dict[str, Any]], None]
OnData = Callable[[bytes], None]


class WireObserver(Protocol):
    """What a test's log hears from the tap (conformance.pytest_plugin.results.HttpLog implements it)."""

    def observe_event(self, event: dict[str, Any]) -> None: ...

    def observe_violations(self, exchange: str, violations: list[Violation]) -> None: ...


class _Scanner:
    """Splits the byte stream into SSE frames and reports each decoded ``data`` object.

    A frame's ``data`` lines join with newlines (the SSE spec); ``on_data`` hears each raw
    ``data`` field, JSON or not, and ``on_event`` each one that decodes to an object.
    """

    def __init__(self, on_event: OnEvent, on_data: Optional[OnData] = None) -> None:
        self._buffer = b""
        self._on_event = on_event
        self._on_data = on_data

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk.replace(b"\r\n", b"\n")
        *frames, self._buffer = self._buffer.split(b"\n\n")
        for frame in frames:
            self._frame(frame)

    def finish(self) -> None:
        """The body ended: a last frame without its blank line still counts."""
        rest, self._buffer = self._buffer, b""
        if rest.strip():
            self._frame(rest)

    def _frame(self, frame: bytes) -> None:
        lines = [line[5:] for line in frame.split(b"\n") if line.startswith(b"data:")]
        if not lines:
            return  # a comment (": keep-alive") or an event line alone
        data = b"\n".join(line[1:] if line.startswith(b" ") else line for line in lines)
        if self._on_data is not None:
            self._on_data(data)
        try:
            decoded = json.loads(data)
        except ValueError:
            return
        if isinstance(decoded, dict):
            self._on_event(decoded)


class _SyncTee(httpx.SyncByteStream):  # type: ignore[misc,name-defined]
    def __init__(self, inner: Any, scanner: _Scanner, on_end: Callable[[], None]) -> None:
        self._inner, self._scanner, self._on_end = inner, scanner, on_end

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._inner:
            self._scanner.feed(chunk)
            yield chunk
        self._on_end()  # only a body read to its end: not one left early or cut

    def close(self) -> None:
        self._inner.close()


class _AsyncTee(httpx.AsyncByteStream):  # type: ignore[misc,name-defined]
    def __init__(self, inner: Any, scanner: _Scanner, on_end: Callable[[], None]) -> None:
        self._inner, self._scanner, self._on_end = inner, scanner, on_end

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._inner:
            self._scanner.feed(chunk)
            yield chunk
        self._on_end()

    async def aclose(self) -> None:
        await self._inner.aclose()


def _tee(response: Any, scanner: _Scanner, on_end: Callable[[], None], asynchronous: bool) -> None:
    if hasattr(response, "_content"):  # already read (a hook wanted the body): scan it now
        scanner.feed(response.content)
        on_end()
        return
    response.stream = (_AsyncTee if asynchronous else _SyncTee)(response.stream, scanner, on_end)


def _is_event_stream(response: Any) -> bool:
    return "event-stream" in response.headers.get("content-type", "")


def tap_sse(response: Any, on_event: OnEvent, *, asynchronous: bool = False) -> None:
    """If ``response`` is an event stream, report each event's data to ``on_event`` as read."""
    if not _is_event_stream(response):
        return
    scanner = _Scanner(on_event)
    _tee(response, scanner, scanner.finish, asynchronous)


def errors_only(on_error: OnEvent) -> OnEvent:
    """An `on_event` that passes on only ``error`` events."""
    return lambda data: on_error(data) if data.get("type") == "error" else None


# ---- the exchange and its checks ------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """The request half of an exchange, as far as the checks need it."""

    method: str
    path: str
    query: dict[str, list[str]]
    params: dict[str, Any] = field(default_factory=dict)  # the JSON body, if it was one

    @classmethod
    def of(cls, request: Any) -> Request:
        params: Any = None
        try:
            content = request.content  # a multipart upload may not be readable: no params then
            params = json.loads(content) if content else None
        except Exception:  # noqa: BLE001 - httpx.RequestNotRead, bad JSON, binary bodies
            params = None
        query = parse_qs(request.url.query.decode() if isinstance(request.url.query, bytes) else str(request.url.query))
        return cls(request.method, request.url.path, query, params if isinstance(params, dict) else {})

    @property
    def streaming(self) -> bool:
        """stream=true in the body (create) or the query (retrieve a background stream)."""
        return self.params.get("stream") is True or self.query.get("stream", [""])[0].lower() == "true"

    @property
    def creates_response(self) -> bool:
        """POST .../responses: the body holds the parameters the reply must honour."""
        return self.method == "POST" and self.path.rstrip("/").endswith("/responses")

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}" + (" (stream)" if self.streaming else "")


class _StreamCheck:
    """Collects one stream's events and raw data; checks the whole stream at its end."""

    def __init__(self, request: Request, observer: WireObserver, extra: Optional[OnEvent] = None) -> None:
        self.request, self.observer, self.extra = request, observer, extra
        self.events: list[dict[str, Any]] = []
        self.frames = 0
        self.scanner = _Scanner(self._on_event, self._on_data)

    def _on_event(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if self.extra is not None:
            self.extra(event)
        self.observer.observe_event(event)

    def _on_data(self, data: bytes) -> None:
        found = check_sse_data(data, where=f"frame {self.frames}")
        self.frames += 1
        if found:
            self.observer.observe_violations(self.request.label, found)

    def end(self) -> None:
        self.scanner.finish()
        if not self.events:
            return  # no JSON events at all: the data rules said why (or the body was empty)
        resumed = "starting_after" in self.request.query
        found = check_stream(self.events, start=None if resumed else 0) + check_stream_timestamps(self.events)
        if self.request.creates_response:
            for i, event in enumerate(self.events):
                if event.get("type") in ("response.completed", "response.incomplete", "response.failed"):
                    found += check_against_request(self.request.params, event.get("response"), where=f"events[{i}].response")
        if found:
            self.observer.observe_violations(self.request.label, found)


def watch(response: Any, body: Any, observer: WireObserver, *, asynchronous: bool = False,
          extra: Optional[OnEvent] = None) -> None:
    """Every wire rule on one exchange; ``body`` is the decoded JSON reply, if one was read.
    ``extra`` also reads each event of a stream, before the observer (created ids).

    Only 2xx replies are checked here: error bodies have their own assertions
    (conformance.expect.azure_error).
    """
    request = Request.of(response.request)
    ok = 200 <= response.status_code < 300
    if ok and request.streaming:
        found = check_sse_content_type(response.headers.get("content-type"))
        if found:
            observer.observe_violations(request.label, found)
    if ok and (request.streaming or _is_event_stream(response)):
        check = _StreamCheck(request, observer, extra)
        _tee(response, check.scanner, check.end, asynchronous)
        return
    if _is_event_stream(response):
        reader = observer.observe_event if extra is None else fan_out(extra, observer.observe_event)
        tap_sse(response, reader, asynchronous=asynchronous)
        return
    if ok and isinstance(body, dict) and body.get("object") == "response":
        found = check_response(body) + check_integer_timestamps(body)
        if request.creates_response:
            found += check_against_request(request.params, body)
        if found:
            observer.observe_violations(request.label, found)


# --- created ids: a stream names its response in its first event ------------------------------

#: Events that carry the response object the moment the service has made it (before any output).
CREATION_EVENTS = ("response.created", "response.queued")


def created_ids(on_id: Callable[[dict[str, Any]], None]) -> OnEvent:
    """An `on_event` passing on the response of each creation event, so a stream that breaks
    after its first frame still names what it created (conformance.live.tracking journals it)."""

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

