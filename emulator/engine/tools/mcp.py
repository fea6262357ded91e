"""The remote MCP tool: the emulator is a real MCP client of the tool's ``server_url``.

Shapes from learn.microsoft.com/azure/foundry/openai/how-to/responses: ``mcp_list_tools`` (once per conversation and server),
``mcp_call`` with the server's real output, and the approval flow
(``mcp_approval_request`` -> ``mcp_approval_response`` via ``previous_response_id``).
``require_approval`` defaults to requiring approval. The tool's ``headers`` (e.g.
``Authorization``) go to the MCP server on every request and nowhere else.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from emulator.state import outbound
from emulator.wire import errors
from emulator.wire.ids import item_id
from emulator.engine.model import Turn
from emulator.engine.tools.function import mentioned
from emulator.engine.tools.schema_values import arguments_for
from emulator.engine.tools.step import ToolStep

TIMEOUT_SECONDS = 15.0


def _headers(tool: dict[str, Any]) -> dict[str, str]:
    headers = {str(k): str(v) for k, v in (tool.get("headers") or {}).items()}
    if isinstance(tool.get("authorization"), str):
        headers["Authorization"] = f"Bearer {tool['authorization']}"
    return headers


def uses_sse(url: str) -> bool:
    """HTTP+SSE (the MCP transport before Streamable HTTP) for a URL whose path ends in ``/sse``.

    The service speaks both transports (docs/documents.md "Remote MCP"); servers of the
    older transport publish their event stream at ``/sse`` by convention (the seed's does)."""
    return urlsplit(url).path.rstrip("/").endswith("/sse")


@contextlib.asynccontextmanager
async def _connect(tool: dict[str, Any]) -> AsyncIterator[Any]:
    """A connected MCP client of the tool's server, over the transport its URL names."""
    import httpx2
    from mcp import Client
    from mcp.client.sse import sse_client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    url = outbound.route(str(tool["server_url"]))
    if uses_sse(url):
        transport = sse_client(url, headers=_headers(tool), timeout=TIMEOUT_SECONDS, sse_read_timeout=TIMEOUT_SECONDS)
        async with Client(transport, mode="legacy") as client:
            yield client
        return
    http = create_mcp_http_client(headers=_headers(tool), timeout=httpx2.Timeout(TIMEOUT_SECONDS))
    client = Client(streamable_http_client(url, http_client=http), mode="legacy")
    async with http, client:
        yield client


def _describe(exc: BaseException) -> str:
    while getattr(exc, "exceptions", None):  # an ExceptionGroup from the client's task group
        exc = exc.exceptions[0]  # type: ignore[attr-defined]
    return f"{type(exc).__name__}: {exc}"[:300]


async def list_tools(tool: dict[str, Any]) -> list[dict[str, Any]]:
    """The server's tools as ``mcp_list_tools`` lists them; 424 if the server fails."""
    label = str(tool.get("server_label", ""))
    try:
        async with _connect(tool) as client:
            listed = await client.list_tools()
    except Exception as exc:  # noqa: BLE001 - any failure of the remote server is a 424
        raise errors.mcp_list_failed(label, _describe(exc)) from None
    return [
        {
            "name": t.name,
            "description": t.description,
            "input_schema": t.input_schema,
            "annotations": t.annotations.model_dump(mode="json", exclude_none=True) if t.annotations else None,
        }
        for t in listed.tools
    ]


async def call_tool(tool: dict[str, Any], name: str, arguments: str) -> tuple[str | None, str | None]:
    """(output, error) of calling ``name`` on the tool's server."""
    try:
        async with _connect(tool) as client:
            result = await client.call_tool(name, json.loads(arguments or "{}"))
    except Exception as exc:  # noqa: BLE001
        return None, _describe(exc)
    text = "\n".join(getattr(part, "text", "") for part in result.content if getattr(part, "type", "") == "text")
    if result.is_error:
        return None, text or "the tool reported an error"
    return text, None


def allowed(tool: dict[str, Any], tools: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``allowed_tools``: a list of names or ``{tool_names: [...]}``."""
    spec = tool.get("allowed_tools")
    if isinstance(spec, dict):
        spec = spec.get("tool_names")
    if not isinstance(spec, list):
        return tools
    return [t for t in tools if t["name"] in spec]


def needs_approval(tool: dict[str, Any], name: str) -> bool:
    """``require_approval``: "never", "always" (the default), or ``{never|always: {tool_names}}``."""
    rule = tool.get("require_approval", "always")
    if rule == "never":
        return False
    if isinstance(rule, dict):
        never = (rule.get("never") or {}).get("tool_names") or []
        return name not in never
    return True


def list_item(tool: dict[str, Any], tools: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": item_id("mcp_list_tools"), "type": "mcp_list_tools", "server_label": tool.get("server_label"), "tools": tools, "error": None}


def approval_item(tool: dict[str, Any], name: str, arguments: str) -> dict[str, Any]:
    return {"id": item_id("mcp_approval_request"), "type": "mcp_approval_request", "arguments": arguments, "name": name, "server_label": tool.get("server_label")}


async def call_item(tool: dict[str, Any], name: str, arguments: str, approval_request_id: str | None) -> ToolStep:
    output, error = await call_tool(tool, name, arguments)
    item = {
        "id": item_id("mcp_call"),
        "type": "mcp_call",
        "status": "completed" if error is None else "failed",
        "approval_request_id": approval_request_id,
        "arguments": arguments,
        "error": error,
        "name": name,
        "output": output,
        "server_label": tool.get("server_label"),
    }
    return ToolStep(items=[item], turns=[Turn("tool", output if output is not None else f"error: {error}")])


def choose(tools: list[dict[str, Any]], text: str) -> dict[str, Any] | None:
    """The server tool the user's text names, else the first one."""
    return next((t for t in tools if mentioned({"name": t["name"]}, text)), tools[0] if tools else None)


async def first_turn(tool: dict[str, Any], text: str, listed: list[dict[str, Any]] | None) -> ToolStep:
    """A user turn with an MCP tool: list tools (unless listed earlier), then call or ask."""
    step = ToolStep()
    if listed is None:
        listed = allowed(tool, await list_tools(tool))
        step.items.append(list_item(tool, listed))
    chosen = choose(allowed(tool, listed), text)
    if chosen is None:
        return step
    arguments = arguments_for(chosen.get("input_schema"), text)
    if needs_approval(tool, chosen["name"]):
        step.items.append(approval_item(tool, chosen["name"], arguments))
        step.turns.append(Turn("assistant", f"approval requested for {chosen['name']}({arguments})"))
        step.stop = True
        return step
    step.extend(await call_item(tool, chosen["name"], arguments, None))
    return step


async def answer_approval(tool: dict[str, Any], request: dict[str, Any], approve: bool) -> ToolStep:
    """The follow-up to an approval request: call the tool if approved, else decline."""
    if not approve:
        return ToolStep(answer=f"The call to {request['name']} was not approved, so I did not run it.")
    return await call_item(tool, request["name"], request["arguments"], request["id"])
