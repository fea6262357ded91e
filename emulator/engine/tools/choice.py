"""``tool_choice``: which of a request's tools the model may call, and whether it must.

OpenAI's forms (API reference, ``ToolChoiceOptions``/``ToolChoiceAllowed``/``ToolChoiceFunction``/
``ToolChoiceCustom``/hosted ``ToolChoiceTypes``): ``"auto"``, ``"none"``, ``"required"``;
``{type: function|custom, name}`` forces that tool; ``{type: <hosted type>}`` forces a hosted
tool; ``{type: allowed_tools, mode: auto|required, tools: [...]}`` narrows the list. A choice
that names a tool the request does not have is refused (400), as is ``required`` without tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.wire import errors
NAMED = ("function", "custom")


@dataclass(frozen=True)
class Choice:
    tools: list[dict[str, Any]]
    """The tools the model may call this turn."""
    mode: str
    """"auto" (may answer in text), "required" (must call one), or "none"."""
    forced: dict[str, Any] | None = None
    """The one tool ``tool_choice`` names, if it names one."""


def _matches(tool: dict[str, Any], wanted: dict[str, Any]) -> bool:
    if tool.get("type") != wanted.get("type"):
        return False
    keys = [k for k in ("name", "server_label") if k in wanted]
    return all(tool.get(k) == wanted.get(k) for k in keys)


def _missing(what: str) -> errors.ApiError:
    return errors.invalid_request(f"Tool choice {what} not found in 'tools' parameter.", "tool_choice", "invalid_value")


def decide(tools: list[dict[str, Any]], tool_choice: str | dict[str, Any]) -> Choice:
    """The tools the model may call and how, or Azure's 400 for a choice that cannot hold."""
    if isinstance(tool_choice, str):
        if tool_choice == "required" and not tools:
            raise errors.invalid_request("Tool choice 'required' must be specified with 'tools' parameter.",
                                         "tool_choice", "invalid_value")
        return Choice(tools, tool_choice)
    kind = str(tool_choice.get("type"))
    if kind == "allowed_tools":
        wanted = tool_choice.get("tools")
        if not isinstance(wanted, list) or not all(isinstance(w, dict) for w in wanted):
            raise errors.missing_parameter("tool_choice.tools")
        allowed = [t for t in tools if any(_matches(t, w) for w in wanted)]
        for w in wanted:
            if not any(_matches(t, w) for t in tools):
                raise _missing(f"'allowed_tools' entry {w.get('name') or w.get('type')!r}")
        mode = str(tool_choice.get("mode", "auto"))
        if mode not in ("auto", "required"):
            raise errors.invalid_value("tool_choice.mode", mode, ["auto", "required"])
        return Choice(allowed, mode)
    if kind in NAMED:
        name = tool_choice.get("name")
        found = [t for t in tools if t.get("type") == kind and t.get("name") == name]
        if not found:
            raise _missing(f"'{kind}' with name {name!r}")
        return Choice(found, "required", tool_choice)
    kinds = {kind, "web_search" if kind == "web_search_preview" else kind}
    found = [t for t in tools if t.get("type") in kinds]
    if not found:
        raise _missing(f"'{kind}'")
    return Choice(found, "required", tool_choice)
