"""SSE streams: the finished :class:`~emulator.engine.run.Run` replayed as the service's event grammar.

The JSON path and the stream path share one run, so the streamed deltas always add up to the
stored response (a client that streams and then retrieves sees the same thing).

Grammar (learn.microsoft.com/azure/foundry/openai/how-to/responses; openai-openapi.json ``ResponseStreamEvent``): ``event: <type>``
and ``data: <json>`` per event, ``sequence_number`` from 0 rising by one, no ``[DONE]``::

    response.created, response.in_progress,
    per output item: output_item.added,
        reasoning: reasoning_summary_part.added, reasoning_summary_text.delta..., .done, part.done
        message:   content_part.added, output_text.delta..., output_text.done, content_part.done
    output_item.done, then response.completed (or response.incomplete when max_output_tokens cut it).

Azure extras (real recorded Azure traffic, docs/sources.md): deltas carry ``obfuscation``;
``content_filters`` is null in every snapshot before the end and only the terminal event carries
the array on v1.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from typing import Any

from starlette.responses import StreamingResponse

from emulator.api.call import Call
from emulator.wire.deltas import chunks
from emulator.engine.run import Run
from emulator.engine.tools.events import TOOL_ITEM_TYPES, item_events
from emulator.engine.tools.events import opened as tool_opened

Event = dict[str, Any]

"""One delta per emulator token, leading whitespace attached (as real deltas look)."""

OBFUSCATION_WIDTH = 16
"""Deltas are padded with random characters to a steady length (OpenAI's side-channel defence)."""


def _obfuscation(delta: str) -> str:
    return os.urandom(OBFUSCATION_WIDTH).hex()[: max(OBFUSCATION_WIDTH - len(delta), 1)]


def _snapshot(response: dict[str, Any]) -> dict[str, Any]:
    """The response as ``response.created`` / ``response.in_progress`` show it: nothing done yet."""
    snap = copy.deepcopy(response)
    snap.update(status="in_progress", completed_at=None, output=[], usage=None, content_filters=None,
                incomplete_details=None)
    return snap


def _opened(item: dict[str, Any]) -> dict[str, Any]:
    """An output item as ``output_item.added`` shows it: no parts yet."""
    if item["type"] in TOOL_ITEM_TYPES:
        return tool_opened(item)
    if item["type"] == "message":
        return {**item, "status": "in_progress", "content": []}
    if item["type"] == "reasoning":
        opened = {**item, "summary": []}
        opened.pop("encrypted_content", None)
        return opened
    return item


def _message_events(index: int, item: dict[str, Any]) -> Iterator[Event]:
    ref = {"item_id": item["id"], "output_index": index}
    for c, part in enumerate(item["content"]):
        at = {**ref, "content_index": c}
        yield {"type": "response.content_part.added", **at, "part": {**part, "text": "", "logprobs": []}}
        deltas = chunks(part["text"])
        logprobs = part.get("logprobs") or []
        aligned = len(logprobs) == len(deltas)
        for n, delta in enumerate(deltas):
            yield {"type": "response.output_text.delta", **at, "delta": delta,
                   "logprobs": [logprobs[n]] if aligned else [], "obfuscation": _obfuscation(delta)}
        yield {"type": "response.output_text.done", **at, "text": part["text"], "logprobs": logprobs}
        yield {"type": "response.content_part.done", **at, "part": part}


def _reasoning_events(index: int, item: dict[str, Any]) -> Iterator[Event]:
    ref = {"item_id": item["id"], "output_index": index}
    for s, part in enumerate(item["summary"]):
        at = {**ref, "summary_index": s}
        yield {"type": "response.reasoning_summary_part.added", **at, "part": {**part, "text": ""}}
        for delta in chunks(part["text"]):
            yield {"type": "response.reasoning_summary_text.delta", **at, "delta": delta,
                   "obfuscation": _obfuscation(delta)}
        yield {"type": "response.reasoning_summary_text.done", **at, "text": part["text"]}
        yield {"type": "response.reasoning_summary_part.done", **at, "part": part}


def events(response: dict[str, Any]) -> list[Event]:
    """Every event of the stream for a finished ``response``, numbered."""
    snap = _snapshot(response)
    out: list[Event] = [
        {"type": "response.created", "response": snap},
        {"type": "response.in_progress", "response": snap},
    ]
    for index, item in enumerate(response["output"]):
        out.append({"type": "response.output_item.added", "output_index": index, "item": _opened(item)})
        if item["type"] == "message":
            out.extend(_message_events(index, item))
        elif item["type"] == "reasoning":
            out.extend(_reasoning_events(index, item))
        elif item["type"] in TOOL_ITEM_TYPES:
            out.extend(item_events(index, item))
        out.append({"type": "response.output_item.done", "output_index": index, "item": item})
    terminal = "response.incomplete" if response["status"] == "incomplete" else "response.completed"
    out.append({"type": terminal, "response": response})
    return [{"type": ev["type"], "sequence_number": n, **ev} for n, ev in enumerate(out)]


def encode(event: Event) -> bytes:
    """One SSE frame."""
    data = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
    return f"event: {event['type']}\ndata: {data}\n\n".encode()


def sse_response(call: Call, run: Run) -> StreamingResponse:
    """The ``state.streamer`` hook: the run as ``text/event-stream``."""
    call.meta.streaming = True
    frames = [encode(ev) for ev in events(run.response)]
    return StreamingResponse(iter(frames), media_type="text/event-stream; charset=utf-8")
