"""`check_response`: is a JSON dict a well-formed Responses API Response object?

Only fields present since the Responses launch (2025-03) are required, so older Azure
api-versions pass; everything else is type-checked when present. Unknown fields and unknown
output item types are allowed: Azure adds `content_filters`, Foundry adds `agent`, and new
tools add item types faster than any checker is updated.
"""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Mapping

from conformance.checks._base import (
    ARRAY,
    BOOL,
    INT,
    NULL,
    NUMBER,
    OBJECT,
    STR,
    FieldSpec,
    Violation,
    check_fields,
    is_int,
    join,
    json_type,
)
from conformance.checks.tools import TOOL_ITEM_CHECKS, check_annotations
from conformance.checks.content_filter import check_content_filters

__all__ = ["RESPONSE_STATUSES", "check_output_item", "check_response"]

RESPONSE_STATUSES = frozenset({"completed", "failed", "in_progress", "cancelled", "queued", "incomplete"})
"""`openai.types.responses.ResponseStatus` in openai 3.57.0."""

_F = FieldSpec.of

_REQUIRED: Mapping[str, FieldSpec] = {
    "id": _F(STR, required=True),
    "object": _F(STR, required=True),
    "created_at": _F(NUMBER, required=True),  # Azure sends floats (1741369938.0), OpenAI ints
    "status": _F(STR, required=True),
    "output": _F(ARRAY, required=True),
    "model": _F(STR, required=True),
}

_OPTIONAL: Mapping[str, FieldSpec] = {
    "error": _F(NULL, OBJECT),
    "incomplete_details": _F(NULL, OBJECT),
    "instructions": _F(NULL, STR, ARRAY),
    "metadata": _F(NULL, OBJECT),
    "temperature": _F(NULL, NUMBER),
    "top_p": _F(NULL, NUMBER),
    "top_logprobs": _F(NULL, INT),
    "parallel_tool_calls": _F(BOOL),
    "tool_choice": _F(STR, OBJECT),
    "tools": _F(ARRAY),
    "max_output_tokens": _F(NULL, INT),
    "max_tool_calls": _F(NULL, INT),
    "previous_response_id": _F(NULL, STR),
    "background": _F(NULL, BOOL),
    "store": _F(NULL, BOOL),
    "completed_at": _F(NULL, NUMBER),
    "reasoning": _F(NULL, OBJECT),
    "text": _F(NULL, OBJECT),
    "truncation": _F(NULL, STR),
    "service_tier": _F(NULL, STR),
    "usage": _F(NULL, OBJECT),
    "user": _F(NULL, STR),
    "prompt": _F(NULL, OBJECT),
    "prompt_cache_key": _F(NULL, STR),
    "prompt_cache_retention": _F(NULL, STR),
    "safety_identifier": _F(NULL, STR),
    "conversation": _F(NULL, OBJECT),
    "output_text": _F(STR),
    # Azure / Foundry extensions
    "content_filters": _F(NULL, ARRAY),
    "agent": _F(NULL, OBJECT),
}


def check_response(body: dict[str, Any], *, where: str = "") -> list[Violation]:
    """Every rule a Response object must satisfy; `where` prefixes locations (e.g. `events[9].response`)."""
    if not isinstance(body, dict):  # JSON can hold anything: say so rather than raise
        return [Violation(where, f"a response must be a JSON object, got {json_type(body)}", "response.shape")]
    found = check_fields(body, where, _REQUIRED, rule="response.field", missing_rule="response.required")
    found += check_fields(body, where, _OPTIONAL, rule="response.field")
    for rule in _RESPONSE_RULES:
        found += rule(body, where)
    return found


def _check_identity(body: dict[str, Any], where: str) -> list[Violation]:
    """`id` names the response later (retrieve, previous_response_id), so it cannot be empty."""
    found: list[Violation] = []
    if body.get("id") == "":
        found.append(Violation(join(where, "id"), "id is an empty string", "response.field"))
    obj = body.get("object")
    if isinstance(obj, str) and obj != "response":
        found.append(Violation(join(where, "object"), f'expected "response", got {obj!r}', "response.field"))
    return found


