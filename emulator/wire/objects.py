"""JSON shapes of Response objects and their output items, in the service's field order.

Sources: OpenAI's Response schema (../shared/spec/openai-openapi.json) and Azure's
AzureResponse (../shared/spec/azure-v1-v1-generated.json), plus the observed Azure extras in
real recorded Azure traffic (docs/sources.md). ``output_text`` is deliberately absent: the SDK computes it.
"""

from __future__ import annotations

from typing import Any

from emulator.wire.ids import item_id
from emulator.wire.tool_defaults import tool_echo
from emulator.wire.content_filters import annotations as _annotations
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


def content_filters(v1: bool, prompt_chars: int, completion_chars: int, blocked: str | None = None) -> list[dict[str, Any]] | None:
    """Azure's top-level ``content_filters`` (built by :func:`emulator.wire.content_filters.annotations`)."""
    return _annotations(v1, prompt_chars, completion_chars, blocked)


def response_object(
    *,
    response_id: str,
    created_at: int,
    completed_at: int | None,
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

    ``created_at``/``completed_at`` are integer Unix seconds: every real Azure body and event
    recorded from 2025-08 to 2026-07 carries integers, as the Azure v1 REST reference
    (``unixtime`` integer) says; older doc examples showing ``1741369938.0`` are not what the
    service sends (docs/azure-wire-details.md).
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
        # 2026 bodies echo both penalties (Open Responses requires them) and the cache retention.
        "frequency_penalty": request.frequency_penalty,
        "incomplete_details": None if incomplete_reason is None else {"reason": incomplete_reason},
        "instructions": request.instructions,
        "max_output_tokens": request.max_output_tokens,
        "max_tool_calls": request.max_tool_calls,
        # real recorded Azure traffic (docs/sources.md): Azure echoes the deployment name, not a dated snapshot.
        "model": model,
        "output": output,
        "parallel_tool_calls": request.parallel_tool_calls,
        "presence_penalty": request.presence_penalty,
        "previous_response_id": request.previous_response_id,
        "prompt_cache_key": request.prompt_cache_key,
        "prompt_cache_retention": request.prompt_cache_retention,
        "reasoning": reasoning,
        "safety_identifier": request.safety_identifier,
        "service_tier": "default" if request.service_tier in (None, "auto") else request.service_tier,
        "store": request.store,
        "temperature": 1.0 if request.temperature is None else request.temperature,
        "text": request.text,
        "tool_choice": request.tool_choice,
        "tools": [tool_echo(t) for t in request.tools],
        "top_logprobs": 0 if request.top_logprobs is None else request.top_logprobs,
        "top_p": 1.0 if request.top_p is None else request.top_p,
        "truncation": request.truncation,
        "usage": usage_,
        "user": request.user,
        "metadata": request.metadata,
    }
