"""Rules only the wire shows: the SSE reply's content type and its raw `data:` lines.

The SDK hides both: it parses an event stream whatever its content type, and it silently
stops at `data: [DONE]` (a chat completions frame the Responses API does not send). A
client with its own SSE reader (curl, a proxy, another language's SDK) would break on
them, so conformance.client.wiretap checks them on every exchange it sees.
"""

from __future__ import annotations

import json
from typing import Optional

from conformance.checks._base import Violation, json_type

__all__ = ["check_sse_content_type", "check_sse_data"]


def check_sse_content_type(content_type: Optional[str], *, where: str = "headers") -> list[Violation]:
    """A stream=true reply is `text/event-stream` (parameters such as `charset` allowed)."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "text/event-stream":
        return []
    shown = repr(content_type) if content_type else "no content-type"
    what = f"a stream=true reply is served as {shown}, not text/event-stream"
    return [Violation(f"{where}.content-type", what, "wire.content_type")]


def check_sse_data(data: bytes, *, where: str) -> list[Violation]:
    """One SSE `data` field (the bytes after `data:`) decodes to a JSON object."""
    text = data.decode("utf-8", "replace").strip()
    if text == "[DONE]":
        what = "a `data: [DONE]` frame: Responses streams end with their terminal event, not [DONE]"
        return [Violation(where, what, "wire.done_frame")]
    try:
        value = json.loads(text)
    except ValueError:
        return [Violation(where, f"SSE data is not JSON: {text[:60]!r}", "wire.sse_data")]
    if not isinstance(value, dict):
        return [Violation(where, f"SSE data is a JSON {json_type(value)}, not an object", "wire.sse_data")]
    return []
