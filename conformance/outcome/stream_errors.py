"""A mid-stream ``error`` event as a typed exception, so its verdict follows its code.

The SDK yields a Responses ``{"type": "error", ...}`` event like any other (learn.microsoft.com/azure/foundry/openai/how-to/responses: only a top-level ``error`` key makes it raise). Azure documents that a stream "might
return an error event (500, 429, and similar)": those are the service being busy, not a
broken contract, so :mod:`conformance.outcome.verdicts` maps them to ``inconclusive``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Optional

#: Error-event codes that mean "busy or down", not "wrong" (learn.microsoft.com/azure/foundry/openai/how-to/responses and learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses).
TRANSIENT_CODES = frozenset({
    "server_error", "internal_error", "rate_limit_exceeded", "too_many_requests", "429", "500", "502", "503",
    "service_unavailable", "timeout", "overloaded",
})


class StreamErrorEvent(Exception):
    """The service ended a stream with an ``error`` event."""

    def __init__(self, event: dict[str, Any]) -> None:
        self.event = event
        self.code: Optional[str] = None if event.get("code") is None else str(event.get("code"))
        self.message = str(event.get("message") or "")
        self.sequence_number = event.get("sequence_number")
        super().__init__(f"stream error event {self.code}: {self.message} (sequence_number {self.sequence_number})")

    @property
    def transient(self) -> bool:
        return (self.code or "").lower() in TRANSIENT_CODES


def error_payload(event: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The ``error`` event in ``event`` (a decoded SSE data object), or None.

    Older SDKs (seen with openai 1.68.2) yield an ``event: error`` frame as
    ``{"data": {...}, "event": "error"}``.
    """
    if event.get("type") == "error":
        return event
    if event.get("event") == "error" and isinstance(event.get("data"), dict):
        return event["data"]  # type: ignore[no-any-return]
    return None


def _wire(event: Any) -> dict[str, Any]:
    if isinstance(event, dict):
        return event
    return event.model_dump(mode="json", exclude_unset=True, by_alias=True)  # type: ignore[no-any-return]


def events_of(stream: Iterable[Any], stop_after: Optional[int] = None) -> Iterator[dict[str, Any]]:
    """The stream's events as wire dicts; raises :class:`StreamErrorEvent` on an ``error`` event.

    ``stop_after``: stop once the event with this sequence number was read (a reader that
    leaves part-way, to resume later).
    """
    for event in stream:
        data = _wire(event)
        error = error_payload(data)
        if error is not None:
            raise StreamErrorEvent(error)
        yield data
        if stop_after is not None and data.get("sequence_number") == stop_after:
            return
