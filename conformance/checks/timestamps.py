"""Raw-wire rule: ``created_at`` / ``completed_at`` are JSON integers.

Every real Azure and OpenAI Responses body and stream event recorded from 2025-08 to 2026-07
carries integer Unix seconds (docs/azure-wire-details.md), as the Azure v1 REST reference
(``unixtime`` integers, https://learn.microsoft.com/rest/api/microsoft-foundry/azureopenai/responses)
says. The SDK's ``Response`` model turns them into floats when it parses, so this rule only
runs on the JSON that came over the wire (conformance.client.wiretap), never on an SDK dump.
"""

from __future__ import annotations

from typing import Any

from conformance.checks._base import Violation, join

__all__ = ["check_integer_timestamps", "check_stream_timestamps"]

RULE = "wire.integer_timestamp"
_KEYS = ("created_at", "completed_at")


def check_integer_timestamps(body: Any, *, where: str = "") -> list[Violation]:
    """A float timestamp (``1741369938.0``) in a raw Response object is a violation."""
    if not isinstance(body, dict):
        return []  # check_response reports the shape
    found: list[Violation] = []
    for key in _KEYS:
        value = body.get(key)
        if isinstance(value, float):
            found.append(Violation(join(where, key), f"{key} is the float {value!r}; the service sends integer seconds", RULE))
    return found


def check_stream_timestamps(events: list[Any]) -> list[Violation]:
    """The same rule on every response snapshot of a raw stream."""
    found: list[Violation] = []
    for i, event in enumerate(events):
        if isinstance(event, dict) and isinstance(event.get("response"), dict):
            found += check_integer_timestamps(event["response"], where=f"events[{i}].response")
    return found
