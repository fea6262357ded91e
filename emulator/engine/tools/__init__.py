"""Tools in the create path: decide what the "model" calls, call it, and report the items.

One entry point, :func:`run_tools`, called by the create handler before the response is
built (:func:`emulator.engine.run.execute` takes the resulting :class:`ToolStep`). Each tool family
lives in its own module; :mod:`.gates` decides which tools an api-version or region offers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from emulator.wire import errors
from emulator.engine.conversation import turn_of
from emulator.state.filedata import FileData
from emulator.state.profile import Resource
from emulator.wire.request import CreateRequest
from emulator.state.store import Record
from emulator.engine.tools import code_interpreter, custom, file_search, function, image, mcp, web_search
from emulator.engine.tools.choice import decide
from emulator.engine.tools.code_interpreter import Containers
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
    containers: Containers = field(default_factory=Containers)
    """The resource's code interpreter containers."""


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
    """The tool step of this turn, or None when the model just answers in text.

    ``tool_choice`` narrows the tools (:mod:`.choice`); hosted tools run whenever they are
    offered and the latest input is a user message; ``max_tool_calls`` caps the hosted
    (built-in) calls of the response, as OpenAI documents it; functions and custom tools are
    called when mentioned or when the choice requires a call.
    """
    req = ctx.req
    chosen = decide(req.tools, req.tool_choice)
    if not req.tools or chosen.mode == "none":
        return None
    by_type: dict[str, list[dict[str, Any]]] = {}
    for tool in chosen.tools:
        by_type.setdefault(str(tool.get("type")), []).append(tool)
    followup = await _approvals(ctx, [t for t in req.tools if t.get("type") == "mcp"])
    if followup is not None:
        return followup
    text = _user_text(req)
    if text is None:
        return None
    step = ToolStep()
    include = set(req.include)
    budget = req.max_tool_calls

    def room() -> int | None:
        return None if budget is None else budget - len(step.items)

    def has_room() -> bool:
        left = room()
        return left is None or left > 0

    for tool in by_type.get("file_search", []):
        if has_room():
            step.extend(file_search.search(tool, text, ctx.files, "file_search_call.results" in include))
    for kind in ("web_search", "web_search_preview"):
        for tool in by_type.get(kind, []):
            if has_room():
                step.extend(web_search.run(tool, text, include, room()))
    for tool in by_type.get("code_interpreter", []):
        if has_room():
            index = req.tools.index(tool)
            step.extend(await code_interpreter.run(tool, index, text, "code_interpreter_call.outputs" in include,
                                                   ctx.containers, ctx.files))
    for tool in by_type.get("image_generation", []):
        if has_room():
            step.extend(_image(ctx, tool, text))
    for tool in by_type.get("mcp", []):
        if has_room():
            step.extend(await mcp.first_turn(tool, text, _listed_before(ctx, tool.get("server_label"))))
    if not step.items:
        mode = chosen.forced or chosen.mode
        calls = function.choose(chosen.tools, mode, text, req.parallel_tool_calls)
        items = [function.call_item(tool, text) for tool in calls]
        if not items:
            items = [custom.call_item(tool, text) for tool in custom.choose(chosen.tools, mode, text)]
        for item in items:
            step.items.append(item)
            step.turns.append(turn_of(item))  # type: ignore[arg-type]
        step.stop = bool(items)
    return step if step.items or step.answer is not None else None
