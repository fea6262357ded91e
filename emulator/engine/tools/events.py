"""Stream events of tool output items, between their ``output_item.added`` and ``.done``.

The grammar is OpenAI's (openai-openapi.json ``ResponseStreamEvent``; learn.microsoft.com/azure/foundry/openai/how-to/responses
lists ``response.mcp_call.*``, ``response.mcp_call_arguments.delta/done`` and
``response.mcp_list_tools.*``): function call arguments stream as deltas; hosted tools
report ``in_progress`` -> their working phase -> ``completed`` (or ``failed``). Azure sends no
``partial_image`` events (learn.microsoft.com/azure/foundry/openai/how-to/responses: partial images are not supported).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

Event = dict[str, Any]

_CHUNK_RE = re.compile(r".{1,8}", re.S)
"""Arguments stream in short slices, as the service's JSON deltas look."""

# item type -> the phases between in_progress and completed
_PHASES: dict[str, tuple[str, ...]] = {
    "file_search_call": ("searching",),
    "web_search_call": ("searching",),
    "image_generation_call": ("generating",),
    "code_interpreter_call": ("interpreting",),
    "mcp_list_tools": (),
    "mcp_call": (),
}
TOOL_ITEM_TYPES = frozenset({"function_call", "custom_tool_call", "mcp_approval_request", *_PHASES})


def _slices(text: str) -> list[str]:
    return _CHUNK_RE.findall(text)


def _obfuscation(delta: str) -> str:
    return os.urandom(8).hex()[: max(16 - len(delta), 1)]


def opened(item: dict[str, Any]) -> dict[str, Any]:
    """A tool item as ``output_item.added`` shows it: in progress, nothing produced yet."""
    kind = item["type"]
    if kind == "function_call":
        return {**item, "status": "in_progress", "arguments": ""}
    if kind == "custom_tool_call":
        return {**item, "status": "in_progress", "input": ""}
    if kind == "mcp_call":
        return {**item, "status": "in_progress", "arguments": "", "output": None, "error": None}
    if kind == "mcp_list_tools":
        return {**item, "tools": []}
    if kind == "file_search_call":
        return {**item, "status": "in_progress", "results": None}
    if kind == "image_generation_call":
        return {**item, "status": "in_progress", "result": None}
    if kind == "code_interpreter_call":
        return {**item, "status": "in_progress", "code": "", "outputs": None}
    if kind == "web_search_call":
        return {**item, "status": "in_progress"}
    return item


def _arguments(prefix: str, ref: dict[str, Any], arguments: str) -> Iterator[Event]:
    for delta in _slices(arguments):
        yield {"type": f"response.{prefix}.delta", **ref, "delta": delta, "obfuscation": _obfuscation(delta)}
    yield {"type": f"response.{prefix}.done", **ref, "arguments": arguments}


def item_events(index: int, item: dict[str, Any]) -> Iterator[Event]:
    """The events between ``output_item.added`` and ``output_item.done`` of one tool item."""
    kind = item["type"]
    ref = {"item_id": item["id"], "output_index": index}
    if kind == "function_call":
        yield from _arguments("function_call_arguments", ref, item["arguments"])
        return
    if kind == "custom_tool_call":
        for delta in _slices(item["input"]):
            yield {"type": "response.custom_tool_call_input.delta", **ref, "delta": delta, "obfuscation": _obfuscation(delta)}
        yield {"type": "response.custom_tool_call_input.done", **ref, "input": item["input"]}
        return
    if kind not in _PHASES:
        return
    yield {"type": f"response.{kind}.in_progress", **ref}
    if kind == "mcp_call":
        yield from _arguments("mcp_call_arguments", ref, item["arguments"])
    if kind == "code_interpreter_call":
        yield from _code(ref, item.get("code") or "")
    for phase in _PHASES[kind]:
        yield {"type": f"response.{kind}.{phase}", **ref}
    failed = item.get("status") == "failed" or (kind == "mcp_list_tools" and item.get("error"))
    yield {"type": f"response.{kind}.{'failed' if failed else 'completed'}", **ref}


def _code(ref: dict[str, Any], code: str) -> Iterator[Event]:
    for delta in _slices(code):
        yield {"type": "response.code_interpreter_call_code.delta", **ref, "delta": delta, "obfuscation": _obfuscation(delta)}
    yield {"type": "response.code_interpreter_call_code.done", **ref, "code": code}
