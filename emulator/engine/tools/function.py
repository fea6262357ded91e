"""Function tools: which functions the "model" calls, and the function_call items it emits.

Azure and OpenAI share this shape (learn.microsoft.com/azure/foundry/openai/how-to/responses): the flat tool
``{type: function, name, description, parameters, strict}`` and output items
``{type: function_call, id: fc_…, call_id: call_…, name, arguments}``. The model calls a
function when the latest input is a user message and either ``tool_choice`` forces it or the
message mentions words of the function's name; otherwise it answers in text.
"""

from __future__ import annotations

import os
import re
import string
from typing import Any

from emulator.wire.ids import item_id
from emulator.engine.tools.schema_values import arguments_for

_ALNUM = string.ascii_letters + string.digits
_IGNORED_NAME_WORDS = frozenset({"get", "set", "fetch", "lookup", "find", "do", "run", "call"})


def call_id() -> str:
    """``call_`` + 24 alphanumerics, as the service sends."""
    return "call_" + "".join(_ALNUM[b % len(_ALNUM)] for b in os.urandom(24))


def _name_words(name: str) -> set[str]:
    words = set(re.split(r"[_\-\s]+|(?<=[a-z])(?=[A-Z])", name.lower()))
    return {w for w in words if w and w not in _IGNORED_NAME_WORDS}


def mentioned(tool: dict[str, Any], text: str) -> bool:
    """Whether ``text`` mentions a word of the tool's name (``get_weather`` -> "weather")."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return bool(_name_words(str(tool.get("name", ""))) & words)


def choose(tools: list[dict[str, Any]], tool_choice: Any, text: str, parallel: bool) -> list[dict[str, Any]]:
    """The function tools to call for the user message ``text`` (empty: answer in text)."""
    functions = [t for t in tools if t.get("type") == "function"]
    if not functions or tool_choice == "none":
        return []
    if isinstance(tool_choice, dict):
        if tool_choice.get("type") == "function":
            return [t for t in functions if t.get("name") == tool_choice.get("name")][:1]
        if tool_choice.get("type") == "allowed_tools":
            allowed = {t.get("name") for t in tool_choice.get("tools", []) if isinstance(t, dict)}
            functions = [t for t in functions if t.get("name") in allowed]
            tool_choice = tool_choice.get("mode", "auto")
        else:
            return []
    chosen = [t for t in functions if mentioned(t, text)]
    if not chosen and tool_choice == "required":
        chosen = functions[:1]
    return chosen if parallel else chosen[:1]


def call_item(tool: dict[str, Any], text: str) -> dict[str, Any]:
    """A completed ``function_call`` output item with arguments valid for the tool's schema."""
    return {
        "id": item_id("function_call"),
        "type": "function_call",
        "status": "completed",
        "arguments": arguments_for(tool.get("parameters"), text),
        "call_id": call_id(),
        "name": tool["name"],
    }
