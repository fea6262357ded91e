"""Wire shapes: a normalised fingerprint of what came back, so drift shows even when verdicts hold.

A body becomes the set of its JSON paths with types (`output[].content[].text: string`,
array indices folded to `[]`); a stream becomes the set of its SSE event types. Two runs'
sets differ exactly where the service added or dropped a field or an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
    #: fields of error bodies: wire shape only for the features about errors (errors.*)
    error_fields: set[str] = field(default_factory=set)

    def observe_body(self, body: Any, success: bool = True) -> None:
        """A successful body is wire shape; an error body (a 429, a fault's 500) would read as
        drift after every faulted run, so it is kept apart. Every body goes to the OpenAPI check."""
        if body is not None:
            if success:
                self.fields |= json_paths(body)
            else:
                self.error_fields |= json_paths(body)
            self.bodies.append(body)

    def observe_event(self, event_type: str) -> None:
        if event_type != "error":  # a fault injected mid-stream, not the stream's grammar
            self.events.add(event_type)

    def snapshot(self) -> ShapeLog:
        """A copy as of now: a test's result keeps what its call saw, not the teardown's
        cleanup exchanges that follow (a worker ships its result before teardown, too)."""
        return ShapeLog(set(self.fields), set(self.events), list(self.bodies), set(self.error_fields))


