"""Validation of ``POST /responses`` bodies into a typed :class:`CreateRequest`.

Hand-written rather than pydantic so that each failure gets the OpenAI backend's wording
(``Invalid type for 'x': expected …``, ``Unknown parameter: 'x'.``) with the right ``param``
and ``code``, and so the happy path costs a few dict lookups. Bad input is always a 400,
never a 500.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from emulator.wire import errors
# Every top-level field of OpenAI's CreateResponse (openai-openapi.json, 2026-08 snapshot),
# plus the two penalties Open Responses' CreateResponseBody defines and 2026 Azure bodies echo.
KNOWN_FIELDS = frozenset(
    """background context_management conversation frequency_penalty include input instructions max_output_tokens
    presence_penalty
    max_tool_calls metadata model moderation parallel_tool_calls previous_response_id prompt
    prompt_cache_key prompt_cache_options prompt_cache_retention reasoning safety_identifier
    service_tier store stream stream_options temperature text tool_choice tools top_logprobs
    top_p truncation user""".split()
)

ROLES = ("user", "assistant", "system", "developer")
INPUT_PART_TYPES = ("input_text", "input_image", "input_file", "input_audio")
OUTPUT_PART_TYPES = ("output_text", "refusal")
ITEM_TYPES = (
    "message",
    "function_call",
    "function_call_output",
    "reasoning",
    "item_reference",
    "file_search_call",
    "web_search_call",
    "computer_call",
    "computer_call_output",
    "image_generation_call",
    "code_interpreter_call",
    "local_shell_call",
    "local_shell_call_output",
    "mcp_list_tools",
    "mcp_call",
    "mcp_approval_request",
    "mcp_approval_response",
    "custom_tool_call",
    "custom_tool_call_output",
    "compaction",
)
# learn.microsoft.com/azure/foundry/openai/how-to/responses (openai-3.57.0 ResponseIncludable).
INCLUDABLE = (
    "file_search_call.results",
    "web_search_call.results",
    "web_search_call.action.sources",
    "message.input_image.image_url",
    "computer_call_output.output.image_url",
    "code_interpreter_call.outputs",
    "reasoning.encrypted_content",
    "message.output_text.logprobs",
)
# learn.microsoft.com/azure/foundry/openai/how-to/reasoning (openai 3.57.0 ReasoningEffort).
EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh", "max")
SUMMARIES = ("auto", "concise", "detailed")
TOOL_CHOICE_MODES = ("none", "auto", "required")
TEXT_FORMATS = ("text", "json_schema", "json_object")
TRUNCATIONS = ("auto", "disabled")
VERBOSITIES = ("low", "medium", "high")
DEFAULT_VERBOSITY = "medium"
CACHE_RETENTIONS = ("in-memory", "in_memory", "24h")
SERVICE_TIERS = ("auto", "default", "flex", "scale", "priority")
IMAGE_DETAILS = ("low", "high", "auto", "original")
VERBOSITIES = ("low", "medium", "high")
# context_management entries (OpenAI API reference, responses.create): only `compaction`,
# compact_threshold at least 1000 tokens.
CONTEXT_MANAGEMENT_TYPES = ("compaction",)
MIN_COMPACT_THRESHOLD = 1000
MIN_OUTPUT_TOKENS = 16


@dataclass(slots=True)
class CreateRequest:
    """A validated create request. ``input`` holds validated (not yet normalized) items."""

    model: str
    input: list[dict[str, Any]]
    instructions: str | None = None
    previous_response_id: str | None = None
    conversation: str | None = None
    """The id of the conversation this response reads and extends (``conversation`` as a
    string or ``{"id": ...}``)."""
    store: bool = True
    stream: bool = False
    background: bool = False
    max_output_tokens: int | None = None
    max_tool_calls: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    top_logprobs: int | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    user: str | None = None
    safety_identifier: str | None = None
    prompt_cache_key: str | None = None
    tools: list[dict[str, Any]] = field(default_factory=list)
    tool_choice: str | dict[str, Any] = "auto"
    text: dict[str, Any] = field(default_factory=lambda: {"format": {"type": "text"}})
    reasoning: dict[str, Any] | None = None
    truncation: str = "disabled"
    parallel_tool_calls: bool = True
    include: list[str] = field(default_factory=list)
    service_tier: str | None = None
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    prompt_cache_retention: str | None = None
    context_management: list[dict[str, Any]] = field(default_factory=list)
    sent: frozenset[str] = frozenset()
    """The top-level fields the client actually sent (non-null)."""


def json_type(value: object) -> str:
    """How OpenAI's messages name the JSON type of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _reject_constant(name: str) -> Any:
    # NaN/Infinity are not JSON; Python's parser accepts them, and they could not be echoed.
    raise ValueError(f"invalid JSON constant {name}")