EARLIEST_TIMESTAMP = 1577836800  # 2020-01-01T00:00:00Z: before any Responses API existed
_LEEWAY_SECONDS = 86400  # a day of clock skew between the service and this machine


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_timestamps(body: dict[str, Any], where: str) -> list[Violation]:
    """Unix seconds, int or float: milliseconds (x1000) or a zero clock land far outside this window."""
    found: list[Violation] = []
    latest = time.time() + _LEEWAY_SECONDS
    for key in ("created_at", "completed_at"):
        value = body.get(key)
        if _number(value) and not EARLIEST_TIMESTAMP <= value <= latest:
            hint = " (milliseconds?)" if value > latest else ""
            what = f"{key} {value} is not a Unix time in seconds between 2020 and a day from now{hint}"
            found.append(Violation(join(where, key), what, "response.timestamp"))
    created, completed = body.get("created_at"), body.get("completed_at")
    if not found and _number(created) and _number(completed) and completed < created:
        what = f"completed_at {completed} is before created_at {created}"
        found.append(Violation(join(where, "completed_at"), what, "response.timestamp"))
    return found


def _check_status(body: dict[str, Any], where: str) -> list[Violation]:
    """Status must be one the SDK can represent."""
    status = body.get("status")
    if isinstance(status, str) and status not in RESPONSE_STATUSES:
        allowed = ", ".join(sorted(RESPONSE_STATUSES))
        what = f"unknown status {status!r} (expected one of {allowed})"
        return [Violation(join(where, "status"), what, "response.status")]
    return []


def _has_reason(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("reason"), str)


# status -> (field, test the field's value must pass, what it means when it does not)
_STATUS_NEEDS: Mapping[str, tuple[tuple[str, Callable[[Any], bool], str], ...]] = {
    "completed": (
        ("error", lambda v: v is None, "status is completed but error is set"),
        ("incomplete_details", lambda v: v is None, "status is completed but incomplete_details is set"),
    ),
    "incomplete": (("incomplete_details", _has_reason, "status is incomplete but incomplete_details has no reason"),),
    "failed": (("error", lambda v: isinstance(v, dict), "status is failed but error is not an object"),),
}


def _check_status_consistency(body: dict[str, Any], where: str) -> list[Violation]:
    """Clients branch on status, then read `error`/`incomplete_details`: the two must agree."""
    needs = _STATUS_NEEDS.get(body.get("status"), ()) if isinstance(body.get("status"), str) else ()
    return [
        Violation(join(where, key), what, "response.status_consistency")
        for key, test, what in needs
        if not test(body.get(key))
    ]


def _check_error_object(body: dict[str, Any], where: str) -> list[Violation]:
    """A non-null `error` carries a human-readable message and a code string (or null)."""
    error = body.get("error")
    if not isinstance(error, dict):
        return []
    spec = {"message": _F(STR, required=True), "code": _F(STR, NULL)}
    return check_fields(error, join(where, "error"), spec, rule="response.field", missing_rule="response.required")


def _check_output(body: dict[str, Any], where: str) -> list[Violation]:
    """Each output item is an object with a string `type`; known types get their own checks."""
    output = body.get("output")
    if not isinstance(output, list):
        return []
    found: list[Violation] = []
    for index, item in enumerate(output):
        found += check_output_item(item, join(join(where, "output"), index), final=True)
    return found


def _short(text: str, limit: int = 60) -> str:
    return repr(text) if len(text) <= limit else repr(text[: limit - 3] + "...")


def _output_text_of(output: list[Any]) -> str:
    """What the SDK's `Response.output_text` property computes from `output`."""
    texts: list[str] = []
    for item in output:
        if isinstance(item, dict) and item.get("type") == "message" and isinstance(item.get("content"), list):
            for part in item["content"]:
                if isinstance(part, dict) and part.get("type") == "output_text" and isinstance(part.get("text"), str):
                    texts.append(part["text"])
    return "".join(texts)


def _check_output_text(body: dict[str, Any], where: str) -> list[Violation]:
    """A server-side `output_text` convenience field must say what `output` says."""
    declared, output = body.get("output_text"), body.get("output")
    if not isinstance(declared, str) or not isinstance(output, list):
        return []
    actual = _output_text_of(output)
    if declared != actual:
        what = f"output_text {_short(declared)} differs from the message output_text parts {_short(actual)}"
        return [Violation(join(where, "output_text"), what, "response.output_text")]
    return []


