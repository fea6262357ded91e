"""Tool bugs: function calling, remote MCP and the image tool."""

from __future__ import annotations

from typing import Any

from emulator.mutations.base import Event, Exchange, ItemFix, Mutant, register
from emulator.mutations.state import Echoing
from emulator.mutations.streaming import Renumbering

FUNCTION = ("tools.function",)
MCP = ("tools.mcp", "tools.mcp.approval")
IMAGE = ("tools.image_generation",)


def _tools(ex: Exchange, kind: str) -> list[dict[str, Any]]:
    tools = ex.body("tools")
    return [t for t in tools if isinstance(t, dict) and t.get("type") == kind] if isinstance(tools, list) else []


@register("parallel-tool-calls-false-ignored", "tools", "parallel_tool_calls=false still gets several calls in one turn",
          *FUNCTION)
class ParallelFalseIgnored(Echoing):
    field, flipped = "parallel_tool_calls", False


@register("parallel-tool-calls-never", "tools", "the model never makes parallel calls, even with parallel_tool_calls=true",
          *FUNCTION)
class ParallelNever(Echoing):
    field = "parallel_tool_calls"

    def drop(self, ex: Exchange) -> bool:
        if not ex.request.get("tools") or ex.request.get("parallel_tool_calls") is False:
            return False
        ex.request["parallel_tool_calls"] = False
        return True


@register("tool-choice-ignored", "tools", "a tool_choice naming one function is treated as auto", *FUNCTION)
class ToolChoiceIgnored(Echoing):
    field = "tool_choice"

    def drop(self, ex: Exchange) -> bool:
        if not isinstance(ex.request.get("tool_choice"), dict):
            return False
        ex.request["tool_choice"] = "auto"
        return True


@register("function-arguments-truncated", "tools", "function_call arguments lose their last character (not valid JSON)",
          *FUNCTION)
class ArgumentsTruncated(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        if item.get("type") != "function_call" or not item.get("arguments"):
            return False
        item["arguments"] = item["arguments"][:-1]
        return True

    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        if event.get("type") == "response.function_call_arguments.done" and event.get("arguments"):
            return [{**event, "arguments": event["arguments"][:-1]}]
        return super().event(ex, event)


@register("function-call-id-empty", "tools", "function_call items carry an empty call_id", *FUNCTION)
class CallIdEmpty(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        if item.get("type") != "function_call" or not item.get("call_id"):
            return False
        item["call_id"] = ""
        return True


@register("function-output-dropped", "tools", "function_call_output items reach the model with an empty output",
          *FUNCTION)
class FunctionOutputDropped(Mutant):
    def request(self, ex: Exchange) -> bool:
        changed = False
        for item in ex.body("input") if isinstance(ex.body("input"), list) else []:
            if isinstance(item, dict) and item.get("type") == "function_call_output" and item.get("output"):
                item["output"] = ""
                changed = True
        return changed


@register("function-arguments-delta-dropped", "tools", "the first function_call_arguments.delta of a stream is lost",
          *FUNCTION)
class ArgumentsDeltaDropped(Renumbering):
    def keep(self, ex: Exchange, event: Event) -> list[Event]:
        if event.get("type") == "response.function_call_arguments.delta" and not ex.notes.get("dropped"):
            ex.notes["dropped"] = True
            return []
        return [event]


@register("approval-request-id-null", "tools", "the mcp_call made after an approval has approval_request_id: null", *MCP)
class ApprovalRequestIdNull(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        if item.get("type") != "mcp_call" or item.get("approval_request_id") is None:
            return False
        item["approval_request_id"] = None
        return True


@register("mcp-approval-skipped", "tools", "require_approval=always is ignored: the MCP tool is called at once", *MCP)
class ApprovalSkipped(Echoing):
    field = "tools"

    def drop(self, ex: Exchange) -> bool:
        changed = False
        for tool in _tools(ex, "mcp"):
            if tool.get("require_approval", "always") != "never":
                tool["require_approval"] = "never"
                changed = True
        return changed


@register("mcp-denial-runs-tool", "tools", "a denied mcp_approval_response still runs the tool", *MCP)
class DenialRunsTool(Mutant):
    def request(self, ex: Exchange) -> bool:
        changed = False
        for item in ex.body("input") if isinstance(ex.body("input"), list) else []:
            if isinstance(item, dict) and item.get("type") == "mcp_approval_response" and item.get("approve") is False:
                item["approve"] = True
                changed = True
        return changed


@register("mcp-allowed-tools-ignored", "tools", "allowed_tools is ignored: every server tool is listed and callable", *MCP)
class AllowedToolsIgnored(Echoing):
    field = "tools"

    def drop(self, ex: Exchange) -> bool:
        return any(tool.pop("allowed_tools", None) is not None for tool in _tools(ex, "mcp"))


@register("mcp-arguments-delta-mismatch", "tools", "mcp_call_arguments deltas do not add up to the call's arguments", *MCP)
class McpArgumentsDeltaMismatch(Mutant):
    def event(self, ex: Exchange, event: Event) -> list[Event] | None:
        if event.get("type") != "response.mcp_call_arguments.delta" or ex.notes.get("done"):
            return None
        ex.notes["done"] = True
        return [{**event, "delta": event.get("delta", "") + " "}]


@register("image-size-ignored", "tools", "the image tool's size is echoed but every image is 1024x1024", *IMAGE)
class ImageSizeIgnored(Echoing):
    field = "tools"

    def drop(self, ex: Exchange) -> bool:
        return any(tool.pop("size", None) not in (None, "auto", "1024x1024") for tool in _tools(ex, "image_generation"))


@register("image-result-truncated", "tools", "image_generation_call.result holds only the first half of the image",
          *IMAGE)
class ImageResultTruncated(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        result = item.get("result")
        if item.get("type") != "image_generation_call" or not isinstance(result, str) or len(result) < 64:
            return False
        item["result"] = result[: len(result) // 2 // 4 * 4]
        return True


@register("url-citations-dropped", "tools", "a web search answer carries no url_citation annotations", "tools.web_search")
class UrlCitationsDropped(ItemFix):
    def fix_item(self, ex: Exchange, item: dict[str, Any]) -> bool:
        changed = False
        for part in item.get("content") or [] if item.get("type") == "message" else []:
            if isinstance(part, dict) and part.get("annotations"):
                part["annotations"] = []
                changed = True
        return changed
