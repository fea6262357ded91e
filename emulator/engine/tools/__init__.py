"""Tools in the create path: decide what the "model" calls, call it, and report the items.

One entry point, :func:`run_tools`, called by the create handler before the response is
built (:func:`emulator.engine.run.execute` takes the resulting :class:`ToolStep`). Each tool family
lives in its own module; :mod:`.gates` decides which tools an api-version or region offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from emulator.wire import errors
from emulator.engine.conversation import turn_of
from emulator.state.filedata import FileData
from emulator.state.profile import Resource
from emulator.wire.request import CreateRequest
from emulator.state.store import Record
from emulator.engine.tools import file_search, function, hosted, image, mcp
from emulator.engine.tools.gates import check_tools
from emulator.engine.tools.step import ToolStep

__all__ = ["ToolContext", "ToolStep", "check_tools", "run_tools"]


@dataclass
class ToolContext:
    req: CreateRequest
    parent: Record | None
    resource: Resource
    files: FileData
    image_deployment: str | None
    """The ``x-ms-oai-image-generation-deployment`` header, if sent."""


def _user_text(req: CreateRequest) -> str | None:
    """The text of the latest input item if it is a user message (else None: no new question)."""
    if not req.input:
        return None
    last = req.input[-1]
    if last.get("type", "message") != "message" or last.get("role") != "user":
        return None
    turn = turn_of({"type": "message", **last})
    return turn.text if turn is not None else ""


def _chain_outputs(parent: Record | None) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    node = parent
    while node is not None:
        items = list(node.response.get("output", [])) + list(node.input_items) + items
        node = node.parent
    return items


def _forced_type(tool_choice: Any) -> str | None:
    if isinstance(tool_choice, dict):
        return str(tool_choice.get("type"))
    return None


async def _approvals(ctx: ToolContext, mcp_tools: list[dict[str, Any]]) -> ToolStep | None:
    responses = [i for i in ctx.req.input if i.get("type") == "mcp_approval_response"]
    if not responses:
        return None
    known = {i["id"]: i for i in _chain_outputs(ctx.parent) + ctx.req.input if i.get("type") == "mcp_approval_request" and i.get("id")}
    step = ToolStep()
    for response in responses:
        request = known.get(response["approval_request_id"])
        if request is None:
            raise errors.approval_request_not_found(str(response["approval_request_id"]))
        tool = next((t for t in mcp_tools if t.get("server_label") == request.get("server_label")), None)
        if tool is None:
            raise errors.invalid_request(
                f"No mcp tool with server_label '{request.get('server_label')}' in this request.", "tools", "invalid_value"
            )
        step.extend(await mcp.answer_approval(tool, request, bool(response["approve"])))
    return step


def _listed_before(ctx: ToolContext, label: object) -> list[dict[str, Any]] | None:
    for item in reversed(_chain_outputs(ctx.parent)):
        if item.get("type") == "mcp_list_tools" and item.get("server_label") == label:
            return list(item.get("tools") or [])
    return None


def _image(ctx: ToolContext, tool: dict[str, Any], text: str) -> ToolStep:
    if ctx.req.stream:
        raise errors.image_stream_not_supported()
    name = ctx.image_deployment
    if not name:
        raise errors.image_deployment_missing()
    deployment = ctx.resource.deployment(name)
    if deployment is None or deployment.kind != "image":
        raise errors.image_deployment_invalid(name)
    step = ToolStep(items=[image.call_item(tool, text)], answer="Here is the image you asked for.")
    return step


async def run_tools(ctx: ToolContext) -> ToolStep | None:
    """The tool step of this turn, or None when the model just answers in text."""
    req = ctx.req
    if not req.tools or req.tool_choice == "none":
        return None
    by_type: dict[str, list[dict[str, Any]]] = {}
    for tool in req.tools:
        by_type.setdefault(str(tool.get("type")), []).append(tool)
    followup = await _approvals(ctx, by_type.get("mcp", []))
    if followup is not None:
        return followup
    text = _user_text(req)
    if text is None:
        return None
    forced = _forced_type(req.tool_choice)
    hosted_ok = lambda kind: forced in (None, kind)  # noqa: E731
    step = ToolStep()
    include = set(req.include)
    for tool in by_type.get("file_search", []) if hosted_ok("file_search") else []:
        step.extend(file_search.search(tool, text, ctx.files, "file_search_call.results" in include))
    for kind in ("web_search", "web_search_preview"):
        for _tool in by_type.get(kind, []) if hosted_ok(kind) else []:
            step.extend(hosted.web_search(text, "web_search_call.action.sources" in include))
    for _tool in by_type.get("code_interpreter", []) if hosted_ok("code_interpreter") else []:
        step.extend(hosted.code_interpreter(text, "code_interpreter_call.outputs" in include))
    for tool in by_type.get("image_generation", []) if hosted_ok("image_generation") else []:
        step.extend(_image(ctx, tool, text))
    for tool in by_type.get("mcp", []) if hosted_ok("mcp") else []:
        step.extend(await mcp.first_turn(tool, text, _listed_before(ctx, tool.get("server_label"))))
    if not step.items and forced in (None, "function", "allowed_tools"):
        calls = function.choose(req.tools, req.tool_choice, text, req.parallel_tool_calls)
        for tool in calls:
            item = function.call_item(tool, text)
            step.items.append(item)
            step.turns.append(turn_of(item))  # type: ignore[arg-type]
        step.stop = bool(calls)
    return step if step.items or step.answer is not None else None