def decode_body(raw: bytes) -> dict[str, Any]:
    """The JSON object in a request body, or the 400 OpenAI sends for non-JSON/non-objects."""
    try:
        # Strict UTF-8 (json.loads on bytes would let encoded surrogates through), and no
        # lone surrogate escapes: either would make the reply unencodable.
        text = raw.decode("utf-8")
        body = json.loads(text, parse_constant=_reject_constant)
        if _SURROGATE_ESCAPE.search(text):
            json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, UnicodeError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        raise errors.invalid_json() from None
    if not isinstance(body, dict):
        raise errors.invalid_body_type(json_type(body))
    return body


# --- small typed getters ------------------------------------------------------------------


def _str(body: dict[str, Any], name: str, param: str | None = None) -> str | None:
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise errors.invalid_type(param or name, "a string", json_type(value))


def _bool(body: dict[str, Any], name: str, default: bool) -> bool:
    value = body.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    raise errors.invalid_type(name, "a boolean", json_type(value))


def _int(body: dict[str, Any], name: str, low: int | None = None, high: int | None = None) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise errors.invalid_type(name, "an integer", json_type(value))
    if low is not None and value < low:
        raise errors.out_of_range(name, value, low, above=False, integer=True)
    if high is not None and value > high:
        raise errors.out_of_range(name, value, high, above=True, integer=True)
    return value


def _number(body: dict[str, Any], name: str, low: float, high: float) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise errors.invalid_type(name, "a decimal", json_type(value))
    if value < low:
        raise errors.out_of_range(name, value, low, above=False, integer=False)
    if value > high:
        raise errors.out_of_range(name, value, high, above=True, integer=False)
    return float(value)