def _non_negative_int(obj: Mapping[str, Any], key: str, where: str, *, required: bool) -> list[Violation]:
    if key not in obj:
        missing = Violation(join(where, key), "required token count is missing", "response.usage")
        return [missing] if required else []
    value = obj[key]
    if not is_int(value) or value < 0:
        return [Violation(join(where, key), f"expected a non-negative integer, got {value!r}", "response.usage")]
    return []


def _at_most(obj: Mapping[str, Any], key: str, limit: Any, where: str, of: str) -> list[Violation]:
    value = obj.get(key)
    if is_int(value) and is_int(limit) and value > limit:
        return [Violation(join(where, key), f"{key} {value} exceeds {of} {limit}", "response.usage")]
    return []


def _check_usage(body: dict[str, Any], where: str) -> list[Violation]:
    """Token counts are billed: non-negative, the total adds up, the breakdowns fit inside."""
    usage = body.get("usage")
    if not isinstance(usage, dict):
        return []
    at = join(where, "usage")
    found: list[Violation] = []
    for key in ("input_tokens", "output_tokens", "total_tokens"):
        found += _non_negative_int(usage, key, at, required=True)
    if not found and usage["total_tokens"] != usage["input_tokens"] + usage["output_tokens"]:
        what = "total_tokens {total_tokens} != input_tokens {input_tokens} + output_tokens {output_tokens}"
        found.append(Violation(join(at, "total_tokens"), what.format(**usage), "response.usage"))
    details = (
        ("input_tokens_details", ("cached_tokens", "cache_write_tokens"), "input_tokens"),
        ("output_tokens_details", ("reasoning_tokens",), "output_tokens"),
    )
    for name, keys, total_key in details:
        sub = usage.get(name)
        if sub is None:
            continue
        if not isinstance(sub, dict):
            found.append(Violation(join(at, name), f"expected object, got {json_type(sub)}", "response.usage"))
            continue
        for key in keys:
            found += _non_negative_int(sub, key, join(at, name), required=False)
            found += _at_most(sub, key, usage.get(total_key), join(at, name), total_key)
    return found


def _reasoning_shown(output: Any) -> bool:
    """True when a reasoning item in output carries summary or reasoning text (the model reasoned)."""
    for item in output if isinstance(output, list) else ():
        if not isinstance(item, dict) or item.get("type") != "reasoning":
            continue
        for key in ("summary", "content"):
            parts = item.get(key)
            for part in parts if isinstance(parts, list) else ():
                if isinstance(part, dict) and isinstance(part.get("text"), str) and part["text"].strip():
                    return True
    return False


def _check_reasoning_tokens(body: dict[str, Any], where: str) -> list[Violation]:
    """A summary is written from reasoning the model did, and reasoning is billed as output.

    Only summaries and reasoning text count: a reasoning item with an empty summary may come
    with 0 reasoning tokens (e.g. effort "minimal").
    """
    usage = body.get("usage")
    details = usage.get("output_tokens_details") if isinstance(usage, dict) else None
    tokens = details.get("reasoning_tokens") if isinstance(details, dict) else None
    if tokens == 0 and not isinstance(tokens, bool) and _reasoning_shown(body.get("output")):
        what = "reasoning_tokens is 0 although the output has reasoning summary or text"
        return [Violation(join(where, "usage.output_tokens_details.reasoning_tokens"), what, "response.reasoning_tokens")]
    return []


_RESPONSE_RULES: tuple[Callable[[dict[str, Any], str], list[Violation]], ...] = (
    _check_identity,
    _check_timestamps,
    _check_status,
    _check_status_consistency,
    _check_error_object,
    _check_output,
    _check_output_text,
    _check_usage,
    _check_reasoning_tokens,
    check_content_filters,
)


# ---- output items -------------------------------------------------------------------------

