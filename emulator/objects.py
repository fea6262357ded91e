"""JSON shapes of Response objects and their output items, in the service's field order.

Sources: OpenAI's Response schema (../shared/spec/openai-openapi.json) and Azure's
AzureResponse (../shared/spec/azure-v1-v1-generated.json), plus the observed Azure extras in
azure-wire-facts.md. ``output_text`` is deliberately absent: the SDK computes it.
"""

from __future__ import annotations

from typing import Any

from .ids import item_id

_HARM_CATEGORIES = ("hate", "sexual", "violence", "self_harm")


def message_item(text: str, *, complete: bool = True, annotations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An assistant output message with one ``output_text`` part (annotations: citations)."""
    return {
        "id": item_id("message"),
        "type": "message",
        "status": "completed" if complete else "incomplete",
        "content": [{"type": "output_text", "annotations": annotations or [], "logprobs": [], "text": text}],
        "role": "assistant",
    }


def user_message(text: str) -> dict[str, Any]:
    """A user input message as compacted output lists it (one ``input_text`` part)."""
    return {"id": item_id("message"), "type": "message", "status": "completed", "role": "user",
            "content": [{"type": "input_text", "text": text}]}


def reasoning_item(summary: list[str] | None, encrypted_content: str | None = None) -> dict[str, Any]:
    """A reasoning output item; ``summary`` is empty unless a summary was asked for, and
    ``encrypted_content`` is present only when the request included it."""
    parts = [{"type": "summary_text", "text": text} for text in summary or ()]
    item: dict[str, Any] = {"id": item_id("reasoning"), "type": "reasoning", "summary": parts}
    if encrypted_content is not None:
        item["encrypted_content"] = encrypted_content
    return item


def usage(input_tokens: int, output_tokens: int, reasoning_tokens: int = 0, cached_tokens: int = 0) -> dict[str, Any]:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": cached_tokens},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "total_tokens": input_tokens + output_tokens,
    }


def _filter_entry(source: str, length: int) -> dict[str, Any]:
    results: dict[str, Any] = {c: {"filtered": False, "severity": "safe"} for c in _HARM_CATEGORIES}
    if source == "prompt":
        results["jailbreak"] = {"filtered": False, "detected": False}
    else:
        results["protected_material_text"] = {"filtered": False, "detected": False}
        results["protected_material_code"] = {"filtered": False, "detected": False}
    return {
        "blocked": False,
        "source_type": source,
        "content_filter_raw": [],
        "content_filter_results": results,
        "content_filter_offsets": {"start_offset": 0, "end_offset": length, "check_offset": 0},
    }


def content_filters(v1: bool, prompt_chars: int, completion_chars: int) -> list[dict[str, Any]] | None:
    """Azure's top-level ``content_filters``.

    azure-wire-facts.md "Extra body fields": null on the dated api-versions (and in v1 records
    up to Dec 2025); an array of all-safe prompt and completion entries in 2026 v1 records. The
    emulator follows the newer v1 behaviour.
    """
    if not v1:
        return None
    return [_filter_entry("prompt", prompt_chars), _filter_entry("completion", completion_chars)]


def response_object(
    *,
    response_id: str,
    created_at: float,
    completed_at: float | None,
    status: str,
    model: str,
    output: list[dict[str, Any]],
    usage_: dict[str, Any] | None,
    filters: list[dict[str, Any]] | None,
    incomplete_reason: str | None,
    reasoning: dict[str, Any],
    request: Any,
) -> dict[str, Any]:
    """A full Response object; ``request`` is the validated CreateRequest it answers.

    ``created_at``/``completed_at`` are floats: azure-facts.md §4.15 (Azure examples show
    ``1741369938.0``; openai 2.34.0 made them floats). The Azure v1 spec says integer
    unixtime; the notes win.
    """
    return {
        "id": response_id,
        "object": "response",
        "created_at": created_at,
        "status": status,
        "background": request.background,
        "completed_at": completed_at,
        "content_filters": filters,
        "error": None,
        "incomplete_details": None if incomplete_reason is None else {"reason": incomplete_reason},
        "instructions": request.instructions,
        "max_output_tokens": request.max_output_tokens,
        "max_tool_calls": request.max_tool_calls,
        # azure-wire-facts.md: Azure echoes the deployment name, not a dated snapshot.
        "model": model,
        "output": output,
        "parallel_tool_calls": request.parallel_tool_calls,
        "previous_response_id": request.previous_response_id,
        "prompt_cache_key": request.prompt_cache_key,
        "reasoning": reasoning,
        "safety_identifier": request.safety_identifier,
        "service_tier": "default" if request.service_tier in (None, "auto") else request.service_tier,
        "store": request.store,
        "temperature": 1.0 if request.temperature is None else request.temperature,
        "text": request.text,
        "tool_choice": request.tool_choice,
        "tools": request.tools,
        "top_logprobs": 0 if request.top_logprobs is None else request.top_logprobs,
        "top_p": 1.0 if request.top_p is None else request.top_p,
        "truncation": request.truncation,
        "usage": usage_,
        "user": request.user,
        "metadata": request.metadata,
    }
