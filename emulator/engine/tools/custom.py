"""Custom (free-form) tools: ``{type: custom, name, description, format}`` and their calls.

The model sends a ``custom_tool_call`` whose ``input`` is free text, not JSON arguments
(OpenAI API reference, CustomToolCall; learn.microsoft.com/azure/foundry/openai/how-to/responses: Azure's reasoning doc lists the
custom tool type and lark grammars for GPT-5 models). The emulator calls a custom tool when
``tool_choice`` forces it (``{type: custom, name}``, ``required``) or the message mentions a
word of its name; the input is the first fenced code block or quoted string of the message,
else the whole message. Grammars are passed through unchecked (the emulator has no sampler
to constrain).
"""

from __future__ import annotations

import re
from typing import Any

from emulator.wire.ids import item_id
from emulator.engine.tools.function import call_id, mentioned

_FENCE_RE = re.compile(r"```[\w-]*\s*\n(.*?)```", re.S)
_QUOTED_RE = re.compile(r"\"([^\"\n]{1,500})\"")


def input_for(text: str) -> str:
    """The free-form input the model writes for the user message ``text``."""
    if m := _FENCE_RE.search(text):
        return m.group(1).strip()
    if m := _QUOTED_RE.search(text):
        return m.group(1)
    return text.strip()


def choose(tools: list[dict[str, Any]], mode: Any, text: str) -> list[dict[str, Any]]:
    """The custom tools to call (``mode`` is "auto", "required" or a forced ``{type: custom}``)."""
    custom = [t for t in tools if t.get("type") == "custom"]
    if isinstance(mode, dict):
        return [t for t in custom if t.get("name") == mode.get("name")][:1]
    chosen = [t for t in custom if mentioned(t, text)][:1]
    return chosen or (custom[:1] if mode == "required" else [])


def call_item(tool: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": item_id("custom_tool_call"),
        "type": "custom_tool_call",
        "status": "completed",
        "call_id": call_id(),
        "name": tool["name"],
        "input": input_for(text),
    }