_ITEM_RULE = "response.output_item"
_MESSAGE_FIELDS = {
    "id": _F(STR, required=True),
    "role": _F(STR, required=True),
    "content": _F(ARRAY, required=True),
    "status": _F(STR),
}
_PART_FIELDS: Mapping[str, Mapping[str, FieldSpec]] = {
    "output_text": {"text": _F(STR, required=True), "annotations": _F(ARRAY, required=True), "logprobs": _F(ARRAY, NULL)},
    "refusal": {"refusal": _F(STR, required=True)},
}
_FUNCTION_CALL_FIELDS = {
    "call_id": _F(STR, required=True),
    "name": _F(STR, required=True),
    "arguments": _F(STR, required=True),
    "id": _F(STR),
    "status": _F(STR),
}
_REASONING_FIELDS = {
    "id": _F(STR, required=True),
    "summary": _F(ARRAY, required=True),
    "content": _F(ARRAY, NULL),
    "encrypted_content": _F(STR, NULL),
    "status": _F(STR),
}
_TEXT_PART_FIELDS = {"type": _F(STR, required=True), "text": _F(STR, required=True)}


def check_output_item(item: Any, where: str, *, final: bool) -> list[Violation]:
    """Check one output item; `final=False` for the in-progress copy in `output_item.added`."""
    if not isinstance(item, dict):
        return [Violation(where, f"an output item must be an object, got {json_type(item)}", _ITEM_RULE)]
    kind = item.get("type")
    if not isinstance(kind, str):
        what = f"an output item needs a string type, got {json_type(kind)}"
        return [Violation(join(where, "type"), what, _ITEM_RULE)]
    check = _ITEM_CHECKS.get(kind)
    return check(item, where, final) if check else []


def _item_fields(item: dict[str, Any], where: str, specs: Mapping[str, FieldSpec]) -> list[Violation]:
    return check_fields(item, where, specs, rule=_ITEM_RULE)


def _check_message(item: dict[str, Any], where: str, final: bool) -> list[Violation]:
    """A message is the assistant's; its parts are output_text{text, annotations} or refusal{refusal}."""
    found = _item_fields(item, where, _MESSAGE_FIELDS)
    role = item.get("role")
    if isinstance(role, str) and role != "assistant":
        what = f'an output message has role "assistant", got {role!r}'
        found.append(Violation(join(where, "role"), what, _ITEM_RULE))
    content = item.get("content")
    for index, part in enumerate(content if isinstance(content, list) else []):
        found += _check_message_part(part, join(join(where, "content"), index))
    return found


def _check_message_part(part: Any, where: str) -> list[Violation]:
    if not isinstance(part, dict) or not isinstance(part.get("type"), str):
        return [Violation(where, "a content part must be an object with a string type", _ITEM_RULE)]
    return _item_fields(part, where, _PART_FIELDS.get(part["type"], {})) + check_annotations(part, where)


def _check_function_call(item: dict[str, Any], where: str, final: bool) -> list[Violation]:
    """A function call names the function and carries JSON arguments the client will parse."""
    found = _item_fields(item, where, _FUNCTION_CALL_FIELDS)
    arguments = item.get("arguments")
    unfinished = item.get("status") in ("in_progress", "incomplete")  # cut short: the JSON may be partial
    if final and not unfinished and isinstance(arguments, str):
        try:
            json.loads(arguments)
        except json.JSONDecodeError as exc:
            what = f"arguments are not valid JSON ({exc.msg} at {exc.pos})"
            found.append(Violation(join(where, "arguments"), what, "response.arguments_json"))
    return found


def _check_reasoning(item: dict[str, Any], where: str, final: bool) -> list[Violation]:
    """A reasoning item has a summary list (maybe empty) of summary_text parts."""
    found = _item_fields(item, where, _REASONING_FIELDS)
    for key in ("summary", "content"):
        parts = item.get(key)
        for index, part in enumerate(parts if isinstance(parts, list) else []):
            here = join(join(where, key), index)
            if not isinstance(part, dict):
                found.append(Violation(here, f"expected object, got {json_type(part)}", _ITEM_RULE))
                continue
            found += _item_fields(part, here, _TEXT_PART_FIELDS)
    return found


_ITEM_CHECKS: Mapping[str, Callable[[dict[str, Any], str, bool], list[Violation]]] = {
    "message": _check_message,
    "function_call": _check_function_call,
    "reasoning": _check_reasoning,
    **TOOL_ITEM_CHECKS,
}