def _enum(value: object, param: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise errors.invalid_type(param, "a string", json_type(value))
    if value not in allowed:
        raise errors.invalid_value(param, value, allowed)
    return value


def _object(value: object, param: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise errors.invalid_type(param, "an object", json_type(value))
    return value


def _array(value: object, param: str) -> list[Any]:
    if not isinstance(value, list):
        raise errors.invalid_type(param, "an array", json_type(value))
    return value


# --- input ------------------------------------------------------------------------------


def _check_part(part: object, param: str, allowed: tuple[str, ...]) -> None:
    part = _object(part, param)
    kind = part.get("type")
    if kind is None:
        raise errors.missing_parameter(f"{param}.type")
    _enum(kind, f"{param}.type", allowed)
    if kind in ("input_text", "output_text"):
        if "text" not in part:
            raise errors.missing_parameter(f"{param}.text")
        if not isinstance(part["text"], str):
            raise errors.invalid_type(f"{param}.text", "a string", json_type(part["text"]))
    elif kind == "refusal":
        if not isinstance(part.get("refusal"), str):
            raise errors.missing_parameter(f"{param}.refusal")
    elif kind == "input_image":
        if part.get("image_url") is None and part.get("file_id") is None:
            raise errors.missing_parameter(f"{param}.image_url")
        for key in ("image_url", "file_id"):
            if part.get(key) is not None and not isinstance(part[key], str):
                raise errors.invalid_type(f"{param}.{key}", "a string", json_type(part[key]))
        if part.get("detail") is not None:
            _enum(part["detail"], f"{param}.detail", IMAGE_DETAILS)
    elif kind == "input_file":
        if all(part.get(k) is None for k in ("file_id", "file_data", "file_url")):
            raise errors.missing_parameter(f"{param}.file_id")


def _check_message(item: dict[str, Any], param: str) -> None:
    role = item.get("role")
    if role is None:
        raise errors.missing_parameter(f"{param}.role")
    _enum(role, f"{param}.role", ROLES)
    if "content" not in item:
        raise errors.missing_parameter(f"{param}.content")
    content = item["content"]
    if isinstance(content, str):
        return
    if not isinstance(content, list):
        raise errors.invalid_type(f"{param}.content", "one of a string or array of input content", json_type(content))
    # Assistant messages echoed back from earlier outputs carry output parts; OpenAI
    # accepts both families on input, so the emulator does too.
    allowed = INPUT_PART_TYPES + OUTPUT_PART_TYPES
    for j, part in enumerate(content):
        _check_part(part, f"{param}.content[{j}]", allowed)


_REQUIRED_BY_TYPE: dict[str, tuple[str, ...]] = {
    "function_call": ("call_id", "name", "arguments"),
    "function_call_output": ("call_id", "output"),
    "item_reference": ("id",),
    "mcp_approval_response": ("approval_request_id", "approve"),
    "custom_tool_call_output": ("call_id", "output"),
    "computer_call_output": ("call_id", "output"),
}


def _check_item(item: object, param: str) -> None:
    item = _object(item, param)
    if item.get("id") is not None and not isinstance(item["id"], str):
        raise errors.invalid_type(f"{param}.id", "a string", json_type(item["id"]))
    if item.get("status") is not None:
        _enum(item["status"], f"{param}.status", ("in_progress", "completed", "incomplete"))
    kind = item.get("type")
    if kind is None or kind == "message":
        _check_message(item, param)
        return
    _enum(kind, f"{param}.type", ITEM_TYPES)
    for key in _REQUIRED_BY_TYPE.get(kind, ()):
        if item.get(key) is None:
            raise errors.missing_parameter(f"{param}.{key}")


def _parse_input(body: dict[str, Any]) -> list[dict[str, Any]]:
    if "input" not in body or body["input"] is None:
        raise errors.missing_parameter("input")
    value = body["input"]
    if isinstance(value, str):
        return [{"role": "user", "content": value}]
    if not isinstance(value, list):
        raise errors.invalid_type("input", "one of a string or array of input items", json_type(value))
    for i, item in enumerate(value):
        _check_item(item, f"input[{i}]")
    return value


def parse_items(value: object, param: str) -> list[dict[str, Any]]:
    """Validated items of a list outside ``input`` (a conversation's ``items``)."""
    items = _array(value, param)
    for i, item in enumerate(items):
        _check_item(item, f"{param}[{i}]")
    return items


def _parse_conversation(body: dict[str, Any]) -> str | None:
    value = body.get("conversation")
    if value is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        value = value["id"]
    if not isinstance(value, str):
        raise errors.invalid_type("conversation", "one of a string or object with an id", json_type(value))
    if body.get("previous_response_id") is not None:
        raise errors.invalid_request(
            "Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.",
            None, "mutually_exclusive_parameters",
        )
    return value


# --- other fields -------------------------------------------------------------------------


def _parse_metadata(body: dict[str, Any]) -> dict[str, str]:
    value = body.get("metadata")
    if value is None:
        return {}
    value = _object(value, "metadata")
    if len(value) > 16:
        raise errors.too_many_keys("metadata", 16, len(value))
    for key, item in value.items():
        if len(key) > 64:
            raise errors.string_too_long(f"metadata.{key}", 64, len(key))
        if not isinstance(item, str):
            raise errors.invalid_type(f"metadata.{key}", "a string", json_type(item))
        if len(item) > 512:
            raise errors.string_too_long(f"metadata.{key}", 512, len(item))
    return value


def _typed_objects(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """``body[name]``: an array of objects that each name their ``type`` ([] when absent)."""
    value = body.get(name)
    if value is None:
        return []
    entries = _array(value, name)
    for i, entry in enumerate(entries):
        if _object(entry, f"{name}[{i}]").get("type") is None:
            raise errors.missing_parameter(f"{name}[{i}].type")
    return entries


def _parse_tools(body: dict[str, Any]) -> list[dict[str, Any]]:
    tools = _typed_objects(body, "tools")
    for i, tool in enumerate(tools):
        if not isinstance(tool["type"], str):
            raise errors.invalid_type(f"tools[{i}].type", "a string", json_type(tool["type"]))
        if tool["type"] in ("function", "custom") and not isinstance(tool.get("name"), str):
            raise errors.missing_parameter(f"tools[{i}].name")
    return tools


def _parse_tool_choice(body: dict[str, Any]) -> str | dict[str, Any]:
    value = body.get("tool_choice")
    if value is None:
        return "auto"
    if isinstance(value, str):
        return _enum(value, "tool_choice", TOOL_CHOICE_MODES)
    value = _object(value, "tool_choice")
    if not isinstance(value.get("type"), str):
        raise errors.missing_parameter("tool_choice.type")
    return value


def _parse_text(body: dict[str, Any]) -> dict[str, Any]:
    value = body.get("text")
    if value is None:
        return {"format": {"type": "text"}, "verbosity": DEFAULT_VERBOSITY}
    value = _object(value, "text")
    verbosity = value.get("verbosity")
    # The service echoes text.verbosity (default "medium") in every body since 2025-10.
    value = {**value, "verbosity": DEFAULT_VERBOSITY if verbosity is None else _enum(verbosity, "text.verbosity", VERBOSITIES)}
    fmt = value.get("format")
    if fmt is None:
        return {**value, "format": {"type": "text"}}
    fmt = _object(fmt, "text.format")
    if fmt.get("type") is None:
        raise errors.missing_parameter("text.format.type")
    _enum(fmt["type"], "text.format.type", TEXT_FORMATS)
    if fmt["type"] == "json_schema":
        for key in ("name", "schema"):
            if fmt.get(key) is None:
                raise errors.missing_parameter(f"text.format.{key}")
        _object(fmt["schema"], "text.format.schema")
    return value


def _parse_reasoning(body: dict[str, Any]) -> dict[str, Any] | None:
    value = body.get("reasoning")
    if value is None:
        return None
    value = _object(value, "reasoning")
    if value.get("effort") is not None:
        _enum(value["effort"], "reasoning.effort", EFFORTS)
    for key in ("summary", "generate_summary"):
        if value.get(key) is not None:
            _enum(value[key], f"reasoning.{key}", SUMMARIES)
    return value


def _parse_include(body: dict[str, Any]) -> list[str]:
    value = body.get("include")
    if value is None:
        return []
    value = _array(value, "include")
    for i, item in enumerate(value):
        _enum(item, f"include[{i}]", INCLUDABLE)
    return value


def _parse_context_management(body: dict[str, Any]) -> list[dict[str, Any]]:
    entries = _typed_objects(body, "context_management")
    for i, entry in enumerate(entries):
        _enum(entry["type"], f"context_management[{i}].type", CONTEXT_MANAGEMENT_TYPES)
        threshold = entry.get("compact_threshold")
        if threshold is not None:
            if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
                raise errors.invalid_type(f"context_management[{i}].compact_threshold", "a number", json_type(threshold))
            if threshold < MIN_COMPACT_THRESHOLD:
                raise errors.out_of_range(f"context_management[{i}].compact_threshold", threshold,
                                          MIN_COMPACT_THRESHOLD, above=False, integer=False)
    return entries


def parse_create(body: dict[str, Any]) -> CreateRequest:
    """Validate a create body whose ``model`` has already been resolved to a string."""
    for name in body:
        if name not in KNOWN_FIELDS:
            raise errors.unknown_parameter(name)
    model = body["model"]
    items = _parse_input(body)
    safety = _str(body, "safety_identifier")
    if safety is not None and len(safety) > 64:
        raise errors.string_too_long("safety_identifier", 64, len(safety))
    truncation = body.get("truncation")
    tier = body.get("service_tier")
    return CreateRequest(
        model=model,
        input=items,
        instructions=_str(body, "instructions"),
        previous_response_id=_str(body, "previous_response_id"),
        conversation=_parse_conversation(body),
        store=_bool(body, "store", True),
        stream=_bool(body, "stream", False),
        background=_bool(body, "background", False),
        max_output_tokens=_int(body, "max_output_tokens", low=MIN_OUTPUT_TOKENS),
        max_tool_calls=_int(body, "max_tool_calls", low=1),
        temperature=_number(body, "temperature", 0, 2),
        top_p=_number(body, "top_p", 0, 1),
        top_logprobs=_int(body, "top_logprobs", low=0, high=20),
        metadata=_parse_metadata(body),
        user=_str(body, "user"),
        safety_identifier=safety,
        prompt_cache_key=_str(body, "prompt_cache_key"),
        tools=_parse_tools(body),
        tool_choice=_parse_tool_choice(body),
        text=_parse_text(body),
        reasoning=_parse_reasoning(body),
        truncation="disabled" if truncation is None else _enum(truncation, "truncation", TRUNCATIONS),
        parallel_tool_calls=_bool(body, "parallel_tool_calls", True),
        include=_parse_include(body),
        service_tier=None if tier is None else _enum(tier, "service_tier", SERVICE_TIERS),
        frequency_penalty=_penalty(body, "frequency_penalty"),
        presence_penalty=_penalty(body, "presence_penalty"),
        prompt_cache_retention=_cache_retention(body),
        context_management=_parse_context_management(body),
        sent=frozenset(k for k, v in body.items() if v is not None),
    )


def _penalty(body: dict[str, Any], name: str) -> float:
    value = _number(body, name, -2, 2)
    return 0.0 if value is None else float(value)


def _cache_retention(body: dict[str, Any]) -> str | None:
    value = body.get("prompt_cache_retention")
    return None if value is None else _enum(value, "prompt_cache_retention", CACHE_RETENTIONS)
